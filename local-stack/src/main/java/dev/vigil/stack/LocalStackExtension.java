package dev.vigil.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests the whole local stack, started once per test run (per JVM) and stopped when the
 * run ends, however many test classes use it.
 *
 * <pre>{@code
 * @ExtendWith(LocalStackExtension.class)
 * class MyIT {
 *     @Test
 *     void shouldRoundTrip(StackEndpoints stack) { ... stack.kafkaBootstrapServers() ... }
 * }
 * }</pre>
 *
 * <p>Parameters of type {@link StackEndpoints} or {@link LocalStack} (for tests that stop and restart a
 * part) are injected. The work folder is the system property {@value #WORK_DIR_PROPERTY} (the build sets
 * it under {@code target/}), else a temporary folder. Every port is a free one, so test runs never clash
 * with each other or with a {@code vigil dev} stack.
 */
public final class LocalStackExtension implements BeforeAllCallback, ParameterResolver {

    public static final String WORK_DIR_PROPERTY = "vigil.stack.workDir";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalStackExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        stack(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == StackEndpoints.class || type == LocalStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        LocalStack stack = stack(context);
        return parameter.getParameter().getType() == LocalStack.class ? stack : stack.endpoints();
    }

    private static LocalStack stack(ExtensionContext context) {
        // The root store lives for the whole run and closes its AutoCloseable values at the end.
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(LocalStack.class, key -> LocalStack.start(StackOptions.anyPorts(workDir())), LocalStack.class);
    }

    private static Path workDir() {
        String configured = System.getProperty(WORK_DIR_PROPERTY);
        try {
            return configured != null ? Path.of(configured) : Files.createTempDirectory("vigil-stack-");
        } catch (IOException e) {
            throw new StackException("Cannot create a work folder for the local stack: " + e.getMessage(), e);
        }
    }
}
