package io.bantin.grip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.change.ChangeBus;
import io.bantin.change.LogPositions;
import io.bantin.support.Api;
import io.bantin.support.Eventually;
import io.bantin.support.IntegrationTest;

/**
 * GRIP mode against the real PostgreSQL, with a stub standing in for Pushpin's publish endpoint: a stream request
 * signed by Pushpin gets the hold instructions and the very replay the direct stream sends (resume, filters,
 * departures, {@code reset}), in pages when too big; every other request gets the direct stream; every change is
 * published on each channel that carries it, with {@code prev-id}s that chain and agree with the holds.
 */
@IntegrationTest
class GripModeTest {

    static final String KEY = "grip-test-5b0e9d27c4a1";
    // Never stopped: the context stays cached after the class and its publisher goes on following the log to it.
    static final StubPushpin PUSHPIN = new StubPushpin();

    @DynamicPropertySource
    static void grip(DynamicPropertyRegistry registry) {
        registry.add("bantin.stream.grip.enabled", () -> "true");
        registry.add("bantin.stream.grip.key", () -> KEY);
        registry.add("bantin.stream.grip.publish-url", PUSHPIN::url);
        registry.add("bantin.stream.grip.replay-bytes", () -> "2KB");
        registry.add("bantin.stream.grip.recover-after", () -> "300s");
    }

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    @Autowired
    DatabaseClient db;

    @Autowired
    ChangeBus bus;

    @Autowired
    LogPositions positions;

    String publisher;

    @BeforeAll
    void setUp() {
        client = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
    }

    @BeforeEach
    void forget() {
        publisher = Api.issueToken(client, "publisher");
        // The database was emptied with its sequences restarted, but a bus that delivered seq N skips seqs up to N:
        // new events are numbered past what this instance delivered, as in a log never emptied.
        db.sql("SELECT setval(pg_get_serial_sequence('bulletin_events', 'seq'), :n)").bind("n", Math.max(bus.delivered(), 1))
                .fetch().rowsUpdated().block(Duration.ofSeconds(5));
        PUSHPIN.reset();
    }

    static String signature(String key, Instant expiry) {
        return GripSignature.sign("{\"iss\":\"pushpin\",\"exp\":" + expiry.getEpochSecond() + "}", key);
    }

    private String create(String body) {
        return json.readTree(Api.create(client, publisher, body)).get("id").stringValue();
    }

    private long newestSeq() {
        return bus.delivered(); // the writer's instance delivered the change before its 201
    }

