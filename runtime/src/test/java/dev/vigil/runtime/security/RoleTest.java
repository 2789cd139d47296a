package dev.vigil.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void shouldLetAdminDoEverythingButSignForOthers() {
        for (Role needed : EnumSet.complementOf(EnumSet.of(Role.CONSOLE))) {
            assertThat(Role.ADMIN.implies(needed)).as(needed.id()).isTrue();
        }
        assertThat(Role.ADMIN.implies(Role.CONSOLE)).isFalse();
    }

    @Test
    void shouldKeepTheConsoleRoleToItselfAndGrantingNothingElse() {
        assertThat(EnumSet.allOf(Role.class).stream().filter(role -> role.implies(Role.CONSOLE))).containsExactly(Role.CONSOLE);
        assertThat(EnumSet.allOf(Role.class).stream().filter(Role.CONSOLE::implies)).containsExactly(Role.CONSOLE);
    }

    @Test
    void shouldLetOperatorsAndApproversReadButNotEachOthersWork() {
        assertThat(Role.OPERATOR.implies(Role.VIEWER)).isTrue();
        assertThat(Role.APPROVER.implies(Role.VIEWER)).isTrue();
        assertThat(Role.OPERATOR.implies(Role.APPROVER)).isFalse();
        assertThat(Role.APPROVER.implies(Role.OPERATOR)).isFalse();
        assertThat(Role.VIEWER.implies(Role.OPERATOR)).isFalse();
    }

    @Test
    void shouldKeepPublishersApartFromPeople() {
        assertThat(EnumSet.allOf(Role.class).stream().filter(role -> role.implies(Role.PUBLISHER)))
                .containsExactlyInAnyOrder(Role.PUBLISHER, Role.ADMIN);
        assertThat(Role.PUBLISHER.implies(Role.VIEWER)).isFalse();
    }

    @Test
    void shouldParseRoleListsAndRefuseUnknownNames() {
        assertThat(Role.parseList("viewer, operator")).containsExactlyInAnyOrder(Role.VIEWER, Role.OPERATOR);
        assertThatThrownBy(() -> Role.parseList("viewer,root")).hasMessageContaining("unknown role 'root'")
                .hasMessageContaining("viewer, operator, approver, admin, publisher");
    }

    @Test
    void shouldGrantWhatAnyHeldRoleImplies() {
        Principal principal = new Principal("ops", Set.of(Role.OPERATOR));
        assertThat(principal.has(Role.VIEWER)).isTrue();
        assertThat(principal.has(Role.APPROVER)).isFalse();
    }

    @Test
    void shouldLimitApprovalsToMatchingRulesAndLabels() {
        ApprovalScope scope = new ApprovalScope(List.of("restart-*", "clean-files"), Map.of("env", "staging"));

        assertThat(scope.covers("restart-nginx", Map.of("env", "staging", "role", "web"))).isTrue();
        assertThat(scope.covers("clean-files", Map.of("env", "staging"))).isTrue();
        assertThat(scope.covers("restart-nginx", Map.of("env", "prod"))).isFalse();
        assertThat(scope.covers("stop-process", Map.of("env", "staging"))).isFalse();
        assertThat(scope.covers("xrestart-a", Map.of("env", "staging"))).isFalse();
        assertThat(ApprovalScope.UNLIMITED.covers("anything", Map.of())).isTrue();
    }
}
