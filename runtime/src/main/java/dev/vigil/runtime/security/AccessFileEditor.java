package dev.vigil.runtime.security;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Changes an access file the way a person would, keeping its comments and layout: an entry appended to its section, a
 * token marked revoked. The result is checked by {@link AccessFileParser} before it replaces the file (atomically, keeping
 * its permissions), so an edit never leaves a file a service would refuse. Used by {@code vigil token} and {@code vigil user};
 * the console (issue 18, part 4) can use the same.
 */
public final class AccessFileEditor {

    private AccessFileEditor() {
    }

    /** Appends a token entry; refuses an id that exists. */
    public static void addToken(Path file, String id, String principal, Set<Role> roles, String sha256, Optional<Instant> expires)
            throws IOException, AccessFileException {
        AccessFile current = read(file);
        if (current.tokens().containsKey(id)) {
            throw new AccessFileException(file, current.tokens().get(id).line(), "a token with id '" + id + "' exists already");
        }
        List<String> entry = new ArrayList<>(List.of("- id: " + id, "  principal: " + principal, "  roles: [" + ids(roles) + "]",
                "  sha256: " + sha256));
        expires.ifPresent(instant -> entry.add("  expires: " + instant));
        write(file, append(text(file), "tokens", entry));
    }

    /** Appends a user; refuses a name that exists. */
    public static void addUser(Path file, String name, Set<Role> roles, String passwordHash) throws IOException, AccessFileException {
        AccessFile current = read(file);
        Optional<AccessFile.User> existing = current.user(name);
        if (existing.isPresent()) {
            throw new AccessFileException(file, existing.get().line(), "a user '" + name + "' exists already");
        }
        write(file, append(text(file), "users", List.of("- name: " + name, "  roles: [" + ids(roles) + "]",
                "  password: \"" + passwordHash + "\"")));
    }

    /** Marks the token {@code id} revoked: services refuse it once they have read the file again. */
    public static void revokeToken(Path file, String id) throws IOException, AccessFileException {
        AccessFile current = read(file);
        if (!current.tokens().containsKey(id)) {
            throw new AccessFileException(file, 1, "no token with id '" + id + "'");
        }
        String text = text(file);
        MappingNode token = tokenNode(text, id);
        StringBuilder edited = new StringBuilder(text);
        Optional<NodeTuple> revoked = token.getValue().stream().filter(tuple -> key(tuple).equals("revoked")).findFirst();
        if (revoked.isPresent()) {
            Node value = revoked.get().getValueNode();
            edited.replace(value.getStartMark().getIndex(), value.getEndMark().getIndex(), "true");
        } else if (token.getFlowStyle() == org.yaml.snakeyaml.DumperOptions.FlowStyle.FLOW) {
            int close = text.lastIndexOf('}', token.getEndMark().getIndex() - 1);
            edited.insert(close, ", revoked: true");
        } else {
            NodeTuple idTuple = token.getValue().stream().filter(tuple -> key(tuple).equals("id")).findFirst().orElseThrow();
            int column = idTuple.getKeyNode().getStartMark().getColumn();
            edited.insert(idTuple.getValueNode().getEndMark().getIndex(), "\n" + " ".repeat(column) + "revoked: true");
        }
        write(file, edited.toString());
    }

    private static MappingNode tokenNode(String text, String id) {
        MappingNode root = (MappingNode) new Yaml(new LoaderOptions()).compose(new StringReader(text));
        for (NodeTuple section : root.getValue()) {
            if (key(section).equals("tokens")) {
                for (Node item : ((SequenceNode) section.getValueNode()).getValue()) {
                    MappingNode token = (MappingNode) item;
                    if (token.getValue().stream().anyMatch(tuple -> key(tuple).equals("id")
                            && ((ScalarNode) tuple.getValueNode()).getValue().equals(id))) {
                        return token;
                    }
                }
            }
        }
        throw new IllegalStateException("token " + id + " was parsed but not found");
    }

    /** {@code text} with {@code entry} (lines of a list item, unindented) at the end of the top-level list {@code section}. */
    static String append(String text, String section, List<String> entry) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        int header = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches(section + ":\\s*(\\[\\s*\\])?\\s*(#.*)?")) {
                header = i;
                break;
            }
            if (lines.get(i).startsWith(section + ":")) {
                throw new IllegalArgumentException("the " + section + " section is written inline; write it as a block list (one '- ' per entry) "
                        + "so that it can be edited");
            }
        }
        if (header < 0) {
            lines.add(section + ":");
            header = lines.size() - 1;
        } else {
            lines.set(header, section + ":");
        }
        int last = header;
        String indent = "  ";
        boolean indentKnown = false;
        for (int i = header + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            boolean topLevel = !line.startsWith(" ") && !line.startsWith("-");
            if (topLevel) {
                break;
            }
            if (!indentKnown && line.stripLeading().startsWith("-")) {
                indent = line.substring(0, line.indexOf('-'));
                indentKnown = true;
            }
            last = i;
        }
        String prefix = indent;
        lines.addAll(last + 1, entry.stream().map(line -> prefix + line).toList());
        return String.join("\n", lines) + "\n";
    }

    private static AccessFile read(Path file) throws AccessFileException {
        return Files.exists(file) ? AccessFileParser.parse(file) : new AccessFile(file, List.of(), java.util.Map.of(), List.of());
    }

    private static String text(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    /** Replaces {@code file} by {@code text} once the parser accepts it, keeping its permissions (a new file: owner only). */
    private static void write(Path file, String text) throws IOException, AccessFileException {
        Path directory = file.toAbsolutePath().getParent();
        Set<PosixFilePermission> permissions = Files.exists(file) ? Files.getPosixFilePermissions(file)
                : PosixFilePermissions.fromString("rw-------");
        Path temporary = Files.createTempFile(directory, "." + file.getFileName(), ".new",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(temporary, permissions);
            try {
                AccessFileParser.parse(temporary);
            } catch (AccessFileException e) {
                throw new AccessFileException(file, e.line(), e.reason() + " (in the edited file, which was not written)");
            }
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static String key(NodeTuple tuple) {
        return tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : "";
    }

    private static String ids(Set<Role> roles) {
        return roles.stream().sorted().map(Role::id).collect(Collectors.joining(", "));
    }
}
