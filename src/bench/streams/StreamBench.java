import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load client for GET /api/v1/stream: measures the live heap each idle stream holds on the server, then
 * publishes B bulletins at a steady rate and reports deliveries per second, publish-to-delivery latency and
 * whether every subscriber got every event.
 * Usage: java StreamBench.java BASE_URL[,BASE_URL...] ADMIN_TOKEN SUBSCRIBERS BULLETINS [PAUSE_MS]
 * PAUSE_MS (default 0: back to back) is the interval between two publications' starts (200: 5 a second);
 * with a pause, each POST is sent at its turn without waiting for the one before, so a slow answer does not
 * lower the offered rate.
 * The client is cheap on purpose, as it shares the cores with the server: all subscribers are plain
 * non-blocking sockets on one selector thread, decoding chunked SSE by hand, no thread or pipeline per stream.
 * The latency clock starts just before the POST is sent (its nanoTime travels in the title).
 * Several base URLs (instances sharing one database): subscriber i goes to instance i % count, every
 * bulletin is published through the first one.
 * BENCH_SERVER_PID (comma-separated, same order as the URLs): live heap per idle stream is measured with
 * {@code jcmd GC.class_histogram} (a full GC, then the live objects) with no stream open and with all N
 * open and idle: the difference over N, and the classes that make it up. BENCH_WARMUP=W publishes W
 * bulletins at the same pace first, unmeasured, and waits until every subscriber has them: the figures are then
 * those of a server whose JIT has compiled the delivery path. BENCH_HOLD_SECONDS keeps the
 * streams open after the figures, for memory measured from outside.
 */
public class StreamBench {

    private static final byte[] BENCH = "bench ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WARM_UP = "bench warm-up ".getBytes(StandardCharsets.US_ASCII);
    /** How much of a line the client looks at: the mark is in the title, near the start of the data. */
    private static final int KEPT = 256;

    /** One subscriber's socket and decoding state: only the selector thread touches it. */
    static final class Stream {
        final int index;
        final int instance;
        final SocketChannel socket;
        final ByteBuffer request;
        boolean headersDone;
        boolean failed;
        byte[] head = new byte[1024];
        int headLength;
        long chunkLeft = -1; // -1: reading a chunk-size line
        boolean chunkTrailer; // the CRLF after a chunk's data
        long size; // the chunk-size line's value so far
        final byte[] line = new byte[KEPT]; // the start of a line split between two reads
        int lineLength; // the whole line's, though only KEPT bytes are kept
        boolean markedThisEvent;
        final BitSet got;

        Stream(int index, int instance, SocketChannel socket, ByteBuffer request, int bulletins) {
            this.index = index;
            this.instance = instance;
            this.socket = socket;
            this.request = request;
            this.got = new BitSet(bulletins);
        }
    }

    static final AtomicInteger connected = new AtomicInteger();
    static final AtomicInteger failed = new AtomicInteger();
    static final AtomicLong warmDeliveries = new AtomicLong();
    static final AtomicLong deliveries = new AtomicLong();
    static volatile long lastDeliveryNanos;
    static long[] latency; // per delivery, in arrival order (selector thread only)
    static int[] bulletinOf;
    static byte[] instanceOf;
    static int[] connectedAt;
    static int[] failedAt;

