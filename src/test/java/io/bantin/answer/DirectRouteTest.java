package io.bantin.answer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.feed.Feeds;
import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/**
 * The direct route answers exactly as Spring does: a request with a cookie (which changes nothing in the answer)
 * always goes through Spring, so the two answers to the same URL are compared whole.
 */
@IntegrationTest
class DirectRouteTest {

    /** Sends a request through Spring's filter chain: the direct route leaves anything with a cookie to it. */
    static final Map<String, String> VIA_SPRING = Map.of("Cookie", "via=spring");


    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    @Autowired
    DirectRoute route;

    @Autowired
    io.bantin.change.ScopeVersions versions;

    @Autowired
    DatabaseClient db;

    String slug;
    String id;

    @Value("${local.server.port}")
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    void setUp() {
        client = Feeds.patient(client);
        String publisher = Api.issueToken(client, "publisher");
        var created = json.readTree(Api.create(client, publisher, json.writeValueAsString(Feeds.bulletin("Lễ hội cà phê Buôn Ma Thuột lần thứ 9",
                "Văn hóa", List.of("Cà phê"), "Lê Thị Mai", "Du khách thưởng thức cà phê", "<p>Lễ hội mở màn tối nay.</p>"))));
        slug = created.get("slug").stringValue();
        id = created.get("id").stringValue();
        // The versions know of the write (the 201 waited for it); checked, since a feed rendered (with the write)
        // under an earlier version would change its ETag in the middle of a test.
        long seq = db.sql("SELECT max(seq) AS seq FROM bulletin_events").map(row -> row.get("seq", Long.class)).one()
                .block(Duration.ofSeconds(10));
        Feeds.eventually(() -> versions.fresh(List.of("site")),
                version -> version != null && version.id().startsWith(seq + "."));
        assertThat(new String(Feeds.body(client, "/feeds/rss.xml?limit=50"), StandardCharsets.UTF_8))
                .contains("Lễ hội cà phê Buôn Ma Thuột");
    }

    @Test
    void answersEveryCachedReadWithSpringsExactBytesAndHeaders() throws Exception {
        for (String path : List.of("/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json", "/feeds/rss.xml?limit=20",
                "/feeds/categories/van-hoa/rss.xml", "/feeds/tags/ca-phe/feed.json", "/feeds/authors/le-thi-mai/atom.xml",
                "/feeds/opml.xml", "/", "/bulletins/" + slug, "/categories/van-hoa", "/tags/ca-phe?cursor=",
                "/api/v1/bulletins?limit=20",
                "/api/v1/bulletins?tag=C%C3%A0+ph%C3%AA&category=van-hoa&fields=title,id", "/api/v1/bulletins/" + slug,
                "/api/v1/bulletins/" + id + "?fields=slug,summary", "/api/v1/categories", "/api/v1/tags")) {
            HttpResponse<byte[]> viaSpring = get(path, with(VIA_SPRING, Map.of("Accept-Encoding", "gzip")));
            assertThat(viaSpring.statusCode()).as(path).isEqualTo(200);
            String etag = viaSpring.headers().firstValue("ETag").orElseThrow();
            String lastModified = viaSpring.headers().firstValue("Last-Modified").orElseThrow();
            for (Map<String, String> asked : List.of(Map.<String, String>of(), Map.of("Accept-Encoding", "gzip"),
                    Map.of("If-None-Match", etag), Map.of("If-None-Match", "W/\"other\", " + etag),
                    Map.of("If-Modified-Since", lastModified), Map.of("If-None-Match", "\"stale\""))) {
                long before = route.answered();
                HttpResponse<byte[]> direct = get(path, asked);
                assertThat(route.answered()).as("%s %s answered directly", path, asked).isEqualTo(before + 1);
                HttpResponse<byte[]> spring = get(path, with(VIA_SPRING, asked));
                assertThat(direct.statusCode()).as("%s %s", path, asked).isEqualTo(spring.statusCode());
                assertThat(headers(direct)).as("%s %s", path, asked).isEqualTo(headers(spring));
                assertThat(direct.body()).as("%s %s", path, asked).isEqualTo(spring.body());
            }
        }
    }

