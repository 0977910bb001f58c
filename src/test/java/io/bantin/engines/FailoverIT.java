package io.bantin.engines;

import static io.bantin.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.bantin.engines.FailoverLoad.Attempt;
import io.bantin.engines.FailoverLoad.Stream;
import io.bantin.engines.FailoverLoad.Writer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * HAProxy failover under load, through the whole topology: a write every ~100 ms with Idempotency-Key (retried
 * as a client does), an unkeyed write every ~300 ms (never retried), SSE streams through the public door and
 * straight to each instance. A {@code kill -9} of one instance loses no acknowledged write, fails no request
 * but those in flight on it, and every stream resumes with Last-Event-ID without a gap or a repeat; then a
 * SIGTERM of an instance drains it with no failed request at all.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverIT {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper JSON = JsonMapper.shared();
    private static Topology topology;
    private static WebClient streams;

    @BeforeAll
    static void start() {
        topology = Topology.start(8750, "bantin_engines_failover");
        streams = WebClient.create();
    }

    @AfterAll
    static void stop() {
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    @Order(1)
    void aKilledInstanceLosesNoAcknowledgedWriteAndItsStreamsResumeOnTheOther() throws Exception {
        Load load = new Load("Kill", 1);
        long signalledAt = FailoverLoad.now();
        ProcessHandle.of(topology.pid(1)).orElseThrow().destroyForcibly(); // SIGKILL
        // The kernel closes a killed JVM's sockets only once it has torn the process down, which took up to
        // 90 ms on a busy machine; until then HAProxy still sends it requests, which then fail in flight.
        long killedAt = closedAt(topology.instance(1));
        load.finishAfter(Duration.ofSeconds(6));
        load.report("kill -9 of instance 1 at " + signalledAt + " ms, its port closed at " + killedAt + " ms");

        load.assertEveryAcknowledgedWriteKeptOnce();
        for (Writer writer : load.writers) {
            // Each writer has one request at a time: at most the one in flight on the killed instance failed.
            List<Attempt> failed = writer.attempts.stream().filter(Attempt::failed).toList();
            assertThat(failed).as("failed attempts (killed at %d ms)", killedAt)
                    .hasSizeLessThanOrEqualTo(1)
                    .allMatch(a -> a.startedAt() <= killedAt + 50 && a.endedAt() >= killedAt);
        }
        load.assertStreamsWhole();
        assertThat(load.direct(1).served).as("the stream on the killed instance resumed on the other")
                .startsWith(topology.instance(1)).contains(topology.instance(2));
    }

    /** The moment {@code instance} refuses connections, polled every millisecond for at most 10 s. */
    private static long closedAt(URI instance) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(instance.getHost(), instance.getPort()), 100);
            }
            catch (IOException refused) {
                return FailoverLoad.now();
            }
            Thread.sleep(1);
        }
        throw new AssertionError(instance + " still accepts connections 10 s after kill -9");
    }

    @Test
    @Order(2)
    void aStoppedInstanceDrainsWithNoFailedRequest() throws Exception {
        topology.restart(1);
        Thread.sleep(5000); // HAProxy marks it up after two good checks, a second apart
        Load load = new Load("Drain", 2);
        ProcessHandle.of(topology.pid(2)).orElseThrow().destroy(); // SIGTERM
        load.finishAfter(Duration.ofSeconds(8));
        load.report("SIGTERM of instance 2");

        load.assertEveryAcknowledgedWriteKeptOnce();
        for (Writer writer : load.writers) {
            assertThat(writer.attempts).as("no failed request while an instance drains")
                    .isNotEmpty().noneMatch(Attempt::failed);
        }
        load.assertStreamsWhole();
        assertThat(load.direct(2).served).as("the stream on the stopped instance resumed on the other")
                .startsWith(topology.instance(2)).contains(topology.instance(1));
    }

    /** Writers and streams started, running a few seconds before the instance {@code victim} is acted on. */
    private static final class Load {

        final List<Writer> writers;
        final List<Stream> all = new ArrayList<>();
        private final int victim;

        Load(String name, int victim) throws InterruptedException, IOException {
            this.victim = victim;
            // The database outlives the run: titles of this run are told apart by a random label.
            String label = name + "-" + UUID.randomUUID().toString().substring(0, 8);
            URI door = topology.front();
            // Every stream resumes after the log's end from its first connection, as an app that has just loaded
            // its list does ("reload, then go on from next"): a connection that drops before its first event then
            // resumes too, instead of coming back live and missing what was written meanwhile.
            String end = psql("SELECT COALESCE(max(seq), 0) FROM bulletin_events").get(0);
            for (int i = 1; i <= 3; i++) {
                all.add(new Stream(label + " door " + i, List.of(door)).after(end).start(streams));
            }
            URI one = topology.instance(1);
            URI two = topology.instance(2);
            all.add(new Stream(label + " direct 1", List.of(one, two)).after(end).start(streams));
            all.add(new Stream(label + " direct 2", List.of(two, one)).after(end).start(streams));
            await(Duration.ofSeconds(30), () -> all.stream().allMatch(Stream::connected), () -> "streams connected: " + all);
            // A stream that has seen no event has no Last-Event-ID yet: were its connection to drop now, it would
            // come back live and miss what was written meanwhile (a clean-clone run lost a stream's first event so).
            // One write first gives every stream its resume point; the failover is what is measured after it.
            assertThat(new Writer(door, label + " first", true, Duration.ZERO).writeOnce(label + " first")).isTrue();
            await(Duration.ofSeconds(30), () -> all.stream().noneMatch(s -> s.ids.isEmpty()),
                    () -> "every stream saw the first write: " + all);
            writers = List.of(new Writer(door, label + " keyed", true, Duration.ofMillis(100)),
                    new Writer(door, label + " unkeyed", false, Duration.ofMillis(300)));
            writers.forEach(Thread::start);
            // Ten writes acknowledged first (the instances' first requests are slow on busy cores), then a few seconds more.
            await(Duration.ofSeconds(90), () -> writers.get(0).acknowledged.size() >= 10,
                    () -> "ten keyed writes acknowledged before instance " + victim + " goes: " + writers.get(0).attempts);
            Thread.sleep(2000);
        }

        Stream direct(int n) {
            return all.stream().filter(s -> s.name.endsWith("direct " + n)).findFirst().orElseThrow();
        }

        /** Writes on for {@code after}, then stops them and waits until every stream holds every acknowledged write. */
        void finishAfter(Duration after) throws InterruptedException {
            Thread.sleep(after.toMillis());
            for (Writer writer : writers) {
                writer.finish();
            }
            Map<String, String> acknowledged = acknowledged();
            try {
                await(Duration.ofSeconds(30), () -> all.stream().allMatch(s -> s.bulletins.containsAll(acknowledged.keySet())),
                        () -> "every stream holds every acknowledged write: " + all.stream().map(s -> s + " lacks "
                                + acknowledged.entrySet().stream().filter(a -> !s.bulletins.contains(a.getKey())).toList()).toList());
            }
            finally {
                all.forEach(Stream::stop);
            }
        }

        /** Bulletin id → title of every acknowledged write. */
        Map<String, String> acknowledged() {
            return writers.stream().flatMap(w -> w.acknowledged.entrySet().stream())
                    .collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));
        }

        /** What the run measured, for the README's figures. */
        void report(String what) {
            System.out.printf("FailoverIT %s: %s%n", what, writers.stream().map(w -> "%s: %d acknowledged, %d attempts failed %s"
                    .formatted(w.getName(), w.acknowledged.size(), w.attempts.stream().filter(Attempt::failed).count(),
                            w.attempts.stream().filter(Attempt::failed).toList())).toList() + "; streams " + all);
        }

        void assertEveryAcknowledgedWriteKeptOnce() throws Exception {
            Writer keyed = writers.get(0);
            Writer unkeyed = writers.get(1);
            assertThat(keyed.acknowledged.keySet()).as("every keyed write acknowledged, retries included")
                    .containsExactlyInAnyOrderElementsOf(keyed.titles);
            Map<String, Long> stored = psql("SELECT title FROM bulletins WHERE title LIKE '" + label(keyed) + "%'")
                    .stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            // A retry with the same key, or a replay by HAProxy, never makes a second bulletin.
            assertThat(stored).as("bulletins in the database, by title").allSatisfy((title, n) -> assertThat(n).isOne());
            assertThat(stored.keySet()).containsAll(keyed.acknowledged.keySet())
                    .containsAll(unkeyed.acknowledged.keySet());
            assertThat(listed()).as("a list read holds every acknowledged write").containsAll(acknowledged().keySet());
        }

        void assertStreamsWhole() throws Exception {
            for (Stream stream : all) {
                List<Long> ids = List.copyOf(stream.ids);
                assertThat(stream.resets).as(stream.name).hasValue(0);
                assertThat(new HashSet<>(ids)).as("%s: no repeat", stream.name).hasSameSizeAs(ids);
                List<Long> logged = psql("SELECT seq FROM bulletin_events WHERE seq BETWEEN " + ids.get(0) + " AND "
                        + ids.get(ids.size() - 1) + " ORDER BY seq").stream().map(Long::valueOf).toList();
                assertThat(ids).as("%s: every event of the log, in order, without a gap", stream.name).isEqualTo(logged);
                assertThat(stream.bulletins).as(stream.name).containsAll(acknowledged().keySet());
            }
        }

        private String label(Writer keyed) {
            return keyed.titles.get(0).substring(0, keyed.titles.get(0).indexOf(' '));
        }
    }

    /** The ids of every bulletin in the list, read page after page through the public door (as a token holder: fresh). */
    private static Set<String> listed() throws Exception {
        Set<String> ids = new HashSet<>();
        String next = "/api/v1/bulletins?limit=100";
        while (next != null) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(topology.front().resolve(next))
                    .header("Authorization", "Bearer " + Topology.TOKEN).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(page.body());
            body.path("items").forEach(item -> ids.add(item.path("id").asString()));
            String cursor = body.path("next").isNull() || body.path("next").isMissingNode() ? null : body.path("next").asString();
            next = cursor == null ? null : "/api/v1/bulletins?limit=100&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
        }
        return ids;
    }

    private static List<String> psql(String sql) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("psql", "-X", "-At", "-h", "127.0.0.1", "-U", "postgres",
                "-d", topology.database(), "-c", sql).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    }

    private static void await(Duration within, BooleanSupplier condition, Supplier<String> what) {
        // The last value, shown when the wait runs out, names what was still missing.
        eventually(within, () -> condition.getAsBoolean() ? "" : what.get(), String::isEmpty);
    }
}
