package io.bantin.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GRIP mode against the real Pushpin (and HAProxy, Varnish, two instances) that topology.sh starts: streams through
 * the public door are held by Pushpin and fed by the instances' publishes. Every event arrives in order, as SSE and
 * as NDJSON, filtered as in direct mode; a client resuming with Last-Event-ID after a disconnect gets what it
 * missed once, without a gap (through several replay pages); heartbeats arrive; a too-old id gets reset.
 */
class PushpinGripIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    private static Topology topology;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ExecutorService readers = Executors.newCachedThreadPool(run -> {
        Thread thread = new Thread(run, "stream-reader");
        thread.setDaemon(true);
        return thread;
    });

    @BeforeAll
    static void start() throws Exception {
        // A small replay budget, so that a resume goes through several pages (next links without a hold).
        topology = Topology.startWithGrip(8800, "bantin_engines_grip", "--bantin.stream.heartbeat=2s",
                "--bantin.stream.grip.replay-bytes=1500");
    }

    @AfterAll
    static void stop() {
        readers.shutdownNow();
        if (topology != null) {
            topology.close();
        }
    }

    /** One stream through the public door, read line by line on a thread of its own. */
    static final class Stream implements AutoCloseable {

        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final InputStream body;

        Stream(String path, String accept, String lastEventId) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(topology.front().resolve(path)).header("Accept", accept);
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Grip-Hold")).as("Pushpin strips the instructions").isEmpty();
            body = response.body();
            readers.submit(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        lines.add(line);
                    }
                }
                catch (IOException closed) {
                    // closed by the test
                }
                return null;
            });
        }

        /** The next line, waiting at most {@code within}. */
        String next(Duration within) throws InterruptedException {
            String line = lines.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(line).as("a line within %s", within).isNotNull();
            return line;
        }

        /** The next NDJSON event line (heartbeats skipped). */
        String event() throws InterruptedException {
            long until = System.nanoTime() + WAIT.toNanos();
            while (true) {
                String line = next(Duration.ofNanos(Math.max(1, until - System.nanoTime())));
                if (!line.equals("{\"event\":\"heartbeat\"}")) {
                    return line;
                }
            }
        }

        /** The next SSE event as "id event", comments and data skipped. */
        String sseEvent() throws InterruptedException {
            long until = System.nanoTime() + WAIT.toNanos();
            String id = null;
            while (true) {
                String line = next(Duration.ofNanos(Math.max(1, until - System.nanoTime())));
                if (line.startsWith("id:")) {
                    id = line.substring(3);
                }
                else if (line.startsWith("event:")) {
                    return id + " " + line.substring(6);
                }
            }
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    private static String post(String json) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(topology.front().resolve("/api/v1/bulletins"))
                .header("Authorization", "Bearer " + Topology.TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Matcher id = ID.matcher(created.body());
        assertThat(id.find()).isTrue();
        return id.group(1);
    }

    private static void send(String method, String path, String json, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(topology.front().resolve(path))
                .header("Authorization", "Bearer " + Topology.TOKEN).header("Content-Type", "application/json");
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(expected);
    }

    /** The events /api/v1/changes lists after {@code after} (from an instance: what the stream must send), as "id event". */
    private static List<String> changes(long after, String filter) throws Exception {
        String page = http.send(HttpRequest.newBuilder(topology.instance(1).resolve("/api/v1/changes?limit=500&after="
                + after + filter)).build(), HttpResponse.BodyHandlers.ofString()).body();
        List<String> events = new ArrayList<>();
        Matcher item = Pattern.compile("\\{\"id\":(\\d+),\"event\":\"(\\w+)\"").matcher(page);
        while (item.find()) {
            events.add(item.group(1) + " " + item.group(2));
        }
        return events;
    }

    private static long newest() throws Exception {
        String page = http.send(HttpRequest.newBuilder(topology.instance(1).resolve("/api/v1/changes")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher next = Pattern.compile("\"next\":\"(\\d+)\"").matcher(page);
        assertThat(next.find()).as(page).isTrue();
        return Long.parseLong(next.group(1));
    }

    private static String ndjsonEvent(String line) {
        Matcher event = Pattern.compile("^\\{\"id\":(\\d+),\"event\":\"(\\w+)\"").matcher(line);
        assertThat(event.find()).as(line).isTrue();
        return event.group(1) + " " + event.group(2);
    }

    @Test
    void everyEventArrivesInOrderAsSseAndNdjsonAndFilteredAsInDirectMode() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String category = "Pushpin " + run;
        String slug = "pushpin-" + run;
        long before = newest();
        try (Stream sse = new Stream("/api/v1/stream", "text/event-stream", null);
                Stream ndjson = new Stream("/api/v1/stream", "application/x-ndjson", null);
                Stream filtered = new Stream("/api/v1/stream?category=" + slug, "application/x-ndjson", null)) {
            assertThat(sse.next(WAIT)).isEqualTo("retry:3000");
            assertThat(ndjson.next(WAIT)).isEqualTo("{\"event\":\"heartbeat\"}");
            assertThat(filtered.next(WAIT)).isEqualTo("{\"event\":\"heartbeat\"}");

            String moved = null;
            String withdrawn = null;
            for (int i = 0; i < 8; i++) {
                String id = post("{\"title\":\"Tin Pushpin %s %d\",\"body\":\"<p>Nội dung</p>\",\"author\":\"Ban biên tập\",\"category\":\"%s\"}"
                        .formatted(run, i, i % 2 == 0 ? category : "Khác " + run));
                if (i == 0) {
                    moved = id;
                }
                if (i == 2) {
                    withdrawn = id;
                }
            }
            send("PUT", "/api/v1/bulletins/" + moved, "{\"title\":\"Tin Pushpin %s dời\",\"body\":\"<p>Nội dung</p>\",\"author\":\"Ban biên tập\",\"category\":\"Khác %s\"}"
                    .formatted(run, run), 200);
            send("DELETE", "/api/v1/bulletins/" + withdrawn, null, 204);

            List<String> all = changes(before, "");
            List<String> followed = changes(before, "&category=" + slug);
            assertThat(all).hasSize(10);
            assertThat(followed).as("4 published, the move as a departure, the withdrawal").hasSize(6)
                    .endsWith(all.get(8).split(" ")[0] + " deleted", all.get(9).split(" ")[0] + " deleted");

            List<String> viaSse = new ArrayList<>();
            List<String> viaNdjson = new ArrayList<>();
            List<String> viaFilter = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                viaSse.add(sse.sseEvent());
                viaNdjson.add(ndjsonEvent(ndjson.event()));
            }
            for (int i = 0; i < followed.size(); i++) {
                viaFilter.add(ndjsonEvent(filtered.event()));
            }
            assertThat(viaSse).isEqualTo(all);
            assertThat(viaNdjson).isEqualTo(all);
            assertThat(viaFilter).isEqualTo(followed);
        }
    }

    @Test
    void aClientResumingWithLastEventIdGetsWhatItMissedOnceThroughSeveralReplayPages() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String lastSeen;
        long before = newest();
        try (Stream first = new Stream("/api/v1/stream", "application/x-ndjson", null)) {
            first.next(WAIT);
            for (int i = 0; i < 3; i++) {
                post("{\"title\":\"Tin nối lại %s %d\",\"body\":\"<p>Nội dung</p>\",\"author\":\"Ban biên tập\"}".formatted(run, i));
            }
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seen.add(ndjsonEvent(first.event()));
            }
            assertThat(seen).isEqualTo(changes(before, ""));
            lastSeen = seen.get(2).split(" ")[0];
        }
        // Missed while away: more than one replay page (bantin.stream.grip.replay-bytes=1500).
        for (int i = 3; i < 8; i++) {
            post("{\"title\":\"Tin nối lại %s %d\",\"summary\":\"%s\",\"body\":\"<p>Nội dung</p>\",\"author\":\"Ban biên tập\"}"
                    .formatted(run, i, "Tóm tắt dài. ".repeat(40)));
        }
        try (Stream again = new Stream("/api/v1/stream", "application/x-ndjson", lastSeen)) {
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                got.add(ndjsonEvent(again.event()));
            }
            for (int i = 8; i < 10; i++) {
                post("{\"title\":\"Tin nối lại %s %d\",\"body\":\"<p>Nội dung</p>\",\"author\":\"Ban biên tập\"}".formatted(run, i));
            }
            for (int i = 0; i < 2; i++) {
                got.add(ndjsonEvent(again.event()));
            }
            assertThat(got).as("no gap, no repeat").isEqualTo(changes(Long.parseLong(lastSeen), ""));
            assertThat(got).hasSize(7);
        }
    }

    @Test
    void heartbeatsArriveOnAQuietStream() throws Exception {
        try (Stream quiet = new Stream("/api/v1/stream?category=khong-ai-viet-" + UUID.randomUUID().toString().substring(0, 8),
                "text/event-stream", null)) {
            List<String> lines = new ArrayList<>();
            long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            while (System.nanoTime() < until) {
                String line = quiet.lines.poll(200, TimeUnit.MILLISECONDS);
                if (line != null) {
                    lines.add(line);
                }
            }
            assertThat(lines).startsWith("retry:3000", ":bantin stream");
            assertThat(lines.stream().filter(":heartbeat"::equals).count()).as("every 2 s or so: %s", lines)
                    .isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aTooOldIdGetsReset() throws Exception {
        post("{\"title\":\"Tin sẽ quá hạn\",\"body\":\"<p>Nội dung</p>\",\"author\":\"Ban biên tập\"}");
        long old = newest();
        post("{\"title\":\"Tin còn giữ\",\"body\":\"<p>Nội dung</p>\",\"author\":\"Ban biên tập\"}");
        long newest = newest();
        // What the retention cleanup does: delete a prefix of the log.
        Process psql = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", topology.database(), "-qc",
                "DELETE FROM bulletin_events WHERE seq <= " + old).redirectErrorStream(true).start();
        assertThat(psql.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(psql.exitValue()).as(new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

        try (Stream stale = new Stream("/api/v1/stream", "application/x-ndjson", Long.toString(old - 1))) {
            assertThat(stale.event()).isEqualTo("{\"id\":" + newest + ",\"event\":\"reset\",\"data\":{\"lastEventId\":" + newest + "}}");
            String id = post("{\"title\":\"Tin sau reset\",\"body\":\"<p>Nội dung</p>\",\"author\":\"Ban biên tập\"}");
            String next = stale.event();
            assertThat(Long.parseLong(ndjsonEvent(next).split(" ")[0])).isGreaterThan(newest);
            assertThat(ndjsonEvent(next)).endsWith(" published");
            assertThat(next).contains(id);
        }
    }
}