    @Test
    void spellingsOfOneAnswerShareOneCopy() throws Exception {
        HttpResponse<byte[]> canonical = get("/api/v1/bulletins?category=van-hoa&limit=5&fields=id,title", VIA_SPRING);
        long before = route.answered();
        for (String same : List.of("/api/v1/bulletins?fields=title,id&limit=5&category=V%C4%83n+h%C3%B3a",
                "/api/v1/bulletins?limit=5&utm_source=x&category=van-hoa&fields=id,title,id",
                "/api/v1/bulletins?category=van-hoa&fields=id,title&limit=5")) {
            HttpResponse<byte[]> spelt = get(same, Map.of());
            assertThat(spelt.body()).as(same).isEqualTo(canonical.body());
            assertThat(spelt.headers().firstValue("ETag")).as(same).isEqualTo(canonical.headers().firstValue("ETag"));
        }
        assertThat(route.answered()).isEqualTo(before + 3);
        assertThat(get("/feeds/rss.xml?limit=100000", Map.of()).body())
                .isEqualTo(get("/feeds/rss.xml?limit=200", Map.of()).body());
    }

    @Test
    void theDirectFeedParsesWithTheVietnameseTitleIntact() throws Exception {
        get("/feeds/rss.xml?limit=50", VIA_SPRING);
        long before = route.answered();
        HttpResponse<byte[]> direct = get("/feeds/rss.xml", Map.of());
        assertThat(route.answered()).isEqualTo(before + 1);
        assertThat(Feeds.syndFeed(direct.body()).getEntries()).extracting(e -> e.getTitle())
                .contains("Lễ hội cà phê Buôn Ma Thuột lần thứ 9");
    }

    @Test
    void headAnswersTheHeadersOfAGetWithoutTheBody() throws Exception {
        get("/feeds/atom.xml", VIA_SPRING);
        HttpResponse<byte[]> get = get("/feeds/atom.xml", Map.of());
        long before = route.answered();
        HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/feeds/atom.xml"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(route.answered()).isEqualTo(before + 1);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(headers(head)).isEqualTo(headers(get));
        assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(get.body().length));
    }

    @Test
    void credentialsCorsBadInputAndExportsAreLeftToSpring() throws Exception {
        get("/feeds/rss.xml", VIA_SPRING);
        long before = route.answered();
        // A bearer token is checked by Spring Security on every path: a bad one is refused, not ignored.
        assertThat(get("/feeds/rss.xml", Map.of("Authorization", "Bearer not-a-token")).statusCode()).isEqualTo(401);
        HttpResponse<byte[]> cors = get("/feeds/rss.xml", Map.of("Origin", "https://reader.example"));
        assertThat(cors.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(get("/feeds/rss.xml?limit=0", Map.of()).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/bulletins?fields=id,mat-khau", Map.of()).statusCode()).isEqualTo(400);
        assertThat(get("/feeds/categories/khong-co/rss.xml", Map.of()).statusCode()).isEqualTo(404);
        HttpResponse<byte[]> export = get("/api/v1/bulletins", Map.of("Accept", "application/x-ndjson"));
        assertThat(export.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        assertThat(route.answered()).isEqualTo(before);
    }

    @Test
    void pipelinedPollsOnOneConnectionAreAllAnswered() throws Exception {
        HttpResponse<byte[]> first = get("/feeds/rss.xml", Map.of());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        String poll = "GET /feeds/rss.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: " + etag + "\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            // HTTP/1.1 pipelining: requests that arrive before the previous answer is done are queued by the
            // server, and every one of them must still be answered, in order.
            for (int round = 0; round < 20; round++) {
                out.write((poll + poll + poll).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(readStatusLines(socket.getInputStream(), 3)).containsOnly("HTTP/1.1 304 Not Modified");
            }
        }
    }

    private static List<String> readStatusLines(InputStream in, int count) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        Pattern status = Pattern.compile("HTTP/1\\.1 \\d{3} [^\r]*");
        while (true) {
            String text = seen.toString(StandardCharsets.US_ASCII);
            List<String> lines = status.matcher(text).results().map(java.util.regex.MatchResult::group).toList();
            if (lines.size() == count && text.endsWith("\r\n\r\n")) {
                return lines;
            }
            int b = in.read(); // a 304 has no body: the headers' blank line ends each answer
            if (b < 0) {
                throw new IOException("connection closed after " + lines.size() + " answers");
            }
            seen.write(b);
        }
    }

    private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
        Map<String, String> both = new java.util.HashMap<>(a);
        both.putAll(b);
        return both;
    }

    private HttpResponse<byte[]> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Header names compared case-insensitively; the JDK client already folds them to lower case. */
    private static Map<String, List<String>> headers(HttpResponse<?> response) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(response.headers().map());
        headers.remove(":status");
        return headers;
    }
}
