package dev.vigil.runtime.security;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import dev.vigil.runtime.config.ConfigDefinition;

/**
 * Reads an access file as a YAML node tree, as remediation's {@code PolicyParser} reads a policy, so that every refusal
 * names the file, the line and the reason: an unknown key (with the nearest known one), an unknown role, a duplicate
 * user, token id or certificate subject, a token in clear or a hash that is not 64 hex digits, a password that is not an
 * Argon2id hash, a key file others may read, an access file others may write.
 */
public final class AccessFileParser {

    private static final List<String> TOP = List.of("users", "tokens", "certificates");
    private static final List<String> USER = List.of("name", "roles", "password", "approve", "public_key", "retired_public_keys");
    private static final List<String> APPROVE = List.of("rules", "host_labels");
    private static final List<String> TOKEN = List.of("id", "principal", "roles", "sha256", "expires", "revoked");
    private static final List<String> CERTIFICATE = List.of("subject", "principal", "roles");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

    private final Path file;

    private AccessFileParser(Path file) {
        this.file = file;
    }

    /** Reads and checks {@code file}. */
    public static AccessFile parse(Path file) throws AccessFileException {
        return new AccessFileParser(file).parse();
    }

    private AccessFile parse() throws AccessFileException {
        if (!Files.isRegularFile(file)) {
            throw new AccessFileException(file, 0, "no such file");
        }
        refuseIfOthersMay(file, EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE), 1, "written",
                "the access file");
        Node root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new LoaderOptions()).compose(reader);
        } catch (MarkedYAMLException e) {
            throw new AccessFileException(file, e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1,
                    "not valid YAML: " + e.getProblem());
        } catch (NoSuchFileException e) {
            throw new AccessFileException(file, 0, "no such file");
        } catch (IOException e) {
            throw new AccessFileException(file, 0, "cannot be read: " + e.getMessage());
        }
        if (root == null) {
            return new AccessFile(file, List.of(), Map.of(), List.of());
        }
        Map<String, Node> top = mapping(root, TOP, "the access file");
        List<AccessFile.User> users = new ArrayList<>();
        Map<String, AccessFile.User> byName = new TreeMap<>();
        for (Node node : sequence(top.get("users"), "users")) {
            AccessFile.User user = user(node);
            if (byName.put(user.name(), user) != null) {
                throw new AccessFileException(file, user.line(), "duplicate user '" + user.name() + "' (first at line "
                        + users.stream().filter(u -> u.name().equals(user.name())).findFirst().orElseThrow().line() + ")");
            }
            users.add(user);
        }
        Map<String, AccessFile.Token> tokens = new LinkedHashMap<>();
        for (Node node : sequence(top.get("tokens"), "tokens")) {
            AccessFile.Token token = token(node);
            AccessFile.Token first = tokens.putIfAbsent(token.id(), token);
            if (first != null) {
                throw new AccessFileException(file, token.line(), "duplicate token id '" + token.id() + "' (first at line " + first.line() + ")");
            }
        }
        List<AccessFile.Certificate> certificates = new ArrayList<>();
        for (Node node : sequence(top.get("certificates"), "certificates")) {
            AccessFile.Certificate certificate = certificate(node);
            for (AccessFile.Certificate other : certificates) {
                if (other.subject().equals(certificate.subject())) {
                    throw new AccessFileException(file, certificate.line(), "duplicate certificate subject '" + certificate.subject().getName()
                            + "' (first at line " + other.line() + ")");
                }
            }
            certificates.add(certificate);
        }
        return new AccessFile(file, users, tokens, certificates);
    }

    private AccessFile.User user(Node node) throws AccessFileException {
        Map<String, Node> user = mapping(node, USER, "a user");
        String name = name(required(user, "name", node, "a user"), "a user's name");
        Set<Role> roles = roles(required(user, "roles", node, "user '" + name + "'"));
        Optional<String> password = Optional.empty();
        if (user.containsKey("password")) {
            String hash = scalar(user.get("password"), "password");
            if (!PasswordHashes.isArgon2id(hash)) {
                throw new AccessFileException(file, line(user.get("password")), "the password of user '" + name + "' is not an Argon2id hash "
                        + "($argon2id$v=19$m=...,t=...,p=...$salt$hash); never write a password in clear: `vigil user add` hashes it");
            }
            password = Optional.of(hash);
        }
        ApprovalScope approvals = ApprovalScope.UNLIMITED;
        if (user.containsKey("approve")) {
            Map<String, Node> approve = mapping(user.get("approve"), APPROVE, "approve");
            List<String> rules = new ArrayList<>();
            for (Node rule : sequence(approve.get("rules"), "approve.rules")) {
                rules.add(scalar(rule, "a rule pattern"));
            }
            Map<String, String> labels = new TreeMap<>();
            if (approve.containsKey("host_labels")) {
                for (Map.Entry<String, Node> label : mapping(approve.get("host_labels"), null, "approve.host_labels").entrySet()) {
                    labels.put(label.getKey(), scalar(label.getValue(), "host label " + label.getKey()));
                }
            }
            approvals = new ApprovalScope(rules, labels);
        }
        Optional<Path> publicKey = Optional.empty();
        if (user.containsKey("public_key")) {
            publicKey = Optional.of(keyFile(user.get("public_key"), "the public key file of user '" + name + "'"));
        }
        List<Path> retired = new ArrayList<>();
        for (Node keyNode : sequence(user.get("retired_public_keys"), "retired_public_keys")) {
            retired.add(keyFile(keyNode, "a retired public key file of user '" + name + "'"));
        }
        return new AccessFile.User(name, roles, password, approvals, publicKey, retired, line(node));
    }

    /** A public key file the entry names: it must exist, and no one else may read or write it. */
    private Path keyFile(Node keyNode, String what) throws AccessFileException {
        Path key = resolve(scalar(keyNode, "a public key file"));
        if (!Files.isRegularFile(key)) {
            throw new AccessFileException(file, line(keyNode), what + ", " + key + ", does not exist");
        }
        refuseIfOthersMay(key, EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE), line(keyNode), "read", "the key file " + key);
        return key;
    }

    private AccessFile.Token token(Node node) throws AccessFileException {
        Map<String, Node> token = mapping(node, TOKEN, "a token");
        Node idNode = required(token, "id", node, "a token");
        String id = scalar(idNode, "id");
        if (!Tokens.ID.matcher(id).matches()) {
            throw new AccessFileException(file, line(idNode), "token id '" + id + "' is not lower-case letters, digits, '.' and '-' (at most 64)");
        }
        String principal = name(required(token, "principal", node, "token '" + id + "'"), "a token's principal");
        Set<Role> roles = roles(required(token, "roles", node, "token '" + id + "'"));
        Node hashNode = required(token, "sha256", node, "token '" + id + "'");
        String sha256 = scalar(hashNode, "sha256");
        if (Tokens.looksLikeToken(sha256)) {
            throw new AccessFileException(file, line(hashNode), "token '" + id + "' is written in clear; store only its SHA-256 "
                    + "(`vigil token create` does), and revoke this one: it has been exposed");
        }
        if (!Tokens.isSha256Hex(sha256)) {
            throw new AccessFileException(file, line(hashNode), "the sha256 of token '" + id + "' is not 64 lower-case hex digits");
        }
        Optional<Instant> expires = Optional.empty();
        if (token.containsKey("expires")) {
            expires = Optional.of(instant(token.get("expires")));
        }
        boolean revoked = false;
        if (token.containsKey("revoked")) {
            String value = scalar(token.get("revoked"), "revoked");
            if (!value.equals("true") && !value.equals("false")) {
                throw new AccessFileException(file, line(token.get("revoked")), "revoked is true or false, not '" + value + "'");
            }
            revoked = value.equals("true");
        }
        return new AccessFile.Token(id, principal, roles, sha256, expires, revoked, line(node));
    }

    private AccessFile.Certificate certificate(Node node) throws AccessFileException {
        Map<String, Node> certificate = mapping(node, CERTIFICATE, "a certificate");
        Node subjectNode = required(certificate, "subject", node, "a certificate");
        X500Principal subject;
        try {
            subject = new X500Principal(scalar(subjectNode, "subject"));
        } catch (IllegalArgumentException e) {
            throw new AccessFileException(file, line(subjectNode), "subject is not a distinguished name (CN=...,O=...): " + e.getMessage());
        }
        String principal = name(required(certificate, "principal", node, "a certificate"), "a certificate's principal");
        return new AccessFile.Certificate(subject, principal, roles(required(certificate, "roles", node, "certificate of " + principal)),
                line(node));
    }

    private Instant instant(Node node) throws AccessFileException {
        String text = scalar(node, "expires");
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new AccessFileException(file, line(node), "expires is a date (2027-01-31) or an instant (2027-01-31T12:00:00Z), not '"
                    + text + "'");
        }
    }

    private Set<Role> roles(Node node) throws AccessFileException {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (Node item : sequence(node, "roles")) {
            String id = scalar(item, "a role");
            roles.add(Role.fromId(id).orElseThrow(() -> new AccessFileException(file, line(item),
                    "unknown role '" + id + "'; roles are " + Role.ids())));
        }
        if (roles.isEmpty()) {
            throw new AccessFileException(file, line(node), "roles is empty; give at least one of " + Role.ids());
        }
        return roles;
    }

    private String name(Node node, String what) throws AccessFileException {
        String name = scalar(node, what);
        if (!NAME.matcher(name).matches()) {
            throw new AccessFileException(file, line(node), what + " '" + name + "' is not letters, digits, '.', '_', '@' and '-' (at most 128)");
        }
        return name;
    }

    private void refuseIfOthersMay(Path path, Set<PosixFilePermission> forbidden, int line, String verb, String what) throws AccessFileException {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(path);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system: nothing to check
        } catch (IOException e) {
            throw new AccessFileException(file, line, what + " cannot be read: " + e.getMessage());
        }
        permissions.retainAll(forbidden);
        if (!permissions.isEmpty()) {
            throw new AccessFileException(file, line, what + " may be " + verb + " by group or others (" + permissions + "); chmod "
                    + (verb.equals("read") ? "600" : "go-w") + " it");
        }
    }

    private Path resolve(String path) {
        Path given = Path.of(path);
        Path directory = file.toAbsolutePath().getParent();
        return given.isAbsolute() || directory == null ? given : directory.resolve(given);
    }

    /** The mapping's values by key; unknown keys (when {@code known} is given) and duplicates refused. */
    private Map<String, Node> mapping(Node node, List<String> known, String what) throws AccessFileException {
        if (!(node instanceof MappingNode mapping)) {
            throw new AccessFileException(file, line(node), what + " must be a mapping of keys to values");
        }
        Map<String, Node> values = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = scalar(tuple.getKeyNode(), "a key");
            if (known != null && !known.contains(key)) {
                throw new AccessFileException(file, line(tuple.getKeyNode()), "unknown key '" + key + "' in " + what + suggestion(key, known)
                        + "; known keys: " + String.join(", ", known));
            }
            if (values.put(key, tuple.getValueNode()) != null) {
                throw new AccessFileException(file, line(tuple.getKeyNode()), "key '" + key + "' given twice in " + what);
            }
        }
        return values;
    }

    private static String suggestion(String unknown, List<String> known) {
        String nearest = null;
        int best = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = ConfigDefinition.editDistance(unknown, candidate);
            if (distance < best) {
                best = distance;
                nearest = candidate;
            }
        }
        return best <= Math.max(2, unknown.length() / 2) ? "; did you mean '" + nearest + "'?" : "";
    }

    /** The sequence's items; an absent key is an empty list. */
    private List<Node> sequence(Node node, String what) throws AccessFileException {
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence)) {
            throw new AccessFileException(file, line(node), what + " must be a list");
        }
        return sequence.getValue();
    }

    private Node required(Map<String, Node> mapping, String key, Node parent, String what) throws AccessFileException {
        Node node = mapping.get(key);
        if (node == null) {
            throw new AccessFileException(file, line(parent), what + " needs '" + key + "'");
        }
        return node;
    }

    private String scalar(Node node, String what) throws AccessFileException {
        if (!(node instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
            throw new AccessFileException(file, line(node), what + " must be a single non-empty value");
        }
        return scalar.getValue().strip();
    }

    private static int line(Node node) {
        return node == null ? 1 : node.getStartMark().getLine() + 1;
    }
}
