package io.bantin.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole topology of src/deploy/topology.sh (PostgreSQL, two instances of the packaged jar, HAProxy,
 * Varnish, Pushpin: the real Debian packages) for one engine test class, on its own ports and database.
 */
public final class Topology implements AutoCloseable {

    /** The admin token the instances are started with. */
    public static final String TOKEN = "engines-5d1f0c9a7e3b2468";

    private static final Path ROOT = Path.of("").toAbsolutePath();

    private final int base;
    private final Map<String, String> env;

    private Topology(int base, Map<String, String> env) {
        this.base = base;
        this.env = env;
    }

    /**
     * Starts the topology with ports from {@code base} (see topology.sh) on a database of its own;
     * {@code args} are added to both instances' command lines (e.g. {@code --bantin.stream.grip.enabled=true}).
     */
    public static Topology start(int base, String database, String... args) {
        return start(base, database, false, args);
    }

    /**
     * {@link #start(int, String, String...)} in GRIP mode (topology.sh with {@code BANTIN_TOPOLOGY_GRIP=1}): Pushpin
     * holds the streams, the instances publish every change to it.
     */
    public static Topology startWithGrip(int base, String database, String... args) {
        return start(base, database, true, args);
    }

    private static Topology start(int base, String database, boolean grip, String... args) {
        // Several checkouts on one machine run their engine tests side by side on shifted ports and databases.
        base += Integer.parseInt(System.getenv().getOrDefault("BANTIN_ENGINES_PORT_SHIFT", "0"));
        database += System.getenv().getOrDefault("BANTIN_ENGINES_DB_SUFFIX", "");
        for (String engine : List.of("haproxy", "varnishd", "pushpin", "zurl")) {
            assertThat(onPath(engine)).as("%s is not installed: apt-get install haproxy varnish varnish-modules"
                    + " pushpin (.ci/packages lists what the tests need; .ci/run installs it)", engine).isTrue();
        }
        Map<String, String> env = new HashMap<>();
        env.put("BANTIN_TOPOLOGY_PORT", Integer.toString(base));
        env.put("BANTIN_TOPOLOGY_DB", database);
        env.put("BANTIN_ADMIN_TOKEN", TOKEN);
        env.put("BANTIN_TOPOLOGY_ARGS", String.join(" ", args));
        env.put("BANTIN_TOPOLOGY_GRIP", grip ? "1" : "0");
        // Six instances start at once when the three engine classes run side by side, on two cores: start-up CPU is
        // what their wait is made of. Measured alone: 15.6 s of CPU to start with the defaults, 8.4 s with the serial
        // collector and C1 only. These instances serve paced test load and a handful of streams; the benchmarks
        // (src/bench) start theirs with the defaults.
        env.put("BANTIN_TOPOLOGY_JAVA_OPTS", System.getenv().getOrDefault("BANTIN_TOPOLOGY_JAVA_OPTS",
                "-XX:+UseSerialGC -XX:TieredStopAtLevel=1"));
        // A runtime folder per topology: the engine test classes run side by side (failsafe forks, pom.xml).
        env.put("BANTIN_TOPOLOGY_RUN", ROOT.resolve("target/topology-" + base).toString());
        Topology topology = new Topology(base, env);
        // topology.sh waits BANTIN_TOPOLOGY_WAIT seconds for readiness (180 unless set), after building and starting:
        // a bound, not a pause; 90 s was too short when the three engine classes and another build shared the cores.
        int wait = Integer.parseInt(System.getenv().getOrDefault("BANTIN_TOPOLOGY_WAIT", "180"));
        env.put("BANTIN_TOPOLOGY_WAIT", Integer.toString(wait));
        int exit = topology.script(Duration.ofSeconds(wait + 90L), "start");
        if (exit != 0) {
            topology.close(); // what did start must not outlive the failed class
        }
        assertThat(exit).as("topology.sh start (log in %s)", topology.log("start")).isZero();
        return topology;
    }

    /** The instances' database (with the checkout's suffix), for tests that reach into it with psql. */
    public String database() {
        return env.get("BANTIN_TOPOLOGY_DB");
    }

    /** The public door (HAProxy): streams to Pushpin, everything else to Varnish. */
    public URI front() {
        return uri(base);
    }

    /** Instance 1 or 2, directly. */
    public URI instance(int n) {
        return uri(base + n);
    }

    /** HAProxy's balancer across the instances (what Varnish and Pushpin reach). */
    public URI balancer() {
        return uri(base + 10);
    }

    public URI varnish() {
        return uri(base + 20);
    }

    public URI pushpin() {
        return uri(base + 30);
    }

    /** Pushpin's HTTP publish API. */
    public URI pushpinPublish() {
        return uri(base + 41);
    }

    /** The pid of instance 1 or 2, to kill it. */
    public long pid(int n) throws IOException {
        return Long.parseLong(Files.readString(file("bantin-" + n + ".pid")).trim());
    }

    /** Starts instance 1 or 2 again (after a test killed or stopped it) and waits for its readiness. */
    public void restart(int n) {
        int wait = Integer.parseInt(env.get("BANTIN_TOPOLOGY_WAIT"));
        int exit = script(Duration.ofSeconds(wait + 60L), "restart", Integer.toString(n));
        assertThat(exit).as("topology.sh restart %d (log in %s)", n, log("restart")).isZero();
    }

    /** The runtime folder's file, e.g. {@code bantin-1.log}, for failure messages. */
    public Path file(String name) {
        return Path.of(env.get("BANTIN_TOPOLOGY_RUN")).resolve(name);
    }

    @Override
    public void close() {
        script(Duration.ofSeconds(60), "stop");
    }

    private int script(Duration within, String... arguments) {
        String command = arguments[0];
        List<String> line = new ArrayList<>(List.of("bash", "src/deploy/topology.sh"));
        line.addAll(List.of(arguments));
        try {
            ProcessBuilder builder = new ProcessBuilder(line)
                    .directory(ROOT.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log(command).toFile());
            Files.createDirectories(log(command).getParent());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(within.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        }
        catch (IOException e) {
            throw new IllegalStateException("could not run topology.sh " + command, e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Path log(String command) {
        return ROOT.resolve("target/engines/topology-" + base + "-" + command + ".log");
    }

    private static boolean onPath(String command) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private static URI uri(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }
}
