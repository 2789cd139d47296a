package dev.vigil.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry 3 as a child process on loopback, exposing the Confluent schema-registry API at
 * {@link #confluentApiUrl()}. Its schemas live in an H2 database file in the work directory rather than in
 * memory, so that a restart keeps them as the broker keeps its topics (records name their schema by id, and a
 * registry that came back empty would hand those ids to other schemas). LocalStackIT checks a restart; but in one
 * longer run under load (docs/reliability.md) a restarted registry came back empty, cause not found, so the
 * fault suite takes the registry away by freezing it ({@link #freeze()}) instead.
 *
 * <p>The distribution is the {@code io.apicurio:apicurio-registry-app:3.0.9:zip:all} artifact that the
 * local-stack build fetches into the local Maven repository; it is unpacked once into a cache folder and
 * reused. {@value #HOME_PROPERTY} (or the environment variable {@code VIGIL_APICURIO_HOME}) points at an
 * unpacked copy instead.
 */
public final class ApicurioRegistry extends ChildServer {

    public static final String VERSION = "3.0.9";
    public static final String HOME_PROPERTY = "vigil.apicurio.home";
    /** Local Maven repository to look in, when it is not {@code ~/.m2/repository}. */
    public static final String MAVEN_REPOSITORY_PROPERTY = "vigil.maven.repository";

    /** The H2 file (in the work directory) that holds the registry's schemas. */
    static final String DATABASE_FILE = "apicurio-registry-db.mv.db";
    private static final Logger log = LoggerFactory.getLogger(ApicurioRegistry.class);
    private static final String RUNNER_JAR = "apicurio-registry-app-" + VERSION + "-runner.jar";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final int port;

    /**
     * @param workDir       where the log, pid file and schema database go
     * @param preferredPort HTTP port to use if free (0: any)
     */
    public ApicurioRegistry(Path workDir, int preferredPort) {
        this(workDir, Ports.preferredOrFree(preferredPort), locateDistribution());
    }

    private ApicurioRegistry(Path workDir, int port, Path home) {
        super("Apicurio Registry", process(workDir, port, home), READY_TIMEOUT, STOP_GRACE);
        this.port = port;
    }

    private static ChildProcess process(Path workDir, int port, Path home) {
        String owner = "-Dvigil.owner=" + workDir.toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ChildProcess("Apicurio Registry", List.of(java,
                // A small registry: keep its heap and JIT modest so it starts fast beside the rest on 2 cores.
                "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                owner,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.log.console.color=false",
                "-Dapicurio.datasource.url=jdbc:h2:file:" + workDir.toAbsolutePath().resolve(DATABASE_FILE.replace(".mv.db", "")),
                "-jar", home.resolve(RUNNER_JAR).toString()),
                workDir.resolve("apicurio-registry.log"), workDir.resolve("apicurio-registry.pid"), owner);
    }

    /** Base URL of the Confluent-compatible API, the value for {@code schema.registry.url}. */
    public String confluentApiUrl() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    /** Whether the Confluent API answers now. */
    @Override
    public boolean isHealthy() {
        return Http.get(confluentApiUrl() + "/subjects").isPresent();
    }

    @Override
    String address() {
        return confluentApiUrl();
    }

    private static Path locateDistribution() {
        String configured = Optional.ofNullable(System.getProperty(HOME_PROPERTY)).orElse(System.getenv("VIGIL_APICURIO_HOME"));
        if (configured != null) {
            Path home = Path.of(configured);
            if (!Files.isRegularFile(home.resolve(RUNNER_JAR))) {
                throw new StackException(HOME_PROPERTY + "/VIGIL_APICURIO_HOME is " + home + ", which has no " + RUNNER_JAR);
            }
            return home;
        }
        Path repository = Optional.ofNullable(System.getProperty(MAVEN_REPOSITORY_PROPERTY)).map(Path::of)
                .orElse(Path.of(System.getProperty("user.home"), ".m2", "repository"));
        Path zip = repository.resolve(Path.of("io", "apicurio", "apicurio-registry-app", VERSION,
                "apicurio-registry-app-" + VERSION + "-all.zip"));
        Path home = Path.of(System.getProperty("user.home"), ".cache", "vigil", "apicurio-registry-" + VERSION);
        if (Files.isRegularFile(home.resolve(RUNNER_JAR))) {
            return home;
        }
        if (!Files.isRegularFile(zip)) {
            throw new StackException("Apicurio Registry " + VERSION + " is not in the local Maven repository (" + zip
                    + "). Build the project once (mvn -pl local-stack package) or set VIGIL_APICURIO_HOME.");
        }
        unzip(zip, home);
        return home;
    }

    /** Unpacks into a sibling folder, then renames, so a crash mid-way never leaves a half copy in place. */
    private static void unzip(Path zip, Path home) {
        Path partial = home.resolveSibling(home.getFileName() + ".partial-" + ProcessHandle.current().pid());
        log.info("Unpacking {} into {}", zip, home);
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            Files.createDirectories(partial);
            for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
                Path target = partial.resolve(entry.getName()).normalize();
                if (!target.startsWith(partial)) {
                    throw new StackException("Refusing zip entry outside the target folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(entries, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            try {
                Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.isRegularFile(home.resolve(RUNNER_JAR))) {
                    throw raced;
                }
                FileTrees.delete(partial); // another process unpacked it first
            }
        } catch (IOException e) {
            throw new StackException("Cannot unpack " + zip + " into " + home + ": " + e.getMessage(), e);
        }
    }
}
