package dev.vigil.actions.library;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;

/**
 * The directories a file action may work in, and the one way it gets into them: each directory below an allowed one
 * is opened relative to its parent's open handle and never through a symbolic link ({@link SecureDirectoryStream},
 * {@code openat} with {@code O_NOFOLLOW}). A link planted anywhere on the way, or swapped in while the action runs,
 * makes the open fail instead of leading out of the allow-list.
 *
 * @param roots absolute, real paths (as {@code ActionSettings.directories} checks them)
 */
record AllowedDirectories(List<Path> roots) {

    AllowedDirectories {
        roots = List.copyOf(roots);
    }

    /**
     * Why the template of parameter {@code key} can never name a path inside the allow-list, judged when the policy
     * loads: a fixed path outside it, or a template whose fixed start is not inside an allowed directory
     * ({@code /var/tmp/{{label.app}}} is fine under {@code /var/tmp}; {@code {{label.dir}}} is not).
     */
    Optional<String> refusal(String key, String template) {
        String prefix = Texts.literalPrefix(template);
        if (Texts.isTemplate(template)) {
            int slash = prefix.lastIndexOf('/');
            prefix = slash < 0 ? "" : prefix.substring(0, slash + 1);
        }
        Path path = prefix.isEmpty() ? null : Path.of(prefix);
        if (path == null || !path.isAbsolute() || roots.stream().noneMatch(path.normalize()::startsWith) || template.contains("..")) {
            return Optional.of("parameter '" + key + "' is " + template + (Texts.isTemplate(template) ? ", which does not start inside" : ", outside")
                    + " the allow-list " + roots);
        }
        return Optional.empty();
    }

    /** {@code value} as a path inside the allow-list: absolute, without {@code .} or {@code ..}. */
    Path check(String key, String value) throws ActionFailedException {
        Path path = Path.of(value);
        if (!path.isAbsolute() || !path.normalize().equals(path) || value.contains("..")) {
            throw new ActionFailedException(key + " " + value + " is not an absolute, normalized path");
        }
        if (roots.stream().noneMatch(path::startsWith)) {
            throw new ActionFailedException(key + " " + value + " is outside the allow-list " + roots);
        }
        return path;
    }

    /** The allowed directory {@code path} is in. */
    Path rootOf(Path path) {
        return roots.stream().filter(path::startsWith).findFirst().orElseThrow();
    }

    /**
     * Opens {@code directory} (inside the allow-list, as {@link #check} gives it) from its allowed root down, one name at
     * a time, never following a link.
     */
    SecureDirectoryStream<Path> open(Path directory) throws IOException, ActionFailedException {
        Path root = rootOf(directory);
        DirectoryStream<Path> opened = Files.newDirectoryStream(root);
        if (!(opened instanceof SecureDirectoryStream<Path> current)) {
            opened.close();
            throw new ActionFailedException("this platform cannot open directories without following links; file actions do not run here");
        }
        Path below = root;
        List<Path> names = new java.util.ArrayList<>();
        root.relativize(directory).forEach(names::add);
        names.removeIf(name -> name.toString().isEmpty()); // the root itself relativizes to ""
        for (Path name : names) {
            below = below.resolve(name);
            try {
                if (attributes(current, name).map(BasicFileAttributes::isSymbolicLink).orElse(false)) {
                    throw new ActionFailedException(below + " is a symbolic link, not followed");
                }
                SecureDirectoryStream<Path> next = current.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
                current.close();
                current = next;
            } catch (java.nio.file.NoSuchFileException e) {
                current.close();
                throw new ActionFailedException(below + " does not exist");
            } catch (FileSystemException e) {
                current.close();
                throw new ActionFailedException("cannot open " + below + " without following links: " + reason(e));
            } catch (ActionFailedException | IOException | RuntimeException e) {
                current.close();
                throw e;
            }
        }
        return current;
    }

    /** The attributes of {@code name} in {@code directory} itself (a link's own), or empty when it is gone. */
    static Optional<BasicFileAttributes> attributes(SecureDirectoryStream<Path> directory, Path name) throws IOException {
        try {
            return Optional.of(directory.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes());
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
    }

    static String reason(FileSystemException e) {
        return e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
    }
}
