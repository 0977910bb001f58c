package io.bantin.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.bantin.support.Eventually;

/**
 * Varnish in front of two instances, purged by scope: the first reads after a publish show it, other scopes
 * stay cached, a soft-purged copy is still served while no instance answers, and a polling load is answered
 * from the cache at least 99 times in 100.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VarnishIT {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static Topology topology;

    @BeforeAll
    static void start() {
        topology = Topology.start(9000, "bantin_engines_varnish");
    }

    @AfterAll
    static void stop() {
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    @Order(1)
    void theFirstReadsAfterAPublishShowItWhileOtherScopesStayCached() throws Exception {
        String a = "Varnish A " + RUN;
        String b = "Varnish B " + RUN;
        String slugB = categorySlug(publish("Tin B đầu " + RUN, b));
        String slugA = categorySlug(publish("Tin A đầu " + RUN, a));
        String feedA = "/feeds/categories/" + slugA + "/rss.xml";
        String listA = "/api/v1/bulletins?category=" + slugA + "&limit=5";
        String feedB = "/feeds/categories/" + slugB + "/rss.xml";
        for (String path : List.of(feedA, listA, feedB, "/feeds/rss.xml")) {
            get(path);
            assertThat(get(path).headers().firstValue("X-Cache")).as(path).contains("HIT");
        }
        for (int i = 0; i < 20; i++) {
            String title = "Tin A số " + i + " " + RUN;
            publish(title, a);
            // The very first reads after the 201, through Varnish and whichever instance HAProxy picks.
            assertThat(get(feedA).body()).as("feed of A after publish %d", i).contains(title);
            assertThat(get(listA).body()).as("JSON list of A after publish %d", i).contains(title);
            assertThat(get("/feeds/rss.xml").body()).as("site feed after publish %d", i).contains(title);
            HttpResponse<String> other = get(feedB);
            assertThat(other.headers().firstValue("X-Cache")).as("B's feed while A changes").contains("HIT");
            assertThat(other.body()).contains("Tin B đầu " + RUN).doesNotContain(title);
        }
    }

    @Test
    @Order(2)
    void aPollingLoadIsAnsweredFromTheCacheAtLeast99TimesIn100() throws Exception {
        List<String> categories = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            categories.add("Tải " + c + " " + RUN);
        }
        List<String> paths = new ArrayList<>(List.of("/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json", "/",
                "/api/v1/bulletins?limit=20", "/api/v1/categories"));
        for (String category : categories) {
            String created = publish("Tin tải đầu " + category, category);
            String slug = categorySlug(created);
            paths.addAll(List.of("/feeds/categories/" + slug + "/rss.xml", "/feeds/categories/" + slug + "/feed.json",
                    "/api/v1/bulletins?category=" + slug + "&limit=10", "/categories/" + slug,
                    "/bulletins/" + field(created, "slug"), "/api/v1/bulletins/" + field(created, "id")));
        }
        for (String path : paths) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(200); // warm: each read once
        }
        Map<String, Long> before = varnishStat();
        // Each publish soft-purges every cached answer of its scopes (here ~16 of 42: the site's feeds, lists and
        // pages, the category's, the taxonomy's), and each is then missed once: 99 % needs 1,600 reads a publish.
        int reads = 20_000;
        int publishEvery = 2_500;
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pollers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Random random = new Random(t);
                running.add(pollers.submit(() -> {
                    while (done.getAndIncrement() < reads) {
                        // Polling clients mostly ask for the feeds and lists at the front of the list.
                        String path = paths.get(Math.min(paths.size() - 1, (int) Math.abs(random.nextGaussian() * paths.size() / 3)));
                        if (get(path).statusCode() != 200) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            int published = 0;
            while (done.get() < reads) {
                if (done.get() >= (published + 1) * publishEvery) {
                    publish("Tin tải " + published + " " + RUN, categories.get(published % categories.size()));
                    published++;
                }
                Thread.sleep(5);
            }
            for (Future<?> poller : running) {
                poller.get();
            }
            assertThat(published).isGreaterThanOrEqualTo(reads / publishEvery - 1);
        }
        finally {
            pollers.shutdownNow();
        }
        // Workers add their counts to varnishstat's as they finish a task, so the last reads may show a moment later.
        Map<String, Long> after = Eventually.eventually(Duration.ofSeconds(10), VarnishIT::varnishStatUnchecked,
                counters -> answered(counters) - answered(before) >= reads);
        long hits = after.get("MAIN.cache_hit") - before.get("MAIN.cache_hit");
        long misses = answered(after) - answered(before) - hits;
        System.out.printf("VarnishIT polling load: %d GETs over %d URLs, a publish every %d: %d hits, %d misses (%.2f %%)%n",
                reads, paths.size(), publishEvery, hits, misses, 100.0 * hits / (hits + misses));
        assertThat(failed.get()).isZero();
        assertThat(hits + misses).isGreaterThanOrEqualTo(reads);
        assertThat((double) hits / (hits + misses)).as("%d hits, %d misses", hits, misses).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    @Order(4) // last: it stops both instances
    void aSoftPurgedCopyIsStillServedWhileNoInstanceAnswers() throws Exception {
        String category = "Varnish khi sập " + RUN;
        String title = "Tin trước khi sập " + RUN;
        String slug = categorySlug(publish(title, category));
        String feed = "/feeds/categories/" + slug + "/rss.xml";
        get(feed);
        assertThat(get(feed).headers().firstValue("X-Cache")).contains("HIT");
        for (int n = 1; n <= 2; n++) {
            ProcessHandle.of(topology.pid(n)).ifPresent(ProcessHandle::destroyForcibly);
        }
        HttpResponse<String> purged = http.send(HttpRequest.newBuilder(topology.varnish().resolve("/"))
                .method("PURGE", HttpRequest.BodyPublishers.noBody())
                .header("xkey-softpurge", "category:" + slug + " site")
                .header("Bantin-Seq", "0").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(purged.statusCode()).as(purged.body()).isEqualTo(200);
        assertThat(purged.body()).doesNotContain("Soft-purged 0");
        // Before and after Varnish's probe finds the backend sick: the stale copy, never an error.
        long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        int served = 0;
        while (System.nanoTime() < until) {
            HttpResponse<String> stale = get(feed);
            assertThat(stale.statusCode()).as("while no instance answers").isEqualTo(200);
            assertThat(stale.body()).contains(title);
            served++;
            Thread.sleep(250);
        }
        assertThat(served).isGreaterThan(10);
    }

    @Test
    @Order(3)
    void anUploadedPhotoIsServedImmutableThroughVarnishFromTheCacheOnceFetched() throws Exception {
        byte[] photo;
        try (var in = VarnishIT.class.getResourceAsStream("/media/photo.jpg")) {
            photo = in.readAllBytes();
        }
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(topology.front().resolve("/api/v1/media"))
                .header("Authorization", "Bearer " + Topology.TOKEN).header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(photo)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Matcher url = Pattern.compile("\"url\"\\s*:\\s*\"([^\"]+/640\\.jpg)\"").matcher(created.body());
        assertThat(url.find()).as(created.body()).isTrue();
        String path = URI.create(url.group(1)).getPath();
        HttpResponse<byte[]> first = getBytes(path);
        HttpResponse<byte[]> second = getBytes(path);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("X-Cache")).contains("HIT");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
        String etag = second.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> revalidated = http.send(HttpRequest.newBuilder(topology.front().resolve(path))
                .header("If-None-Match", etag).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(revalidated.statusCode()).isEqualTo(304);
    }

    private static String publish(String title, String category) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(topology.front().resolve("/api/v1/bulletins"))
                .header("Authorization", "Bearer " + Topology.TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"title": "%s", "summary": "Tin vắn.", "author": "Ban biên tập", "category": "%s"}
                        """.formatted(title, category)))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return created.body();
    }

    private static HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(topology.front().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(topology.front().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String field(String json, String name) {
        Matcher found = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertThat(found.find()).as("%s in %s", name, json).isTrue();
        return found.group(1);
    }

    /** The category's slug, as Bantin made it, from a create's answer. */
    private static String categorySlug(String created) {
        Matcher found = Pattern.compile("\"category\"\\s*:\\s*\\{\\s*\"slug\"\\s*:\\s*\"([^\"]+)\"").matcher(created);
        assertThat(found.find()).as("category slug in %s", created).isTrue();
        return found.group(1);
    }

    /** Varnish's counters, from varnishstat on the topology's Varnish. */
    /** Every lookup's outcome: a hit, or a miss of any kind (a hit-for-miss or hit-for-pass object is a miss too). */
    private static long answered(Map<String, Long> counters) {
        return counters.get("MAIN.cache_hit") + counters.get("MAIN.cache_miss") + counters.get("MAIN.cache_hitmiss")
                + counters.get("MAIN.cache_hitpass");
    }

    private static Map<String, Long> varnishStatUnchecked() {
        try {
            return varnishStat();
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Long> varnishStat() throws Exception {
        Process stat = new ProcessBuilder("varnishstat", "-n", topology.file("varnish").toString(), "-1",
                "-f", "MAIN.cache_hit", "-f", "MAIN.cache_miss", "-f", "MAIN.cache_hitmiss", "-f", "MAIN.cache_hitpass")
                .redirectErrorStream(true).start();
        String out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(stat.waitFor()).as(out).isZero();
        Map<String, Long> counters = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 2 && parts[0].startsWith("MAIN.")) {
                counters.put(parts[0], Long.parseLong(parts[1]));
            }
        }
        assertThat(counters).as(out).containsKeys("MAIN.cache_hit", "MAIN.cache_miss", "MAIN.cache_hitmiss", "MAIN.cache_hitpass");
        return counters;
    }
}
