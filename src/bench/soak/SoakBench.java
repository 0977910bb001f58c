import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.buffer.ByteBuf;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Soak test of one Bantin instance (issue 5): for DURATION seconds, mixed read traffic at a fixed offered rate
 * (feeds with and without If-None-Match and gzip, JSON lists, searches, NDJSON exports, single bulletins),
 * PUBLISH_RATE publishes a second, and SUBSCRIBERS open SSE streams of which NEVER_READERS never read a byte
 * after the opening comment. Reports per-endpoint throughput and latency, errors, heap and open files at the
 * start and end, whether every reading subscriber received every event (checked against bulletin_events in
 * PostgreSQL), and that the never-readers were dropped and, resumed with Last-Event-ID, got everything they missed.
 *
 * Usage: java -cp CLASSPATH SoakBench.java (settings come from SOAK_* environment variables, see run.sh).
 */
public class SoakBench {

    // ---- settings -------------------------------------------------------------------------------------------
    static final String BASE = env("SOAK_BASE", "http://127.0.0.1:18095");
    static final String ADMIN = env("SOAK_ADMIN_TOKEN", "soak-admin");
    static final String DB = env("SOAK_DB", "bantin_soak");
    static final long SERVER_PID = Long.parseLong(env("SOAK_SERVER_PID", "0"));
    static final int DURATION = Integer.parseInt(env("SOAK_DURATION", "600"));
    static final int SUBSCRIBERS = Integer.parseInt(env("SOAK_SUBSCRIBERS", "2000"));
    static final int NEVER_READERS = Integer.parseInt(env("SOAK_NEVER_READERS", "100"));
    static final double READ_RATE = Double.parseDouble(env("SOAK_READ_RATE", "150"));
    static final double PUBLISH_RATE = Double.parseDouble(env("SOAK_PUBLISH_RATE", "20"));
    static final int WARMUP = Integer.parseInt(env("SOAK_WARMUP", "30"));
    static final int SEED = Integer.parseInt(env("SOAK_SEED", "600"));
    static final int RESUME_SAMPLE = Integer.parseInt(env("SOAK_RESUME_SAMPLE", "10"));
    static final int MAX_IN_FLIGHT = Integer.parseInt(env("SOAK_MAX_IN_FLIGHT", "256"));
    static final Path OUT = Path.of(env("SOAK_OUT", "."));

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    static final long T0 = System.nanoTime();