    private EntityExchangeResult<String> held(String uri, MediaType accept, String... headers) {
        WebTestClient.RequestHeadersSpec<?> request = client.get().uri(uri).accept(accept)
                .header("Grip-Sig", signature(KEY, Instant.now().plusSeconds(3600)));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request = request.header(headers[i], headers[i + 1]);
        }
        return request.exchange().expectStatus().isOk().expectBody(String.class).returnResult();
    }

    /** What Pushpin sends the client: the first answer, then, while an answer holds nothing, its next link's. */
    private List<EntityExchangeResult<String>> followed(String uri, MediaType accept, String... headers) {
        List<EntityExchangeResult<String>> answers = new ArrayList<>();
        EntityExchangeResult<String> answer = held(uri, accept, headers);
        answers.add(answer);
        while (answer.getResponseHeaders().getFirst("Grip-Hold") == null) {
            assertThat(answers).as("pages").hasSizeLessThan(50);
            answer = held(link(answer), MediaType.ALL);
            answers.add(answer);
        }
        return answers;
    }

    private static String link(EntityExchangeResult<String> answer) {
        String link = answer.getResponseHeaders().getFirst("Grip-Link");
        assertThat(link).as("Grip-Link").isNotNull().contains("; rel=next");
        return link.substring(1, link.indexOf('>'));
    }

    private static String body(List<EntityExchangeResult<String>> answers) {
        StringBuilder body = new StringBuilder();
        answers.forEach(answer -> body.append(answer.getResponseBody() == null ? "" : answer.getResponseBody()));
        return body.toString();
    }

    /** The channel → prev-id pairs of an answer's Grip-Channel headers. */
    private static Map<String, Long> channels(EntityExchangeResult<String> answer) {
        Map<String, Long> channels = new LinkedHashMap<>();
        for (String value : answer.getResponseHeaders().getOrEmpty("Grip-Channel")) {
            String[] parts = value.split("; prev-id=");
            channels.put(parts[0], Long.parseLong(parts[1]));
        }
        return channels;
    }

    /** The NDJSON lines /api/v1/changes gives after {@code after} with {@code filter}: what the stream replays. */
    private List<JsonNode> changes(long after, String filter) {
        String page = client.get().uri("/api/v1/changes?limit=100&after=" + after + filter).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        List<JsonNode> lines = new ArrayList<>();
        json.readTree(page).get("items").forEach(lines::add);
        return lines;
    }

    private List<JsonNode> lines(String ndjson) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : ndjson.split("\n")) {
            if (!line.isBlank()) {
                lines.add(json.readTree(line));
            }
        }
        return lines;
    }

    @Test
    void aRequestWithoutAValidGripSigGetsTheDirectStream() {
        for (String sig : new String[] {null, signature("another-key-0123456789", Instant.now().plusSeconds(60)),
                signature(KEY, Instant.now().minusSeconds(5)), "not.a.jwt"}) {
            WebTestClient.RequestHeadersSpec<?> request = client.get().uri("/api/v1/stream").accept(MediaType.APPLICATION_NDJSON);
            if (sig != null) {
                request = request.header("Grip-Sig", sig);
            }
            var result = request.exchange().expectStatus().isOk()
                    .expectHeader().doesNotExist("Grip-Hold")
                    .expectHeader().doesNotExist("Grip-Channel")
                    .returnResult(String.class);
            StepVerifier.create(result.getResponseBody())
                    .assertNext(line -> assertThat(line).isEqualTo("{\"event\":\"heartbeat\"}"))
                    .thenCancel().verify(Duration.ofSeconds(15));
        }
    }

    @Test
    void throughPushpinAStreamIsHeldOnItsChannelsWithHeartbeatsAndANextLink() {
        create("{\"title\":\"Tin trước khi giữ\",\"category\":\"Thể thao\"}");
        long newest = newestSeq();

        EntityExchangeResult<String> answer = held("/api/v1/stream?category=Thể thao", MediaType.APPLICATION_NDJSON);
        HttpHeaders headers = answer.getResponseHeaders();
        assertThat(headers.getContentType().isCompatibleWith(MediaType.APPLICATION_NDJSON)).isTrue();
        assertThat(headers.getFirst("Grip-Hold")).isEqualTo("stream");
        assertThat(channels(answer)).containsExactly(Map.entry("bantin:ndjson:c:the-thao", newest),
                Map.entry("bantin:ndjson:deleted", 0L));
        String keepAlive = headers.getFirst("Grip-Keep-Alive");
        assertThat(keepAlive).endsWith("; format=base64; timeout=2"); // bantin.stream.heartbeat in tests
        assertThat(new String(Base64.getDecoder().decode(keepAlive.substring(0, keepAlive.indexOf(';'))),
                StandardCharsets.UTF_8)).isEqualTo("{\"event\":\"heartbeat\"}\n");
        assertThat(headers.getFirst("Grip-Link")).isEqualTo("</api/v1/stream?category=the-thao&lastEventId=" + newest
                + "&grip=ndjson>; rel=next; timeout=300");
        assertThat(answer.getResponseBody()).isEqualTo("{\"event\":\"heartbeat\"}\n"); // live from here: nothing to replay

        EntityExchangeResult<String> sse = held("/api/v1/stream", MediaType.TEXT_EVENT_STREAM);
        assertThat(sse.getResponseHeaders().getContentType().isCompatibleWith(MediaType.TEXT_EVENT_STREAM)).isTrue();
        assertThat(channels(sse)).containsExactly(Map.entry("bantin:sse:all", newest));
        assertThat(sse.getResponseBody()).isEqualTo("retry:3000\n:bantin stream\n\n");
    }

    @Test
    void theReplayIsExactlyWhatTheDirectStreamSendsInPagesThatFitPushpin() {
        long before = Math.max(bus.delivered(), 0);
        String moved = create("{\"title\":\"Tin sẽ đổi chuyên mục\",\"category\":\"Nông nghiệp\",\"tags\":[\"Lúa gạo\"]}");
        create("{\"title\":\"Tin chuyên mục khác\",\"category\":\"Du lịch\"}");
        client.put().uri("/api/v1/bulletins/{id}", moved).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"title\":\"Tin sẽ đổi chuyên mục\",\"category\":\"Du lịch\",\"tags\":[\"Biển đảo\"]}")
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult();
        long departure = newestSeq();
        for (int i = 0; i < 6; i++) {
            create("{\"title\":\"Tin nông nghiệp " + i + "\",\"summary\":\"" + "Lúa chín vàng đồng. ".repeat(20)
                    + "\",\"category\":\"Nông nghiệp\"}");
        }
        String withdrawn = create("{\"title\":\"Tin sẽ rút\",\"category\":\"Nông nghiệp\"}");
        client.delete().uri("/api/v1/bulletins/{id}", withdrawn).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .exchange().expectStatus().isNoContent().expectBody().isEmpty();
        long deletion = newestSeq();

        List<EntityExchangeResult<String>> answers = followed("/api/v1/stream?category=nong-nghiep",
                MediaType.APPLICATION_NDJSON, "Last-Event-ID", Long.toString(before));
        assertThat(answers).as("too big for one answer: paged through next links").hasSizeGreaterThan(1);
        for (EntityExchangeResult<String> page : answers.subList(0, answers.size() - 1)) {
            assertThat(page.getResponseHeaders().getFirst("Grip-Channel")).as("a page holds nothing").isNull();
            assertThat(page.getResponseBodyContent().length).isLessThan(2048 + 1500);
        }
        List<JsonNode> replay = lines(body(answers));
        assertThat(replay.get(0).toString()).isEqualTo("{\"event\":\"heartbeat\"}");
        List<JsonNode> expected = changes(before, "&category=nong-nghiep");
        assertThat(replay.subList(1, replay.size())).isEqualTo(expected);
        assertThat(expected).extracting(line -> line.get("event").stringValue())
                .containsExactly("published", "deleted", "published", "published", "published", "published", "published",
                        "published", "published", "deleted");
        assertThat(expected.get(1).get("id").longValue()).isEqualTo(departure);
        assertThat(expected.get(1).get("data").toString()).isEqualTo("{\"id\":\"" + moved + "\"}");
        // Held on the filter's channel and the deletions', each at its last item.
        assertThat(channels(answers.get(answers.size() - 1))).containsExactly(
                Map.entry("bantin:ndjson:c:nong-nghiep", deletion - 1), Map.entry("bantin:ndjson:deleted", deletion));

        // SSE: the same events as the direct stream's frames.
        String sse = body(followed("/api/v1/stream?category=nong-nghiep", MediaType.TEXT_EVENT_STREAM,
                "Last-Event-ID", Long.toString(departure)));
        assertThat(sse).startsWith("retry:3000\n:bantin stream\n\nid:" + (departure + 1) + "\nevent:published\ndata:{");
        assertThat(sse).endsWith("id:" + deletion + "\nevent:deleted\ndata:{\"id\":\"" + withdrawn + "\"}\n\n");
        assertThat(sse.split("\nevent:", -1)).as("eight events").hasSize(9);
    }

    @Test
    void aNextLinkGoesOnFromWhatPushpinLastSentNotFromTheLinksOwnPosition() {
        create("{\"title\":\"Tin một\"}");
        long first = newestSeq();
        create("{\"title\":\"Tin hai\"}");
        long second = newestSeq();
        create("{\"title\":\"Tin ba\"}");
        long third = newestSeq();

        // Pushpin delivered "hai" after the hold at "một", then an item did not follow: it asks the link with Grip-Last.
        String link = "/api/v1/stream?lastEventId=" + first + "&grip=sse";
        EntityExchangeResult<String> answer = held(link, MediaType.ALL, "Grip-Last", "bantin:sse:all; last-id=" + second);
        assertThat(answer.getResponseBody()).as("no opening on a follow-up, and nothing twice")
                .startsWith("id:" + third + "\nevent:published\n").doesNotContain("id:" + second + "\n");
        assertThat(channels(answer)).containsExactly(Map.entry("bantin:sse:all", third));
    }

    @Test
    void aResumePointOlderThanTheKeptLogOrPastItsEndGetsReset() {
        create("{\"title\":\"Tin cũ\"}");
        long old = newestSeq();
        create("{\"title\":\"Tin còn giữ\"}");
        create("{\"title\":\"Tin mới nhất\"}");
        long newest = newestSeq();
        db.sql("DELETE FROM bulletin_events WHERE seq <= :seq").bind("seq", old + 1).fetch().rowsUpdated()
                .block(Duration.ofSeconds(5)); // what the retention cleanup does: a prefix of the log

        String reset = "{\"id\":" + newest + ",\"event\":\"reset\",\"data\":{\"lastEventId\":" + newest + "}}\n";
        for (long resume : new long[] {old - 1, newest + 1000}) {
            EntityExchangeResult<String> answer = held("/api/v1/stream", MediaType.APPLICATION_NDJSON,
                    "Last-Event-ID", Long.toString(resume));
            assertThat(answer.getResponseBody()).isEqualTo("{\"event\":\"heartbeat\"}\n" + reset);
            assertThat(answer.getResponseHeaders().getFirst("Grip-Hold")).isEqualTo("stream");
            assertThat(channels(answer)).containsExactly(Map.entry("bantin:ndjson:all", newest));
        }
    }

    @Test
    void everyChangeIsPublishedOnTheChannelsThatCarryItWithPrevIdsThatChainFromTheHold() {
        create("{\"title\":\"Tin trước\",\"category\":\"Kinh tế\",\"tags\":[\"Giá vàng\"]}");
        EntityExchangeResult<String> hold = held("/api/v1/stream?category=kinh-te&tag=gia-vang", MediaType.TEXT_EVENT_STREAM);
        Map<String, Long> held = channels(hold);
        long heldAt = held.get("bantin:sse:c:kinh-te:t:gia-vang");

        String id = create("{\"title\":\"Tin giá vàng\",\"category\":\"Kinh tế\",\"tags\":[\"Giá vàng\"]}");
        long published = newestSeq();
        client.put().uri("/api/v1/bulletins/{id}", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"title\":\"Tin giá vàng\",\"category\":\"Thị trường\",\"tags\":[\"Giá vàng\"]}")
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult();
        long edited = newestSeq();
        client.delete().uri("/api/v1/bulletins/{id}", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .exchange().expectStatus().isNoContent().expectBody().isEmpty();
        long deleted = newestSeq();
        Eventually.eventually(Duration.ofSeconds(20), () -> positions.seq("grip " + PUSHPIN.url() + "/publish/")
                .block(Duration.ofSeconds(5)), at -> at >= deleted);
        assertThat(PUSHPIN.paths()).allMatch(path -> path.equals("POST /publish/"));

        // The followed channel: the bulletin, then its departure; the deletion goes on the deletions' channel.
        List<StubPushpin.Item> all = PUSHPIN.on("bantin:sse:c:kinh-te:t:gia-vang");
        assertThat(all).extracting(StubPushpin.Item::id).as("the one before the hold too").containsExactly(heldAt, published, edited);
        List<StubPushpin.Item> both = all.subList(1, 3);
        assertThat(both.get(0).prevId()).as("follows the hold").isEqualTo(heldAt);
        assertThat(both.get(1).prevId()).isEqualTo(published);
        assertThat(both.get(0).content()).startsWith("id:" + published + "\nevent:published\ndata:{");
        assertThat(both.get(1).content()).isEqualTo("id:" + edited + "\nevent:deleted\ndata:{\"id\":\"" + id + "\"}\n\n");
        assertThat(PUSHPIN.on("bantin:sse:deleted")).singleElement().satisfies(item -> {
            assertThat(item.id()).isEqualTo(deleted);
            assertThat(item.prevId()).isEqualTo(held.get("bantin:sse:deleted"));
        });
        assertThat(PUSHPIN.on("bantin:ndjson:deleted")).singleElement().extracting(StubPushpin.Item::content)
                .isEqualTo("{\"id\":" + deleted + ",\"event\":\"deleted\",\"data\":{\"id\":\"" + id + "\"}}\n");
        // The unfiltered channel has all three, each after the one before; the new category only the edit.
        assertThat(PUSHPIN.on("bantin:ndjson:all")).extracting(StubPushpin.Item::id)
                .containsExactly(heldAt, published, edited, deleted);
        assertThat(PUSHPIN.on("bantin:ndjson:all")).extracting(StubPushpin.Item::prevId)
                .containsExactly(heldAt - 1, heldAt, published, edited);
        assertThat(PUSHPIN.on("bantin:sse:c:thi-truong")).singleElement().satisfies(item -> {
            assertThat(item.id()).isEqualTo(edited);
            assertThat(item.content()).startsWith("id:" + edited + "\nevent:updated\n");
        });
        // What a hold says now is what the next item on each channel will name as its previous one.
        assertThat(channels(held("/api/v1/stream?category=kinh-te&tag=gia-vang", MediaType.TEXT_EVENT_STREAM)))
                .containsExactly(Map.entry("bantin:sse:c:kinh-te:t:gia-vang", edited), Map.entry("bantin:sse:deleted", deleted));
    }
}