    public static void main(String[] args) throws Exception {
        String[] bases = args[0].split(",");
        String base = bases[0];
        int instances = bases.length;
        String adminToken = args[1];
        int subscribers = Integer.parseInt(args[2]);
        int bulletins = Integer.parseInt(args[3]);
        long pauseMillis = args.length > 4 ? Long.parseLong(args[4]) : 0;
        String serverPids = System.getenv("BENCH_SERVER_PID");
        String[] pids = serverPids == null ? new String[0] : serverPids.split(",");
        latency = new long[subscribers * bulletins];
        bulletinOf = new int[subscribers * bulletins];
        instanceOf = new byte[subscribers * bulletins];
        connectedAt = new int[instances];
        failedAt = new int[instances];

        // Live heap with no stream open, before the first one (a full GC first: the histogram forces it).
        Map<String, long[]>[] before = histograms(pids, instances);

        Selector selector = Selector.open();
        ConcurrentLinkedQueue<Stream> opening = new ConcurrentLinkedQueue<>();
        List<Stream> streams = new ArrayList<>(subscribers);
        Thread reader = new Thread(() -> loop(selector, opening), "bench-selector");
        reader.setDaemon(true);
        reader.start();

        // BENCH_OPEN_BATCH: how many connections are opened before waiting for them all to be answered.
        int openBatch = Integer.parseInt(System.getenv().getOrDefault("BENCH_OPEN_BATCH", "500"));
        long openStart = System.nanoTime();
        for (int i = 0; i < subscribers; i++) {
            int k = i % instances;
            URI uri = URI.create(bases[k]);
            SocketChannel socket = SocketChannel.open();
            socket.configureBlocking(false);
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
            byte[] request = ("GET /api/v1/stream HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            Stream stream = new Stream(i, k, socket, ByteBuffer.wrap(request), bulletins);
            streams.add(stream);
            opening.add(stream);
            selector.wakeup();
            if (i % openBatch == openBatch - 1) {
                int opened = i + 1; // open in batches so the server's accept queue never overflows
                waitFor(() -> connected.get() + failed.get() >= opened, Duration.ofSeconds(60));
            }
        }
        waitFor(() -> connected.get() + failed.get() >= subscribers, Duration.ofSeconds(300));
        double openSeconds = (System.nanoTime() - openStart) / 1e9;
        System.out.printf("connected %d of %d subscribers in %.1f s (%d failed)%n", connected.get(), subscribers,
                openSeconds, failed.get());

        Thread.sleep(2000); // let the opening settle: the streams are now idle
        Map<String, long[]>[] idle = histograms(pids, instances);
        double[] perStream = new double[instances];
        for (int k = 0; k < pids.length && k < instances; k++) {
            int open = connectedAt[k];
            long delta = idle[k].get("Total")[1] - before[k].get("Total")[1];
            perStream[k] = open == 0 ? Double.NaN : delta / (double) open;
            System.out.printf("server %s live heap: %.1f MiB with no stream, %.1f MiB with %d idle streams: "
                    + "%.0f bytes (%.2f KiB) a stream%n", bases[k], before[k].get("Total")[1] / 1048576.0,
                    idle[k].get("Total")[1] / 1048576.0, open, perStream[k], perStream[k] / 1024);
            printTopClasses(before[k], idle[k], open);
        }

        HttpClient http = HttpClient.newHttpClient();
        String publisher = token(http, base, adminToken);
        int warmUp = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP", "0"));
        if (warmUp > 0) { // the same load first, unmeasured: the figures are then those of a server that has run a while
            long warmStart = System.nanoTime();
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> warming = new ArrayList<>();
            for (int n = 0; n < warmUp; n++) {
                long wait = warmStart + n * Math.max(1, pauseMillis) * 1_000_000L - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                warming.add(http.sendAsync(publication(base, publisher, "bench warm-up " + n), HttpResponse.BodyHandlers.ofString()));
            }
            for (var post : warming) {
                post.get();
            }
            long wanted = (long) warmUp * connected.get();
            waitFor(() -> warmDeliveries.get() >= wanted, Duration.ofSeconds(300));
            System.out.printf("warm-up: %d bulletins, %d of %d deliveries in %.1f s%n", warmUp, warmDeliveries.get(), wanted,
                    (System.nanoTime() - warmStart) / 1e9);
            Thread.sleep(2000);
        }
        long cpuClientStart = cpuNanos();
        long[] cpuServerStart = serverCpuTicks(pids);
        long publishStart = System.nanoTime();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
        for (int n = 0; n < bulletins; n++) {
            if (pauseMillis > 0) { // a steady rate: each publication starts at its turn, however long the last takes
                long turn = publishStart + n * pauseMillis * 1_000_000L;
                long wait = turn - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            HttpRequest post = publication(base, publisher, "bench " + n + " " + System.nanoTime());
            if (pauseMillis > 0) {
                posts.add(http.sendAsync(post, HttpResponse.BodyHandlers.ofString()));
            }
            else {
                posts.add(java.util.concurrent.CompletableFuture.completedFuture(http.send(post, HttpResponse.BodyHandlers.ofString())));
            }
        }
        int refused = 0;
        for (var post : posts) {
            HttpResponse<String> r = post.get();
            if (r.statusCode() != 201) { // counted and reported: the rest of the run still measures delivery
                refused++;
                System.out.println("publish failed: " + r.statusCode() + " " + r.body());
            }
        }
        int published = bulletins - refused;
        double publishSeconds = (System.nanoTime() - publishStart) / 1e9;
        long expected = (long) connected.get() * published;
        waitFor(() -> deliveries.get() >= expected, Duration.ofSeconds(300));
        double deliverSeconds = (lastDeliveryNanos - publishStart) / 1e9;
        double clientCpu = (cpuNanos() - cpuClientStart) / 1e9;
        long[] cpuServerEnd = serverCpuTicks(pids);
        Thread.sleep(200);

        int complete = 0;
        int[] completeAt = new int[instances];
        for (Stream s : streams) {
            if (s.got.cardinality() == published) {
                complete++;
                completeAt[s.instance]++;
            }
        }
        int count = (int) Math.min(deliveries.get(), latency.length);
        int warmFrom = Math.min(10, bulletins / 2); // the first bulletins meet a cold JIT (server and client)
        long[] all = Arrays.copyOf(latency, count);
        long[] warm = new long[count];
        int warmCount = 0;
        long[][] at = new long[instances][count];
        int[] atCount = new int[instances];
        for (int i = 0; i < count; i++) {
            if (bulletinOf[i] >= warmFrom) {
                warm[warmCount++] = latency[i];
            }
            at[instanceOf[i]][atCount[instanceOf[i]]++] = latency[i];
        }
        warm = Arrays.copyOf(warm, warmCount);
        Arrays.sort(all);
        Arrays.sort(warm);
        double offered = pauseMillis > 0 ? 1000.0 / pauseMillis * connected.get() : Double.NaN;
        System.out.println();
        System.out.println("| subscribers | bulletins (published) | pause ms | offered deliveries/s | deliveries (expected) | complete subscribers | deliveries/s | p50 ms | p99 ms | max ms | publish s | all delivered s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        System.out.printf("| %d | %d (%d) | %d | %.0f | %d (%d) | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f |%n", subscribers,
                bulletins, published, pauseMillis, offered, deliveries.get(), expected, complete, deliveries.get() / deliverSeconds,
                pct(all, 0.50), pct(all, 0.99), pct(all, 1.0), publishSeconds, deliverSeconds);
        System.out.printf("without the first %d bulletins (cold JIT): %d deliveries, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                warmFrom, warm.length, pct(warm, 0.50), pct(warm, 0.99), pct(warm, 1.0));
        System.out.printf("CPU over the publishing phase (%.1f s): client %.1f s (%.0f %% of one core)", deliverSeconds,
                clientCpu, 100 * clientCpu / deliverSeconds);
        for (int k = 0; k < pids.length && k < instances; k++) {
            double s = (cpuServerEnd[k] - cpuServerStart[k]) / 100.0;
            System.out.printf(", server %d %.1f s (%.0f %% of one core)", k + 1, s, 100 * s / deliverSeconds);
        }
        System.out.printf(", load average %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
        if (instances > 1) {
            System.out.println();
            System.out.println("| instance | path | subscribers connected (failed) | deliveries | complete subscribers | p50 ms | p99 ms | max ms | live heap per idle stream B |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            for (int k = 0; k < instances; k++) {
                long[] mine = Arrays.copyOf(at[k], atCount[k]);
                Arrays.sort(mine);
                System.out.printf("| %s | %s | %d (%d) | %d | %d | %.1f | %.1f | %.1f | %.0f |%n", bases[k],
                        k == 0 ? "publishing instance" : "cross-instance", connectedAt[k], failedAt[k], mine.length,
                        completeAt[k], pct(mine, 0.50), pct(mine, 0.99), pct(mine, 1.0), perStream[k]);
            }
        }
        // BENCH_HOLD_SECONDS: keep the streams open that long after the figures, for a caller measuring memory
        // from outside (src/bench/pushpin/run.sh); it prints the line below when they are all still open.
        long hold = Long.parseLong(System.getenv().getOrDefault("BENCH_HOLD_SECONDS", "0"));
        if (hold > 0) {
            System.out.println("holding " + streams.size() + " subscribers for " + hold + " s");
            System.out.flush();
            Thread.sleep(hold * 1000);
        }
        for (Stream s : streams) {
            s.socket.close();
        }
        System.exit(0);
    }

    /** The selector thread: connects, sends each request, and decodes every response. */
    private static void loop(Selector selector, ConcurrentLinkedQueue<Stream> opening) {
        ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);
        byte[] bytes = new byte[in.capacity()];
        try {
            while (true) {
                selector.select(100);
                for (Stream s; (s = opening.poll()) != null;) {
                    s.socket.register(selector, SelectionKey.OP_CONNECT, s);
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    Stream s = (Stream) key.attachment();
                    if (!key.isValid()) {
                        continue; // closed as failed
                    }
                    try {
                        if (key.isConnectable()) {
                            s.socket.finishConnect();
                            s.socket.write(s.request);
                            key.interestOps(SelectionKey.OP_READ);
                        }
                        else if (key.isReadable()) {
                            in.clear();
                            int n = s.socket.read(in);
                            if (n < 0) {
                                fail(s, key);
                                continue;
                            }
                            in.flip();
                            in.get(bytes, 0, n);
                            feed(s, bytes, n);
                            if (s.failed) {
                                key.cancel();
                                s.socket.close();
                            }
                        }
                    }
                    catch (IOException e) {
                        fail(s, key);
                    }
                }
            }
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void fail(Stream s, SelectionKey key) throws IOException {
        if (!s.failed) {
            s.failed = true;
            failed.incrementAndGet();
            failedAt[s.instance]++;
        }
        key.cancel();
        s.socket.close();
    }

    private static void feed(Stream s, byte[] b, int n) {
        int i = 0;
        if (!s.headersDone) {
            for (; i < n; i++) {
                if (s.headLength == s.head.length) {
                    s.head = Arrays.copyOf(s.head, s.head.length * 2);
                }
                s.head[s.headLength++] = b[i];
                int h = s.headLength;
                if (h >= 4 && s.head[h - 4] == '\r' && s.head[h - 3] == '\n' && s.head[h - 2] == '\r' && s.head[h - 1] == '\n') {
                    String head = new String(s.head, 0, h, StandardCharsets.ISO_8859_1);
                    s.head = null;
                    s.headersDone = true;
                    i++;
                    if (!head.startsWith("HTTP/1.1 200")) {
                        s.failed = true;
                        failed.incrementAndGet();
                        failedAt[s.instance]++;
                        return;
                    }
                    break;
                }
            }
        }
        for (; i < n; i++) {
            byte c = b[i];
            if (s.chunkTrailer) { // the CRLF after a chunk's data
                if (c == '\n') {
                    s.chunkTrailer = false;
                    s.chunkLeft = -1;
                }
                continue;
            }
            if (s.chunkLeft < 0) { // a chunk-size line
                if (c == '\n') {
                    s.chunkLeft = s.size;
                    s.size = 0;
                    if (s.chunkLeft == 0) {
                        s.failed = true; // the server ended the stream
                        failed.incrementAndGet();
                        failedAt[s.instance]++;
                        return;
                    }
                }
                else if (c != '\r') {
                    s.size = s.size * 16 + Character.digit(c, 16);
                }
                continue;
            }
            int take = (int) Math.min(s.chunkLeft, n - i);
            lines(s, b, i, i + take);
            i += take - 1;
            s.chunkLeft -= take;
            if (s.chunkLeft == 0) {
                s.chunkTrailer = true;
            }
        }
    }

    /** Splits {@code b[from, to)} into lines, in place when a line is whole in it (the usual case: no copy). */
    private static void lines(Stream s, byte[] b, int from, int to) {
        int start = from;
        for (int j = from; j < to; j++) {
            if (b[j] == '\n') {
                if (s.lineLength == 0) {
                    line(s, b, start, j - start);
                }
                else {
                    keep(s, b, start, j - start);
                    line(s, s.line, 0, s.lineLength);
                    s.lineLength = 0;
                }
                start = j + 1;
            }
        }
        if (start < to) {
            keep(s, b, start, to - start);
        }
    }

    private static void keep(Stream s, byte[] b, int from, int length) {
        int room = Math.min(length, KEPT - s.lineLength);
        if (room > 0) {
            System.arraycopy(b, from, s.line, s.lineLength, room);
        }
        s.lineLength += length;
    }

    /** One line of the stream, {@code length} long, of which {@code l[at, at + KEPT)} at most is looked at. */
    private static void line(Stream s, byte[] l, int at, int length) {
        int len = Math.min(length, KEPT);
        if (length == 0) {
            s.markedThisEvent = false; // the end of an event
        }
        else if (len > 6 && l[at] == 'r' && l[at + 1] == 'e' && l[at + 2] == 't' && l[at + 3] == 'r' && l[at + 4] == 'y'
                && l[at + 5] == ':') {
            connected.incrementAndGet();
            connectedAt[s.instance]++;
        }
        else if (len > 5 && l[at] == 'd' && l[at + 1] == 'a' && l[at + 2] == 't' && l[at + 3] == 'a' && l[at + 4] == ':'
                && !s.markedThisEvent) {
            long now = System.nanoTime();
            int mark = indexOf(l, at, at + len, BENCH);
            if (mark < 0) {
                return;
            }
            s.markedThisEvent = true;
            if (indexOf(l, mark, Math.min(at + len, mark + WARM_UP.length), WARM_UP) == mark) {
                warmDeliveries.incrementAndGet();
                return;
            }
            // "bench N T": the bulletin's number, then the nanoTime just before its POST was sent
            int i = mark + BENCH.length;
            int end = at + len;
            int bulletin = 0;
            for (; i < end && l[i] >= '0' && l[i] <= '9'; i++) {
                bulletin = bulletin * 10 + (l[i] - '0');
            }
            if (i >= end || l[i] != ' ' || i == mark + BENCH.length) {
                s.markedThisEvent = false;
                return;
            }
            long sent = 0;
            boolean negative = ++i < end && l[i] == '-';
            if (negative) {
                i++;
            }
            int digits = i;
            for (; i < end && l[i] >= '0' && l[i] <= '9'; i++) {
                sent = sent * 10 + (l[i] - '0');
            }
            if (i == digits) {
                s.markedThisEvent = false;
                return;
            }
            if (negative) {
                sent = -sent;
            }
            s.got.set(bulletin);
            long slot = deliveries.getAndIncrement();
            if (slot < latency.length) {
                latency[(int) slot] = now - sent;
                bulletinOf[(int) slot] = bulletin;
                instanceOf[(int) slot] = (byte) s.instance;
            }
            lastDeliveryNanos = now;
        }
    }

    private static int indexOf(byte[] hay, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i + needle.length <= to; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A bulletin titled {@code title}, the same size as every other one this bench publishes. */
    static HttpRequest publication(String base, String publisher, String title) {
        String body = "{\"title\":\"" + title + "\",\"summary\":\"Tin thử tải\","
                + "\"body\":\"<p>" + "Nội dung thử tải. ".repeat(40) + "</p>\",\"category\":\"Thử tải\"}";
        return HttpRequest.newBuilder(URI.create(base + "/api/v1/bulletins"))
                .header("Authorization", "Bearer " + publisher).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }


    /** Each server's live objects by class (bytes), after the full GC that {@code GC.class_histogram} runs. */
    @SuppressWarnings("unchecked")
    private static Map<String, long[]>[] histograms(String[] pids, int instances) throws Exception {
        Map<String, long[]>[] maps = new Map[instances];
        for (int k = 0; k < instances; k++) {
            maps[k] = new HashMap<>();
            if (k >= pids.length) {
                maps[k].put("Total", new long[] {0, 0});
                continue;
            }
            Process p = new ProcessBuilder("jcmd", pids[k], "GC.class_histogram").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            for (String row : out.split("\n")) {
                String[] f = row.trim().split("\\s+");
                if (f.length >= 4 && f[0].endsWith(":")) {
                    maps[k].put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
                }
                else if (f.length >= 3 && f[0].equals("Total")) {
                    maps[k].put("Total", new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
                }
            }
        }
        return maps;
    }

    private static void printTopClasses(Map<String, long[]> before, Map<String, long[]> after, int streams) {
        if (streams == 0) {
            return;
        }
        List<Map.Entry<String, long[]>> rows = new ArrayList<>();
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            if (e.getKey().equals("Total")) {
                continue;
            }
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            rows.add(Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]}));
        }
        rows.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        StringBuilder full = new StringBuilder();
        for (Map.Entry<String, long[]> r : rows) {
            full.append(String.format("%8.0f %7.2f %s%n", r.getValue()[1] / (double) streams,
                    r.getValue()[0] / (double) streams, r.getKey()));
        }
        try {
            Files.writeString(Path.of("target/stream-heap-classes.txt"), full);
        }
        catch (IOException e) {
            System.out.println("could not write target/stream-heap-classes.txt: " + e);
        }
        System.out.println("  bytes a stream | objects a stream | class (all of them: target/stream-heap-classes.txt)");
        for (Map.Entry<String, long[]> r : rows.subList(0, Math.min(25, rows.size()))) {
            System.out.printf("  %8.0f | %6.2f | %s%n", r.getValue()[1] / (double) streams,
                    r.getValue()[0] / (double) streams, r.getKey());
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** utime + stime of each server process, in clock ticks (1/100 s). */
    private static long[] serverCpuTicks(String[] pids) throws IOException {
        long[] ticks = new long[pids.length];
        for (int k = 0; k < pids.length; k++) {
            String stat = Files.readString(Path.of("/proc/" + pids[k].trim() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks[k] = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
        return ticks;
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