    static void log(String format, Object... args) {
        System.out.printf("[%s +%5.0fs] %s%n", Instant.now().toString().substring(11, 19),
                (System.nanoTime() - T0) / 1e9, String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    // ---- content --------------------------------------------------------------------------------------------
    static final String[] CATEGORIES = {"Thời sự", "Kinh tế", "Văn hóa", "Thể thao", "Giáo dục"};
    static final String[] CATEGORY_SLUGS = {"thoi-su", "kinh-te", "van-hoa", "the-thao", "giao-duc"};
    static final String[] SUBJECTS = {"Hội nghị tổng kết công tác dân vận", "Đắk Lắk đẩy mạnh chuyển đổi số",
            "Nông dân thu hoạch cà phê", "Giải bóng đá thiếu niên", "Học sinh tựu trường năm học mới",
            "Tỉnh ủy họp bàn phát triển kinh tế", "Lễ hội văn hóa cồng chiêng Tây Nguyên", "Phòng chống bão lũ miền Trung"};
    static final String[] TAGS = {"Hội nghị", "Đắk Lắk", "Cà phê", "Chuyển đổi số", "Bóng đá", "Bão lũ"};
    static final String[] QUERIES = {"dan van", "hoi nghi", "ca phe", "Đắk Lắk", "chuyen doi so", "cong chieng",
            "bao lu", "bong da thieu nien"};
    static final String PARAGRAPH = "<p>Sáng nay, Ủy ban nhân dân tỉnh tổ chức hội nghị đánh giá kết quả thực hiện "
            + "các chỉ tiêu kinh tế – xã hội và triển khai nhiệm vụ trọng tâm của năm tới. Các đại biểu đã thảo luận "
            + "sôi nổi về chuyển đổi số, xây dựng nông thôn mới và phát triển cây cà phê bền vững.</p>";

    static String bulletinJson(String title, int n) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "{\"title\":\"" + title + "\",\"summary\":\"Tóm tắt bản tin số " + n
                + ": các đại biểu đánh giá kết quả năm qua.\",\"body\":\"" + PARAGRAPH + PARAGRAPH
                + "\",\"author\":\"Nguyễn Thị Hồng Nhung\",\"category\":\"" + CATEGORIES[n % CATEGORIES.length]
                + "\",\"tags\":[\"" + TAGS[r.nextInt(TAGS.length)] + "\",\"" + TAGS[r.nextInt(TAGS.length)] + "\"]}";
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------
    static final ConnectionProvider READ_POOL = ConnectionProvider.builder("soak-reads")
            .maxConnections(MAX_IN_FLIGHT + 16).pendingAcquireMaxCount(-1)
            .pendingAcquireTimeout(Duration.ofSeconds(60)).maxIdleTime(Duration.ofSeconds(20)).build();
    static final HttpClient HTTP = HttpClient.create(READ_POOL).baseUrl(BASE).responseTimeout(Duration.ofSeconds(30));
    static final HttpClient STREAM_HTTP = HttpClient.create(ConnectionProvider.newConnection()).baseUrl(BASE);

    record Answer(int status, long bytes, long lines, String etag, String encoding, String body) {
    }

    /** GET, counting the body's bytes and lines (the body text is kept only when {@code keep}). */
    static Mono<Answer> get(String path, Map<String, String> headers, boolean keep) {
        return HTTP.headers(h -> headers.forEach(h::set)).get().uri(path)
                .response((res, body) -> {
                    long[] count = new long[2];
                    StringBuilder text = keep ? new StringBuilder() : null;
                    return body.doOnNext(buf -> {
                        count[0] += buf.readableBytes();
                        count[1] += countLf(buf);
                        if (keep) {
                            text.append(buf.toString(StandardCharsets.UTF_8));
                        }
                    }).then(Mono.fromSupplier(() -> new Answer(res.status().code(), count[0], count[1],
                            res.responseHeaders().get("ETag"), res.responseHeaders().get("Content-Encoding"),
                            keep ? text.toString() : null)));
                }).next().switchIfEmpty(Mono.error(() -> new IOException("no answer")));
    }

    static long countLf(ByteBuf buf) {
        long n = 0;
        for (int i = buf.readerIndex(); i < buf.writerIndex(); i++) {
            if (buf.getByte(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    static Mono<Answer> post(String path, String token, String json) {
        return HTTP.headers(h -> h.set("Authorization", "Bearer " + token).set("Content-Type", "application/json"))
                .post().uri(path).send(ByteBufFlux.fromString(Mono.just(json)))
                .responseSingle((res, body) -> body.asString().defaultIfEmpty("")
                        .map(s -> new Answer(res.status().code(), s.length(), 0, res.responseHeaders().get("ETag"),
                                null, s)));
    }

    // ---- statistics -----------------------------------------------------------------------------------------
    static final class Stats {
        final String name;
        final Histogram micros = new ConcurrentHistogram(3);
        final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        final LongAdder unexpected = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final LongAdder requests = new LongAdder();

        Stats(String name) {
            this.name = name;
        }

        void ok(int status, long nanos, long size, boolean expected) {
            requests.increment();
            micros.recordValue(Math.max(1, nanos / 1000));
            statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
            bytes.add(size);
            if (!expected) {
                unexpected.increment();
            }
        }

        void failed(Throwable error, long nanos) {
            requests.increment();
            micros.recordValue(Math.max(1, nanos / 1000));
            String what = error.getClass().getSimpleName() + ": " + String.valueOf(error.getMessage());
            errors.computeIfAbsent(what.length() > 120 ? what.substring(0, 120) : what, s -> new LongAdder()).increment();
        }

        long errorCount() {
            return errors.values().stream().mapToLong(LongAdder::sum).sum();
        }
    }

    // ---- the read mix ---------------------------------------------------------------------------------------
    interface Check {
        boolean expected(Answer a);
    }

    record Endpoint(String name, int weight, Supplier<String> path, Map<String, String> headers, boolean conditional,
                    Check check, Stats stats) {
    }

    static final Map<String, String> ETAGS = new ConcurrentHashMap<>();
    static final List<String> SEED_SLUGS = new CopyOnWriteArrayList<>();
    static final List<Endpoint> MIX = new ArrayList<>();
    static int totalWeight;

    static void endpoint(String name, int weight, Supplier<String> path, Map<String, String> headers,
                         boolean conditional, Check check) {
        MIX.add(new Endpoint(name, weight, path, headers, conditional, check, new Stats(name)));
        totalWeight += weight;
    }

    static final Map<String, String> NONE = Map.of();
    static final Map<String, String> GZIP = Map.of("Accept-Encoding", "gzip");
    static final Check OK = a -> a.status == 200;
    static final Check OK_GZIP = a -> a.status == 200 && "gzip".equalsIgnoreCase(a.encoding);
    static final Check OK_OR_304 = a -> a.status == 200 || a.status == 304;

    static void defineMix() {
        endpoint("GET /feeds/rss.xml", 8, () -> "/feeds/rss.xml", NONE, false, OK);
        endpoint("GET /feeds/rss.xml gzip", 8, () -> "/feeds/rss.xml", GZIP, false, OK_GZIP);
        endpoint("GET /feeds/rss.xml If-None-Match", 10, () -> "/feeds/rss.xml", NONE, true, OK_OR_304);
        endpoint("GET /feeds/atom.xml gzip", 5, () -> "/feeds/atom.xml", GZIP, false, OK_GZIP);
        endpoint("GET /feeds/atom.xml If-None-Match gzip", 5, () -> "/feeds/atom.xml", GZIP, true, OK_OR_304);
        endpoint("GET /feeds/feed.json", 4, () -> "/feeds/feed.json", NONE, false, OK);
        endpoint("GET /feeds/feed.json If-None-Match gzip", 5, () -> "/feeds/feed.json", GZIP, true, OK_OR_304);
        endpoint("GET /feeds/categories/{slug}/rss.xml gzip", 5,
                () -> "/feeds/categories/" + pick(CATEGORY_SLUGS) + "/rss.xml", GZIP, false, OK_GZIP);
        endpoint("GET /feeds/categories/{slug}/rss.xml If-None-Match", 5,
                () -> "/feeds/categories/" + pick(CATEGORY_SLUGS) + "/rss.xml", NONE, true, OK_OR_304);
        endpoint("GET /api/v1/bulletins?limit=20 (JSON)", 8, () -> "/api/v1/bulletins?limit=20", NONE, false, OK);
        endpoint("GET /api/v1/bulletins?category=..&limit=20 (JSON)", 4,
                () -> "/api/v1/bulletins?limit=20&category=" + pick(CATEGORY_SLUGS), NONE, false, OK);
        endpoint("GET /api/v1/bulletins?q=.. (search)", 12, () -> "/api/v1/bulletins?limit=20&q="
                + java.net.URLEncoder.encode(pick(QUERIES), StandardCharsets.UTF_8), NONE, false, OK);
        endpoint("GET /api/v1/bulletins?limit=500 (NDJSON)", 4, () -> "/api/v1/bulletins?limit=500",
                Map.of("Accept", "application/x-ndjson"), false, a -> a.status == 200 && a.lines == 500);
        endpoint("GET /api/v1/bulletins/{slug}", 10, () -> "/api/v1/bulletins/" + pick(SEED_SLUGS), NONE, false, OK);
        endpoint("GET /api/v1/bulletins/{slug} If-None-Match", 7, () -> "/api/v1/bulletins/" + pick(SEED_SLUGS),
                NONE, true, OK_OR_304);
    }

    static <T> T pick(T[] all) {
        return all[ThreadLocalRandom.current().nextInt(all.length)];
    }

    static <T> T pick(List<T> all) {
        return all.get(ThreadLocalRandom.current().nextInt(all.size()));
    }

    static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    static final LongAdder SKIPPED = new LongAdder();
    static volatile boolean measuring;

    static void fire(Endpoint e) {
        if (IN_FLIGHT.get() >= MAX_IN_FLIGHT) {
            SKIPPED.increment(); // the server (or this client) is not keeping up: reported, never hidden
            return;
        }
        IN_FLIGHT.incrementAndGet();
        String path = e.path.get();
        String etagKey = path + " " + e.headers.getOrDefault("Accept-Encoding", "");
        Map<String, String> headers = new LinkedHashMap<>(e.headers);
        if (e.conditional) {
            String etag = ETAGS.get(etagKey);
            if (etag != null) {
                headers.put("If-None-Match", etag);
            }
        }
        boolean counted = measuring;
        long start = System.nanoTime();
        get(path, headers, false).subscribe(a -> {
            if (a.etag != null && a.status == 200) {
                ETAGS.put(etagKey, a.etag);
            }
            if (counted) {
                e.stats.ok(a.status, System.nanoTime() - start, a.bytes, e.check.expected(a));
            }
        }, error -> {
            IN_FLIGHT.decrementAndGet();
            if (counted) {
                e.stats.failed(error, System.nanoTime() - start);
            }
        }, IN_FLIGHT::decrementAndGet);
    }

    static Endpoint choose() {
        int x = ThreadLocalRandom.current().nextInt(totalWeight);
        for (Endpoint e : MIX) {
            x -= e.weight;
            if (x < 0) {
                return e;
            }
        }
        throw new IllegalStateException();
    }

    // ---- publishing -----------------------------------------------------------------------------------------
    static final Stats PUBLISH = new Stats("POST /api/v1/bulletins (publish)");
    static final AtomicInteger PUBLISHED_OK = new AtomicInteger();
    static final AtomicInteger PUBLISH_SEQ = new AtomicInteger();
    static final Pattern SLUG = Pattern.compile("\"slug\"\\s*:\\s*\"([^\"]+)\"");

    static void publishOne(String token, boolean seed) {
        int n = PUBLISH_SEQ.incrementAndGet();
        String title = pick(SUBJECTS) + " (soak " + n + " " + System.nanoTime() + ")";
        long start = System.nanoTime();
        post("/api/v1/bulletins", token, bulletinJson(title, n)).subscribe(a -> {
            if (a.status == 201) {
                PUBLISHED_OK.incrementAndGet();
                if (seed) {
                    Matcher m = SLUG.matcher(a.body);
                    if (m.find()) {
                        SEED_SLUGS.add(m.group(1));
                    }
                }
            }
            if (!seed) {
                PUBLISH.ok(a.status, System.nanoTime() - start, a.bytes, a.status == 201);
            }
        }, error -> {
            if (!seed) {
                PUBLISH.failed(error, System.nanoTime() - start);
            }
        });
    }

    // ---- SSE subscribers that read --------------------------------------------------------------------------
    static final Histogram DELIVERY_MICROS = new ConcurrentHistogram(3);
    static final byte[] MARK = "(soak ".getBytes(StandardCharsets.US_ASCII);

    /** One reading SSE client: records every seq it gets; reconnects with Last-Event-ID if the server ends it. */
    static final class Reader {
        final int index;
        final boolean timesDelivery;
        final BitSet seen = new BitSet();
        long resumedFrom = -1;
        long base; // seqs are recorded relative to the log's end when the run starts
        volatile long lastSeq = -1;
        long duplicates, outOfOrder, events;
        volatile boolean opened;
        volatile boolean closing;
        final AtomicInteger reconnects = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        volatile String lastError;
        Disposable connection;
        // line parsing state
        private byte[] line = new byte[4096];
        private int length;
        private long pendingId = -1;

        Reader(int index, boolean timesDelivery) {
            this.index = index;
            this.timesDelivery = timesDelivery;
        }

        void connect() {
            long resume = lastSeq;
            connection = STREAM_HTTP.headers(h -> {
                        h.set("Accept", "text/event-stream");
                        if (resume >= 0) {
                            h.set("Last-Event-ID", Long.toString(resume));
                        }
                    }).get().uri("/api/v1/stream")
                    .response((res, body) -> res.status().code() != 200
                            ? Mono.error(new IOException("stream answered " + res.status().code()))
                            : body.doOnNext(this::feed).then())
                    .subscribe(null, error -> ended(error.toString()), () -> ended("server ended the stream"));
        }

        private void ended(String why) {
            if (closing) {
                return;
            }
            failures.incrementAndGet();
            lastError = why;
            length = 0;
            pendingId = -1;
            reconnects.incrementAndGet();
            // as a browser's EventSource would: come back with the last id seen
            Mono.delay(Duration.ofSeconds(1)).subscribe(t -> {
                if (!closing) {
                    connect();
                }
            });
        }

        synchronized void feed(ByteBuf buf) {
            for (int i = buf.readerIndex(); i < buf.writerIndex(); i++) {
                byte b = buf.getByte(i);
                if (b == '\n') {
                    line();
                    length = 0;
                } else {
                    if (length == line.length) {
                        line = java.util.Arrays.copyOf(line, line.length * 2);
                    }
                    line[length++] = b;
                }
            }
        }

        private boolean starts(String prefix) {
            if (length < prefix.length()) {
                return false;
            }
            for (int i = 0; i < prefix.length(); i++) {
                if (line[i] != prefix.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private void line() {
            if (length == 0) { // end of an event
                if (pendingId >= 0) {
                    record(pendingId);
                }
                pendingId = -1;
                return;
            }
            if (starts("id:")) {
                pendingId = Long.parseLong(new String(line, 3, length - 3, StandardCharsets.US_ASCII).trim());
            } else if (starts(":bantin stream")) {
                opened = true;
            } else if (timesDelivery && starts("data:")) {
                long now = System.nanoTime();
                int at = indexOf(line, length, MARK);
                if (at >= 0) { // "(soak N NANOS)"
                    int p = at + MARK.length;
                    while (p < length && line[p] != ' ') {
                        p++;
                    }
                    int q = ++p;
                    while (q < length && line[q] >= '0' && line[q] <= '9') {
                        q++;
                    }
                    if (q > p) {
                        long sent = Long.parseLong(new String(line, p, q - p, StandardCharsets.US_ASCII));
                        DELIVERY_MICROS.recordValue(Math.max(1, (now - sent) / 1000));
                    }
                }
            }
        }

        private void record(long seq) {
            events++;
            if (seq <= lastSeq) {
                outOfOrder++;
            }
            int bit = (int) (seq - base);
            if (bit >= 0) {
                if (seen.get(bit)) {
                    duplicates++;
                }
                seen.set(bit);
            }
            lastSeq = Math.max(lastSeq, seq);
        }

        void close() {
            closing = true;
            if (connection != null) {
                connection.dispose();
            }
        }
    }

    static int indexOf(byte[] hay, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // ---- SSE subscribers that never read --------------------------------------------------------------------
    /** A raw socket that sends the request, reads up to the opening comment and then never reads again. */
    static final class NeverReader {
        final Socket socket = new Socket();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        boolean eof;
        String drainError;
        List<Long> seqs = new ArrayList<>();

        void open(int port) throws IOException {
            socket.setReceiveBufferSize(4096); // small, so the server's buffers fill in seconds, not minutes
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(15000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[256];
            while (!received.toString(StandardCharsets.ISO_8859_1).contains("bantin stream")) {
                int n = in.read(buf);
                if (n < 0) {
                    throw new IOException("closed before the opening comment");
                }
                received.write(buf, 0, n);
            }
        }

        /** Reads everything the kernel still holds, then whether the server had closed the connection. */
        void drain() {
            try {
                socket.setSoTimeout(3000);
                InputStream in = socket.getInputStream();
                byte[] buf = new byte[65536];
                while (true) {
                    int n = in.read(buf);
                    if (n < 0) {
                        eof = true;
                        break;
                    }
                    received.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                drainError = "still open (read timed out)";
            } catch (IOException e) {
                eof = true; // reset by the server: dropped too
                drainError = e.toString();
            }
            seqs = sseIds(dechunk(received.toByteArray()));
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
            }
        }
    }

    /** The body of an HTTP/1.1 chunked response (as far as it goes), without its headers. */
    static byte[] dechunk(byte[] raw) {
        String s = new String(raw, StandardCharsets.ISO_8859_1);
        int p = s.indexOf("\r\n\r\n");
        if (p < 0) {
            return new byte[0];
        }
        boolean chunked = s.substring(0, p).toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
        p += 4;
        if (!chunked) {
            return java.util.Arrays.copyOfRange(raw, p, raw.length);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (p < raw.length) {
            int eol = s.indexOf("\r\n", p);
            if (eol < 0) {
                break;
            }
            int size;
            try {
                size = Integer.parseInt(s.substring(p, eol).split(";")[0].trim(), 16);
            } catch (NumberFormatException e) {
                break;
            }
            if (size == 0) {
                break;
            }
            int from = eol + 2;
            int to = Math.min(raw.length, from + size);
            body.write(raw, from, to - from);
            p = to + 2;
        }
        return body.toByteArray();
    }

    /** The ids of the complete events (ended by a blank line) in an SSE body. */
    static List<Long> sseIds(byte[] body) {
        List<Long> ids = new ArrayList<>();
        String text = new String(body, StandardCharsets.UTF_8);
        int from = 0;
        while (true) {
            int end = text.indexOf("\n\n", from);
            if (end < 0) {
                break;
            }
            for (String line : text.substring(from, end).split("\n")) {
                if (line.startsWith("id:")) {
                    ids.add(Long.parseLong(line.substring(3).trim()));
                }
            }
            from = end + 2;
        }
        return ids;
    }

    // ---- the server's side ----------------------------------------------------------------------------------
    static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return out;
        } catch (Exception e) {
            return "ERROR " + e;
        }
    }

    static String psql(String sql) {
        return run("psql", "-X", "-At", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-c", sql).trim();
    }

    static int openFiles() {
        String[] fds = new java.io.File("/proc/" + SERVER_PID + "/fd").list();
        return fds == null ? -1 : fds.length;
    }

    static String procStatus(String key) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + SERVER_PID + "/status"))) {
                if (l.startsWith(key + ":")) {
                    return l.substring(key.length() + 1).trim();
                }
            }
        } catch (IOException ignored) {
        }
        return "?";
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static Map<String, Double> prometheus() {
        Map<String, Double> m = new TreeMap<>();
        Answer a = get("/actuator/prometheus", NONE, true).block(Duration.ofSeconds(30));
        for (String l : a.body.split("\n")) {
            if (l.startsWith("#") || l.isBlank()) {
                continue;
            }
            int sp = l.lastIndexOf(' ');
            try {
                m.merge(l.substring(0, sp), Double.parseDouble(l.substring(sp + 1)), Double::sum);
            } catch (NumberFormatException ignored) {
            }
        }
        return m;
    }

    static double sum(Map<String, Double> m, String prefix) {
        return m.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToDouble(Map.Entry::getValue).sum();
    }

    static double serverErrors(Map<String, Double> m) {
        return m.entrySet().stream().filter(e -> e.getKey().startsWith("http_server_requests_seconds_count")
                && e.getKey().contains("status=\"5")).mapToDouble(Map.Entry::getValue).sum();
    }

    record Snapshot(String label, double heapAfterGcMiB, double heapCommittedMiB, int fds, int connections,
                    String threads, String rss, String load, String raw) {
    }

    /**
     * The server's established TCP connections on its port (from /proc/net/tcp*): the load client keeps
     * idle keep-alive connections open, each an open file of the server that is not a leak.
     */
    static int clientConnections() {
        String port = String.format(Locale.ROOT, ":%04X", java.net.URI.create(BASE).getPort());
        int count = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] cols = line.trim().split("\\s+");
                    if (cols.length > 3 && cols[1].endsWith(port) && cols[3].equals("01")) {
                        count++;
                    }
                }
            } catch (IOException ignored) {
            }
        }
        return count;
    }

    static final Pattern HEAP = Pattern.compile("total (\\d+)K, used (\\d+)K");

    static Snapshot snapshot(String label) {
        run("jcmd", Long.toString(SERVER_PID), "GC.run");
        String info = run("jcmd", Long.toString(SERVER_PID), "GC.heap_info");
        Matcher m = HEAP.matcher(info);
        double used = -1, total = -1;
        if (m.find()) {
            total = Long.parseLong(m.group(1)) / 1024.0;
            used = Long.parseLong(m.group(2)) / 1024.0;
        }
        Snapshot s = new Snapshot(label, used, total, openFiles(), clientConnections(), procStatus("Threads"),
                procStatus("VmRSS"), loadAverage(), info);
        log("snapshot %-40s heap used after full GC %.1f MiB (committed %.0f MiB), open files %d (client connections %d), threads %s, RSS %s, load %s",
                label, used, total, s.fds, s.connections, s.threads, s.rss, s.load);
        return s;
    }

    static void waitFor(BooleanSupplier done, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    static double pct(Histogram h, double p) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1000.0;
    }

    // ---- main -----------------------------------------------------------------------------------------------
    public static void main(String[] args) {
        try {
            soak(args);
        } catch (Throwable failure) {
            // Without this the client's non-daemon threads would keep it (and, through run.sh, the server) alive.
            failure.printStackTrace();
            System.exit(2);
        }
    }

    static void soak(String[] args) throws Exception {
        Files.createDirectories(OUT);
        int port = URI.create(BASE).getPort();
        log("soak: %s, %d s, %d SSE subscribers (%d never read), reads %.0f/s, publishes %.0f/s, server pid %d",
                BASE, DURATION, SUBSCRIBERS, NEVER_READERS, READ_RATE, PUBLISH_RATE, SERVER_PID);

        // 1. a publisher token and a seed, so lists, feeds, searches and exports have content
        Answer t = post("/api/v1/tokens", ADMIN, "{\"name\":\"soak\",\"role\":\"publisher\"}").block(Duration.ofSeconds(30));
        Matcher tm = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(t.body);
        if (!tm.find()) {
            throw new IllegalStateException("no token: " + t.status + " " + t.body);
        }
        String token = tm.group(1);
        for (int i = 0; i < SEED; i++) {
            publishOne(token, true);
            if (i % 8 == 7) {
                int target = i + 1;
                waitFor(() -> PUBLISHED_OK.get() >= target, Duration.ofSeconds(30));
            }
        }
        waitFor(() -> PUBLISHED_OK.get() >= SEED, Duration.ofSeconds(60));
        log("seeded %d bulletins (%d slugs)", PUBLISHED_OK.get(), SEED_SLUGS.size());
        if (SEED_SLUGS.isEmpty()) {
            throw new IllegalStateException("seeding failed");
        }
        Thread.sleep(2500); // one generation poll, so feeds show the seed

        // 2. warm-up of the read mix (not measured), then the idle figures
        defineMix();
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
        long[] sent = {0};
        long[] readStart = {System.nanoTime()};
        Runnable readTick = () -> {
            try {
                double elapsed = (System.nanoTime() - readStart[0]) / 1e9;
                long due = (long) (elapsed * READ_RATE);
                while (sent[0] < due) {
                    sent[0]++;
                    fire(choose());
                }
            } catch (Throwable e) {
                log("read tick failed: %s", e);
            }
        };
        var warm = clock.scheduleAtFixedRate(readTick, 0, 10, TimeUnit.MILLISECONDS);
        Thread.sleep(WARMUP * 1000L);
        warm.cancel(false);
        waitFor(() -> IN_FLIGHT.get() == 0, Duration.ofSeconds(30));
        log("warm-up done (%d requests)", sent[0]);
        List<Snapshot> snapshots = new ArrayList<>();
        snapshots.add(snapshot("idle, before the SSE clients"));

        // 3. the SSE clients: readers (a tenth of them time each delivery) and never-readers
        long startSeq = Long.parseLong(psql("SELECT coalesce(max(seq), 0) FROM bulletin_events"));
        int readers = SUBSCRIBERS - NEVER_READERS;
        List<Reader> all = new ArrayList<>();
        long openStart = System.nanoTime();
        for (int i = 0; i < readers; i++) {
            Reader r = new Reader(i, i % 10 == 0);
            r.base = startSeq + 1;
            all.add(r);
            r.connect();
            if (i % 250 == 249) {
                waitFor(() -> all.stream().allMatch(x -> x.opened), Duration.ofSeconds(60));
            }
        }
        waitFor(() -> all.stream().allMatch(x -> x.opened), Duration.ofSeconds(120));
        long openedReaders = all.stream().filter(x -> x.opened).count();
        List<NeverReader> never = new ArrayList<>();
        int neverFailed = 0;
        for (int i = 0; i < NEVER_READERS; i++) {
            NeverReader n = new NeverReader();
            try {
                n.open(port);
                never.add(n);
            } catch (IOException e) {
                neverFailed++;
                log("never-reader %d failed to open: %s", i, e);
            }
        }
        log("SSE: %d of %d readers open, %d of %d never-readers open, in %.1f s; log ends at seq %d", openedReaders,
                readers, never.size(), NEVER_READERS, (System.nanoTime() - openStart) / 1e9, startSeq);
        Map<String, Double> prom0 = prometheus();
        snapshots.add(snapshot("start, " + (openedReaders + never.size()) + " SSE clients open"));

        // 4. the soak
        for (Endpoint e : MIX) { // the warm-up's figures are not kept
            e.stats.micros.reset();
        }
        measuring = true;
        sent[0] = 0;
        readStart[0] = System.nanoTime();
        long runStart = System.nanoTime();
        var reads = clock.scheduleAtFixedRate(readTick, 0, 10, TimeUnit.MILLISECONDS);
        long publishPeriodMicros = (long) (1_000_000 / PUBLISH_RATE);
        AtomicLong publishesSent = new AtomicLong();
        var publishes = clock.scheduleAtFixedRate(() -> {
            publishesSent.incrementAndGet();
            publishOne(token, false);
        }, 0, publishPeriodMicros, TimeUnit.MICROSECONDS);
        List<String> minutes = new ArrayList<>();
        minutes.add("| minute | open files | threads | RSS | heap used (no GC) MiB | SSE subscribers (server) | slow clients dropped | publishes ok | reads done | reads in flight | load avg |");
        minutes.add("|---|---|---|---|---|---|---|---|---|---|---|");
        long lastReads = 0;
        for (int minute = 1; ; minute++) {
            long next = runStart + Math.min(DURATION, minute * 60L) * 1_000_000_000L;
            while (System.nanoTime() < next) {
                Thread.sleep(Math.max(1, Math.min(1000, (next - System.nanoTime()) / 1_000_000)));
            }
            Map<String, Double> p = prometheus();
            long readsDone = MIX.stream().mapToLong(e -> e.stats.requests.sum()).sum();
            String row = String.format(Locale.ROOT, "| %.1f | %d | %s | %s | %.0f | %.0f | %.0f | %d | %d (+%d) | %d | %s |",
                    (System.nanoTime() - runStart) / 60e9, openFiles(), procStatus("Threads"), procStatus("VmRSS"),
                    sum(p, "jvm_memory_used_bytes{area=\"heap\"") / 1048576, sum(p, "bantin_stream_subscribers"),
                    sum(p, "bantin_stream_slow_clients_dropped_total"), PUBLISHED_OK.get() - SEED, readsDone,
                    readsDone - lastReads, IN_FLIGHT.get(), loadAverage());
            lastReads = readsDone;
            minutes.add(row);
            log("%s", row);
            if (minute * 60L >= DURATION) {
                break;
            }
        }
        publishes.cancel(false);
        reads.cancel(false);
        double runSeconds = (System.nanoTime() - runStart) / 1e9;
        long readsSent = sent[0];
        waitFor(() -> IN_FLIGHT.get() == 0 && PUBLISH.requests.sum() >= publishesSent.get(), Duration.ofSeconds(60));
        log("traffic stopped after %.1f s: %d reads sent (%d skipped), %d publishes sent, %d in flight", runSeconds,
                readsSent, SKIPPED.sum(), publishesSent.get(), IN_FLIGHT.get());

        // 5. did every reading subscriber get every event? The log in PostgreSQL is the truth.
        long endSeq = Long.parseLong(psql("SELECT coalesce(max(seq), 0) FROM bulletin_events"));
        BitSet expected = new BitSet();
        String seqList = psql("SELECT seq FROM bulletin_events WHERE seq > " + startSeq + " ORDER BY seq");
        for (String s : seqList.split("\n")) {
            if (!s.isBlank()) {
                expected.set((int) (Long.parseLong(s.trim()) - startSeq - 1));
            }
        }
        long publishedEvents = Long.parseLong(psql("SELECT count(*) FROM bulletin_events WHERE seq > " + startSeq
                + " AND kind = 'published'"));
        int expectedCount = expected.cardinality();
        long drainStart = System.nanoTime();
        waitFor(() -> all.stream().allMatch(r -> r.lastSeq >= endSeq), Duration.ofSeconds(120));
        double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
        int complete = 0, withReconnects = 0;
        long duplicates = 0, outOfOrder = 0, delivered = 0, missingTotal = 0;
        List<String> incomplete = new ArrayList<>();
        for (Reader r : all) {
            synchronized (r) {
                BitSet missing = (BitSet) expected.clone();
                missing.andNot(r.seen);
                BitSet extra = (BitSet) r.seen.clone();
                extra.andNot(expected);
                boolean ok = missing.isEmpty() && extra.isEmpty() && r.duplicates == 0 && r.outOfOrder == 0;
                complete += ok ? 1 : 0;
                withReconnects += r.reconnects.get() > 0 ? 1 : 0;
                duplicates += r.duplicates;
                outOfOrder += r.outOfOrder;
                delivered += r.events;
                missingTotal += missing.cardinality();
                if (!ok && incomplete.size() < 10) {
                    incomplete.add("reader " + r.index + ": missing " + missing.cardinality() + ", extra "
                            + extra.cardinality() + ", duplicates " + r.duplicates + ", out of order " + r.outOfOrder
                            + ", reconnects " + r.reconnects.get() + ", last error " + r.lastError);
                }
            }
        }
        log("readers: %d of %d complete (%d events expected each, seq %d..%d), all delivered %.1f s after the last publish",
                complete, all.size(), expectedCount, startSeq + 1, endSeq, drainSeconds);
        incomplete.forEach(s -> log("  %s", s));
        Map<String, Double> prom1 = prometheus();
        snapshots.add(snapshot("end, SSE clients still connected"));

        // 6. the never-readers: dropped? and does a resume with Last-Event-ID give everything they missed?
        int dropped = 0, stillOpen = 0, contiguous = 0;
        List<Long> lastIds = new ArrayList<>();
        for (NeverReader n : never) {
            n.drain();
            dropped += n.eof ? 1 : 0;
            stillOpen += n.eof ? 0 : 1;
            // what they got before being dropped must be the start of the log, with no gap
            boolean ok = true;
            long prev = startSeq;
            for (long s : n.seqs) {
                int nextBit = expected.nextSetBit((int) (prev - startSeq));
                if (nextBit < 0 || s != startSeq + 1 + nextBit) {
                    ok = false;
                    break;
                }
                prev = s;
            }
            contiguous += ok ? 1 : 0;
            lastIds.add(n.seqs.isEmpty() ? startSeq : n.seqs.get(n.seqs.size() - 1));
            n.close();
        }
        long minReceived = never.stream().mapToLong(n -> n.seqs.size()).min().orElse(0);
        long maxReceived = never.stream().mapToLong(n -> n.seqs.size()).max().orElse(0);
        log("never-readers: %d dropped by the server, %d still open; %d received a gap-free prefix (%d..%d events each)",
                dropped, stillOpen, contiguous, minReceived, maxReceived);
        List<Reader> resumed = new ArrayList<>();
        int sample = Math.min(RESUME_SAMPLE, never.size());
        for (int i = 0; i < sample; i++) {
            NeverReader n = never.get(i * never.size() / sample);
            Reader r = new Reader(-1 - i, false);
            r.base = startSeq + 1;
            r.lastSeq = lastIds.get(never.indexOf(n));
            r.resumedFrom = r.lastSeq;
            for (long s : n.seqs) {
                r.seen.set((int) (s - startSeq - 1));
            }
            resumed.add(r);
            r.connect();
        }
        long resumeStart = System.nanoTime();
        waitFor(() -> resumed.stream().allMatch(r -> r.lastSeq >= endSeq), Duration.ofSeconds(180));
        double resumeSeconds = (System.nanoTime() - resumeStart) / 1e9;
        int resumedComplete = 0;
        List<String> resumeNotes = new ArrayList<>();
        for (Reader r : resumed) {
            r.close();
            synchronized (r) {
                BitSet missing = (BitSet) expected.clone();
                missing.andNot(r.seen);
                boolean ok = missing.isEmpty() && r.duplicates == 0 && r.outOfOrder == 0;
                resumedComplete += ok ? 1 : 0;
                resumeNotes.add(String.format("resumed after %d: got %d more, missing %d, duplicates %d, out of order %d",
                        r.resumedFrom, r.events, missing.cardinality(), r.duplicates, r.outOfOrder));
            }
        }
        log("resume with Last-Event-ID: %d of %d sampled never-readers have every event (%.1f s)", resumedComplete,
                sample, resumeSeconds);
        resumeNotes.forEach(s -> log("  %s", s));

        // 7. close everything; the idle figures again
        all.forEach(Reader::close);
        waitFor(() -> {
            Map<String, Double> p = prometheus();
            return sum(p, "bantin_stream_subscribers") == 0;
        }, Duration.ofSeconds(60));
        Thread.sleep(2000);
        snapshots.add(snapshot("idle, after all clients closed"));
        Map<String, Double> prom2 = prometheus();

        // 8. the report
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Run: %.0f s of traffic, read mix offered at %.0f req/s (open loop, at most %d in flight), "
                        + "%.0f publishes/s, %d SSE clients (%d never read); started %s%n%n",
                runSeconds, READ_RATE, MAX_IN_FLIGHT, PUBLISH_RATE, SUBSCRIBERS, NEVER_READERS,
                Instant.ofEpochMilli(System.currentTimeMillis() - (long) ((System.nanoTime() - runStart) / 1e6))));
        md.append("| endpoint | requests | req/s | p50 ms | p99 ms | max ms | statuses | errors / unexpected |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        long totalRequests = 0, totalBad = 0;
        Histogram allReads = new Histogram(3);
        for (Endpoint e : MIX) {
            md.append(row(e.stats, runSeconds));
            totalRequests += e.stats.requests.sum();
            totalBad += e.stats.errorCount() + e.stats.unexpected.sum();
            allReads.add(e.stats.micros);
        }
        md.append(String.format(Locale.ROOT, "| **all reads** | %d | %.1f | %.1f | %.1f | %.1f | | %d (skipped, not sent: %d) |%n",
                totalRequests, totalRequests / runSeconds, pct(allReads, 50), pct(allReads, 99), pct(allReads, 100),
                totalBad, SKIPPED.sum()));
        md.append(row(PUBLISH, runSeconds));
        md.append(String.format(Locale.ROOT, "%nPublishes: %d sent, %d answered 201 (%.2f/s, target %.0f/s); events in the log during the run: %d (%d published)%n",
                publishesSent.get(), PUBLISH.statuses.getOrDefault(201, new LongAdder()).sum(),
                PUBLISH.statuses.getOrDefault(201, new LongAdder()).sum() / runSeconds, PUBLISH_RATE, expectedCount,
                publishedEvents));
        md.append("\n| SSE | figure |\n|---|---|\n");
        md.append(String.format(Locale.ROOT, "| subscribers open at the start | %d readers + %d never-readers (of %d + %d) |%n",
                openedReaders, never.size(), readers, NEVER_READERS));
        md.append(String.format(Locale.ROOT, "| events expected per reader (seq %d..%d in bulletin_events) | %d |%n",
                startSeq + 1, endSeq, expectedCount));
        md.append(String.format(Locale.ROOT, "| readers that received every event, in order, none twice | **%d of %d** |%n", complete, all.size()));
        md.append(String.format(Locale.ROOT, "| events delivered to readers (expected %d) | %d; missing %d, duplicates %d, out of order %d |%n",
                (long) expectedCount * all.size(), delivered, missingTotal, duplicates, outOfOrder));
        md.append(String.format(Locale.ROOT, "| readers disconnected and resumed during the run | %d |%n", withReconnects));
        md.append(String.format(Locale.ROOT, "| publish → delivery latency (10%% of readers, %d deliveries) | p50 %.1f ms, p99 %.1f ms, max %.1f ms |%n",
                DELIVERY_MICROS.getTotalCount(), pct(DELIVERY_MICROS, 50), pct(DELIVERY_MICROS, 99), pct(DELIVERY_MICROS, 100)));
        md.append(String.format(Locale.ROOT, "| last event reached every reader | %.1f s after the last publish answered |%n", drainSeconds));
        md.append(String.format(Locale.ROOT, "| never-readers dropped by the server (slow-client counter during the run) | %d of %d (%.0f) |%n",
                dropped, never.size(), sum(prom1, "bantin_stream_slow_clients_dropped_total") - sum(prom0, "bantin_stream_slow_clients_dropped_total")));
        md.append(String.format(Locale.ROOT, "| events a never-reader had received before the drop (gap-free prefix: %d of %d) | %d..%d |%n",
                contiguous, never.size(), minReceived, maxReceived));
        md.append(String.format(Locale.ROOT, "| sampled never-readers resumed with Last-Event-ID that then had every event | **%d of %d** (caught up in %.1f s) |%n",
                resumedComplete, sample, resumeSeconds));
        md.append(String.format(Locale.ROOT, "| server: events delivered counter during the run | %.0f |%n",
                sum(prom1, "bantin_stream_events_delivered_total") - sum(prom0, "bantin_stream_events_delivered_total")));
        md.append("\n| moment | heap used after full GC MiB | heap committed MiB | open files | of which client connections | threads | RSS | load avg |\n|---|---|---|---|---|---|---|---|\n");
        for (Snapshot s : snapshots) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f | %d | %d | %s | %s | %s |%n", s.label, s.heapAfterGcMiB,
                    s.heapCommittedMiB, s.fds, s.connections, s.threads, s.rss, s.load));
        }
        md.append("\nEvery minute of the run:\n\n");
        minutes.forEach(l -> md.append(l).append('\n'));
        md.append(String.format(Locale.ROOT, "%nServer counters: http 5xx during the run %.0f; r2dbc pool acquired now %.0f, pending now %.0f%n",
                serverErrors(prom1) - serverErrors(prom0),
                sum(prom2, "r2dbc_pool_acquired_connections"), sum(prom2, "r2dbc_pool_pending_connections")));
        List<String> notes = new ArrayList<>();
        for (Endpoint e : MIX) {
            e.stats.errors.forEach((k, v) -> notes.add(e.name + ": " + v.sum() + " × " + k));
        }
        PUBLISH.errors.forEach((k, v) -> notes.add("publish: " + v.sum() + " × " + k));
        incomplete.forEach(notes::add);
        if (!notes.isEmpty()) {
            md.append("\nErrors:\n\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        Files.writeString(OUT.resolve("results.md"), md.toString());
        Files.writeString(OUT.resolve("heap_info.txt"), String.join("\n----\n",
                snapshots.stream().map(s -> s.label + "\n" + s.raw).toList()));
        System.out.println();
        System.out.println(md);
        boolean pass = totalBad == 0 && PUBLISH.errorCount() + PUBLISH.unexpected.sum() == 0 && complete == all.size()
                && openedReaders == readers && resumedComplete == sample && dropped == never.size();
        System.out.println(pass ? "RESULT: PASS (no errors, every reader complete, never-readers dropped and resumed without loss)"
                : "RESULT: FAIL (see above)");
        clock.shutdownNow();
        System.exit(pass ? 0 : 1);
    }

    static String row(Stats s, double seconds) {
        StringBuilder statuses = new StringBuilder();
        new TreeMap<>(s.statuses).forEach((k, v) -> statuses.append(statuses.length() == 0 ? "" : ", ").append(k)
                .append(": ").append(v.sum()));
        return String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f | %s | %d |%n", s.name, s.requests.sum(),
                s.requests.sum() / seconds, pct(s.micros, 50), pct(s.micros, 99), pct(s.micros, 100), statuses,
                s.errorCount() + s.unexpected.sum());
    }
}
