import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import reactor.core.Disposable;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Load client for GET /api/v1/stream: opens N SSE subscribers, publishes B bulletins, and reports
 * publish-to-delivery latency over all deliveries and whether every subscriber got every event.
 * Usage: java -cp CLASSPATH StreamBench.java BASE_URL[,BASE_URL...] ADMIN_TOKEN SUBSCRIBERS BULLETINS [PAUSE_MS]
 * PAUSE_MS (default 0: back to back) spaces the publications, to see latency below saturation.
 * The latency clock starts just before the POST is sent (its nanoTime travels in the title).
 * Several base URLs (instances sharing one database): subscriber i goes to instance i % count, every
 * bulletin is published through the first one, so the others deliver through the cross-instance path
 * (NOTIFY + bulletin_events); the figures are given over all deliveries and per instance.
 * BENCH_SERVER_PID (comma-separated, same order as the URLs): each server gets a full GC before its heap
 * is read. BENCH_HOLD_SECONDS keeps the streams open after the figures, for memory measured from outside.
 */
public class StreamBench {

    private static final Pattern MARK = Pattern.compile("bench (\\d+) (\\d+)");
    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };

    public static void main(String[] args) throws Exception {
        String[] bases = args[0].split(",");
        String base = bases[0];
        int instances = bases.length;
        String adminToken = args[1];
        int subscribers = Integer.parseInt(args[2]);
        int bulletins = Integer.parseInt(args[3]);
        long pauseMillis = args.length > 4 ? Long.parseLong(args[4]) : 0;

        WebClient[] webs = new WebClient[instances];
        AtomicInteger[] connectedAt = new AtomicInteger[instances];
        AtomicInteger[] failedAt = new AtomicInteger[instances];
        AtomicLong[] latenciesAt = new AtomicLong[instances];
        long[][] latencyAt = new long[instances][];
        int[][] bulletinAt = new int[instances][]; // which bulletin each latency is for
        for (int k = 0; k < instances; k++) {
            webs[k] = WebClient.builder().baseUrl(bases[k])
                    .clientConnector(new ReactorClientHttpConnector(
                            reactor.netty.http.client.HttpClient.create(ConnectionProvider.newConnection())))
                    .build();
            connectedAt[k] = new AtomicInteger();
            failedAt[k] = new AtomicInteger();
            latenciesAt[k] = new AtomicLong();
            int assigned = subscribers / instances + (k < subscribers % instances ? 1 : 0);
            latencyAt[k] = new long[assigned * bulletins];
            bulletinAt[k] = new int[assigned * bulletins];
        }
        AtomicInteger connected = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong latencies = new AtomicLong();
        BitSet[] got = new BitSet[subscribers];
        Disposable[] streams = new Disposable[subscribers];
        long openStart = System.nanoTime();
        for (int i = 0; i < subscribers; i++) {
            BitSet mine = new BitSet(bulletins);
            got[i] = mine;
            int k = i % instances; // round-robin over the instances
            AtomicInteger connectedHere = connectedAt[k];
            AtomicInteger failedHere = failedAt[k];
            AtomicLong latenciesHere = latenciesAt[k];
            long[] latency = latencyAt[k];
            int[] bulletinOf = bulletinAt[k];
            streams[i] = webs[k].get().uri("/api/v1/stream").accept(MediaType.TEXT_EVENT_STREAM).retrieve()
                    .bodyToFlux(SSE)
                    .subscribe(event -> {
                        if (event.event() == null) {
                            if (event.retry() != null) {
                                connected.incrementAndGet();
                                connectedHere.incrementAndGet();
                            }
                            return;
                        }
                        long now = System.nanoTime();
                        Matcher m = MARK.matcher(event.data());
                        if (m.find()) {
                            int n = Integer.parseInt(m.group(1));
                            synchronized (mine) {
                                mine.set(n);
                            }
                            latencies.incrementAndGet();
                            long slot = latenciesHere.getAndIncrement();
                            if (slot < latency.length) {
                                latency[(int) slot] = now - Long.parseLong(m.group(2));
                                bulletinOf[(int) slot] = n;
                            }
                        }
                    }, error -> {
                        failed.incrementAndGet();
                        failedHere.incrementAndGet();
                    });
            if (i % 500 == 499) {
                int opened = i + 1; // open in batches so the server's accept queue never overflows
                waitFor(() -> connected.get() + failed.get() >= opened, Duration.ofSeconds(30));
            }
        }
        waitFor(() -> connected.get() + failed.get() >= subscribers, Duration.ofSeconds(300));
        double openSeconds = (System.nanoTime() - openStart) / 1e9;
        System.out.printf("connected %d of %d subscribers in %.1f s (%d failed)%n", connected.get(), subscribers,
                openSeconds, failed.get());

        HttpClient http = HttpClient.newHttpClient();
        String publisher = token(http, base, adminToken);
        long publishStart = System.nanoTime();
        for (int n = 0; n < bulletins; n++) {
            String body = "{\"title\":\"bench " + n + " " + System.nanoTime() + "\",\"summary\":\"Tin thử tải\","
                    + "\"body\":\"<p>" + "Nội dung thử tải. ".repeat(40) + "</p>\",\"category\":\"Thử tải\"}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/bulletins"))
                    .header("Authorization", "Bearer " + publisher).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new IllegalStateException("publish failed: " + r.statusCode() + " " + r.body());
            }
            if (pauseMillis > 0) {
                Thread.sleep(pauseMillis);
            }
        }
        double publishSeconds = (System.nanoTime() - publishStart) / 1e9;
        long expected = (long) connected.get() * bulletins;
        waitFor(() -> latencies.get() >= expected, Duration.ofSeconds(300));
        double deliverSeconds = (System.nanoTime() - publishStart) / 1e9;

        int complete = 0;
        int[] completeAt = new int[instances];
        for (int i = 0; i < subscribers; i++) {
            BitSet b = got[i];
            synchronized (b) {
                if (b.cardinality() == bulletins) {
                    complete++;
                    completeAt[i % instances]++;
                }
            }
        }
        long[][] sortedAt = new long[instances][];
        int total = 0;
        for (int k = 0; k < instances; k++) {
            sortedAt[k] = Arrays.copyOf(latencyAt[k], (int) Math.min(latenciesAt[k].get(), latencyAt[k].length));
            Arrays.sort(sortedAt[k]);
            total += sortedAt[k].length;
        }
        long[] sorted = new long[total];
        for (int k = 0, at = 0; k < instances; k++) {
            System.arraycopy(sortedAt[k], 0, sorted, at, sortedAt[k].length);
            at += sortedAt[k].length;
        }
        Arrays.sort(sorted);
        // the first bulletins meet a cold JIT (server and client): the same figures without them
        int warmFrom = Math.min(10, bulletins / 2);
        long[] warm = new long[total];
        int warmCount = 0;
        for (int k = 0; k < instances; k++) {
            int count = (int) Math.min(latenciesAt[k].get(), latencyAt[k].length);
            for (int i = 0; i < count; i++) {
                if (bulletinAt[k][i] >= warmFrom) {
                    warm[warmCount++] = latencyAt[k][i];
                }
            }
        }
        warm = Arrays.copyOf(warm, warmCount);
        Arrays.sort(warm);
        String serverPids = System.getenv("BENCH_SERVER_PID");
        String[] pids = serverPids == null ? new String[0] : serverPids.split(",");
        double[] heapAt = new double[instances];
        for (int k = 0; k < instances; k++) {
            if (k < pids.length) { // a full GC first, so the figure is what the open streams really hold
                new ProcessBuilder("jcmd", pids[k], "GC.run").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            }
            HttpResponse<String> scrape = http.send(
                    HttpRequest.newBuilder(URI.create(bases[k] + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
            heapAt[k] = scrape.body().lines().filter(l -> l.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            System.out.printf("server%s heap in use with %d subscribers still open%s: %.0f MiB%n",
                    instances == 1 ? "" : " " + bases[k], connectedAt[k].get(),
                    k < pids.length ? " (after a full GC)" : " (no GC forced)", heapAt[k] / 1048576);
        }
        System.out.println();
        System.out.println("| subscribers | bulletins | pause ms | deliveries (expected) | complete subscribers | p50 ms | p99 ms | max ms | publish s | all delivered s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        System.out.printf("| %d | %d | %d | %d (%d) | %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n", subscribers, bulletins, pauseMillis,
                latencies.get(), expected, complete, pct(sorted, 0.50), pct(sorted, 0.99), pct(sorted, 1.0),
                publishSeconds, deliverSeconds);
        System.out.printf("without the first %d bulletins (cold JIT): %d deliveries, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                warmFrom, warm.length, pct(warm, 0.50), pct(warm, 0.99), pct(warm, 1.0));
        if (instances > 1) {
            System.out.println();
            System.out.println("| instance | path | subscribers connected (failed) | deliveries (expected) | complete subscribers | p50 ms | p99 ms | max ms | heap with streams open MiB |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            for (int k = 0; k < instances; k++) {
                System.out.printf("| %s | %s | %d (%d) | %d (%d) | %d | %.1f | %.1f | %.1f | %.0f |%n", bases[k],
                        k == 0 ? "publishing instance" : "cross-instance", connectedAt[k].get(), failedAt[k].get(),
                        latenciesAt[k].get(), (long) connectedAt[k].get() * bulletins, completeAt[k],
                        pct(sortedAt[k], 0.50), pct(sortedAt[k], 0.99), pct(sortedAt[k], 1.0), heapAt[k] / 1048576);
            }
        }
        // BENCH_HOLD_SECONDS: keep the streams open that long after the figures, for a caller measuring memory
        // from outside (src/bench/pushpin/run.sh); it prints the line below when they are all still open.
        long hold = Long.parseLong(System.getenv().getOrDefault("BENCH_HOLD_SECONDS", "0"));
        if (hold > 0) {
            System.out.println("holding " + connected.get() + " subscribers for " + hold + " s");
            System.out.flush();
            Thread.sleep(hold * 1000);
        }
        for (Disposable d : streams) {
            d.dispose();
        }
        System.exit(0);
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    private static String token(HttpClient http, String base, String adminToken) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tokens"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\",\"role\":\"publisher\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("no token: " + r.statusCode() + " " + r.body());
        }
        return m.group(1);
    }

    private static void waitFor(java.util.function.BooleanSupplier done, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }
}
