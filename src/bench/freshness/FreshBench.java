import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Write-then-read pairs against two Bantin instances: each bulletin is published on the first; right after the
 * 201 the first instance is read (the RSS feed and the JSON list conditionally, with the ETag of the reader's
 * previous answer, the bulletin JSON and its page) and every answer that lacks the new bulletin is a stale read.
 * Meanwhile a second thread polls the second instance's RSS feed (conditionally, every millisecond) and times
 * the 201-to-fresh-answer delay. Usage: java FreshBench.java FIRST_BASE SECOND_BASE TOKEN PAIRS
 */
public class FreshBench {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static final Pattern FIELD = Pattern.compile("\"(id|slug)\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        String first = args[0];
        String second = args[1];
        String token = args[2];
        int pairs = Integer.parseInt(args[3]);
        String run = Long.toString(System.currentTimeMillis() % 100000, 36);
        Map<String, Integer> stale = new HashMap<>();
        Map<String, String> etags = new HashMap<>();
        List<Double> secondMs = Collections.synchronizedList(new ArrayList<>());
        String[] secondEtag = {null};
        ExecutorService poller = Executors.newSingleThreadExecutor();
        long start = System.nanoTime();
        for (int i = 1; i <= pairs; i++) {
            String title = "Tin tuoi " + run + " so " + i;
            HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(first + "/api/v1/bulletins"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"" + title + "\",\"category\":\"Tuoi moi\"}")).build());
            long at201 = System.nanoTime();
            if (created.statusCode() != 201) {
                throw new IllegalStateException("create answered " + created.statusCode() + ": " + created.body());
            }
            CompletableFuture<Void> onSecond = CompletableFuture.runAsync(() -> {
                for (int tries = 0; tries < 20_000; tries++) {
                    HttpResponse<String> feed = get(second + "/feeds/rss.xml", secondEtag[0]);
                    if (feed.statusCode() == 200) {
                        secondEtag[0] = feed.headers().firstValue("ETag").orElse(null);
                        if (feed.body().contains(title)) {
                            secondMs.add((System.nanoTime() - at201) / 1e6);
                            return;
                        }
                    }
                    pause();
                }
                secondMs.add(Double.POSITIVE_INFINITY);
            }, poller);
            Map<String, String> ids = new HashMap<>();
            Matcher m = FIELD.matcher(created.body());
            while (m.find()) {
                ids.putIfAbsent(m.group(1), m.group(2));
            }
            Map<String, String> reads = Map.of(
                    "feed", "/feeds/rss.xml",
                    "json list", "/api/v1/bulletins?limit=20",
                    "bulletin json", "/api/v1/bulletins/" + ids.get("id"),
                    "page", "/bulletins/" + ids.get("slug"));
            for (Map.Entry<String, String> read : reads.entrySet()) {
                // Conditional where the reader asks the same URL again (the feed, the list); a new bulletin's URL is new.
                HttpResponse<String> answer = get(first + read.getValue(), etags.get(read.getKey()));
                if (read.getKey().equals("feed") || read.getKey().equals("json list")) {
                    answer.headers().firstValue("ETag").ifPresent(etag -> etags.put(read.getKey(), etag));
                }
                boolean fresh = answer.statusCode() == 200 && answer.body().contains(title);
                stale.merge(read.getKey(), fresh ? 0 : 1, Integer::sum);
            }
            onSecond.join();
        }
        poller.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Double> sorted = new ArrayList<>(secondMs);
        Collections.sort(sorted);
        System.out.printf("pairs: %d in %.1f s%n", pairs, seconds);
        System.out.println("stale reads on the writing instance: " + stale);
        System.out.printf("201 -> fresh /feeds/rss.xml on the second instance: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), sorted.get(sorted.size() - 1));
    }

    static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    static HttpResponse<String> get(String url, String etag) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (etag != null) {
            request.header("If-None-Match", etag);
        }
        return send(request.build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void pause() {
        try {
            Thread.sleep(1);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
