package io.bantin.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;
import io.bantin.support.Eventually;

@IntegrationTest
class StreamApiTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    @Autowired
    DatabaseClient db;

    String publisher;
    final ExecutorService writer = Executors.newSingleThreadExecutor();

    @BeforeAll
    void setUp() {
        client = client.mutate().responseTimeout(WAIT).build();
        publisher = Api.issueToken(client, "publisher");
    }

    @AfterAll
    void tearDown() {
        writer.shutdownNow();
    }

    private JsonNode create(String body) {
        return json.readTree(Api.create(client, publisher, body));
    }

    @Test
    void publishedBulletinArrivesOnSseWithItsJson() {
        Flux<ServerSentEvent<String>> stream = StreamClient.sse(client, "/api/v1/stream");
        JsonNode created = create("{\"title\":\"Tin trực tiếp SSE\",\"category\":\"Thời sự\",\"tags\":[\"Bão\"]}");
        long seq = StreamClient.lastSeq(db);

        StepVerifier.create(stream)
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("published");
                    assertThat(Long.parseLong(event.id())).isEqualTo(seq);
                    assertThat(json.readTree(event.data())).isEqualTo(created);
                })
                .thenCancel().verify(WAIT);
    }

    @Test
    void publishedBulletinArrivesAsOneNdjsonLine() {
        Flux<String> lines = client.get().uri("/api/v1/stream").accept(MediaType.APPLICATION_NDJSON).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
                .returnResult(String.class).getResponseBody();
        JsonNode created = create("{\"title\":\"Tin trực tiếp NDJSON\"}");
        long seq = StreamClient.lastSeq(db);

        StepVerifier.create(lines.map(json::readTree))
                .assertNext(line -> assertThat(line.toString()).isEqualTo("{\"event\":\"heartbeat\"}"))
                // The periodic heartbeat may come before the bulletin too.
                .thenConsumeWhile(line -> line.toString().equals("{\"event\":\"heartbeat\"}"))
                .assertNext(line -> {
                    assertThat(line.get("id").longValue()).isEqualTo(seq);
                    assertThat(line.get("event").stringValue()).isEqualTo("published");
                    assertThat(line.get("data")).isEqualTo(created);
                })
                .thenCancel().verify(WAIT);
    }

    @Test
    void categoryAndTagFiltersTakeNamesAndLetOnlyMatchingEventsThrough() {
        Flux<ServerSentEvent<String>> stream = StreamClient.sse(client,
                "/api/v1/stream?category=Thể thao&tag=Bóng đá");
        create("{\"title\":\"Lọc: khác chuyên mục\",\"category\":\"Văn hoá\",\"tags\":[\"Bóng đá\"]}");
        create("{\"title\":\"Lọc: khác thẻ\",\"category\":\"Thể thao\",\"tags\":[\"Quần vợt\"]}");
        create("{\"title\":\"Lọc: khớp cả hai\",\"category\":\"Thể thao\",\"tags\":[\"Bóng đá\",\"V-League\"]}");

        StepVerifier.create(stream.map(event -> json.readTree(event.data()).get("title").stringValue()))
                .expectNext("Lọc: khớp cả hai")
                .thenCancel().verify(WAIT);
    }

    @Test
    void withdrawalReachesFilteredStreamsAsDeletedWithTheIdOnly() {
        String id = create("{\"title\":\"Tin sẽ rút\",\"category\":\"Kinh tế\"}").get("id").stringValue();
        Flux<ServerSentEvent<String>> stream = StreamClient.sse(client, "/api/v1/stream?category=kinh-te");
        client.delete().uri("/api/v1/bulletins/{id}", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .exchange().expectStatus().isNoContent();

        StepVerifier.create(stream)
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("deleted");
                    assertThat(event.data()).isEqualTo("{\"id\":\"" + id + "\"}");
                })
                .thenCancel().verify(WAIT);
    }

    @Test
    void editThatMovesABulletinOutOfACategoryOrTagReachesTheirFollowersAsADeletion() {
        String id = create("{\"title\":\"Tin đổi chuyên mục\",\"category\":\"Nông nghiệp\",\"tags\":[\"Lúa gạo\"]}")
                .get("id").stringValue();
        long beforeEdit = StreamClient.lastSeq(db);
        JsonNode moved = replace(id, "{\"title\":\"Tin đổi chuyên mục\",\"category\":\"Du lịch\",\"tags\":[\"Biển đảo\"]}");
        long edit = StreamClient.lastSeq(db);
        String deletion = "{\"id\":\"" + id + "\"}";

        // Replayed from the log: the old category's and old tag's followers lose it, the new ones' get it.
        for (String left : List.of("category=nong-nghiep", "tag=Lúa gạo")) {
            StepVerifier.create(StreamClient.sse(client, "/api/v1/stream?lastEventId=" + beforeEdit + "&" + left))
                    .assertNext(event -> {
                        assertThat(event.id()).isEqualTo(Long.toString(edit));
                        assertThat(event.event()).isEqualTo("deleted");
                        assertThat(event.data()).isEqualTo(deletion);
                    })
                    .thenCancel().verify(WAIT);
        }
        for (String followed : List.of("category=du-lich", "tag=bien-dao", "category=du-lich&tag=bien-dao", "")) {
            StepVerifier.create(StreamClient.sse(client, "/api/v1/stream?lastEventId=" + beforeEdit + "&" + followed))
                    .assertNext(event -> {
                        assertThat(event.id()).isEqualTo(Long.toString(edit));
                        assertThat(event.event()).isEqualTo("updated");
                        assertThat(json.readTree(event.data())).isEqualTo(moved);
                    })
                    .thenCancel().verify(WAIT);
        }
        // Live, and back again: one edit, a deletion for one follower and an update for the other.
        Flux<ServerSentEvent<String>> leaving = StreamClient.sse(client, "/api/v1/stream?category=du-lich");
        Flux<ServerSentEvent<String>> arriving = StreamClient.sse(client, "/api/v1/stream?category=nong-nghiep");
        JsonNode back = replace(id, "{\"title\":\"Tin đổi chuyên mục\",\"category\":\"Nông nghiệp\"}");
        StepVerifier.create(leaving)
                .assertNext(event -> assertThat(event.event() + " " + event.data()).isEqualTo("deleted " + deletion))
                .thenCancel().verify(WAIT);
        StepVerifier.create(arriving)
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("updated");
                    assertThat(json.readTree(event.data())).isEqualTo(back);
                })
                .thenCancel().verify(WAIT);
    }

    private JsonNode replace(String id, String body) {
        return json.readTree(client.put().uri("/api/v1/bulletins/{id}", id)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    @Test
    void resumeReplaysOnlyMissedEventsThenGoesLive() {
        create("{\"title\":\"Tiếp nối 1\"}");
        long seen = StreamClient.lastSeq(db);
        create("{\"title\":\"Tiếp nối 2\"}");
        create("{\"title\":\"Tiếp nối 3\"}");
        List<Long> missed = StreamClient.seqs(db).stream().filter(seq -> seq > seen).toList();

        Flux<ServerSentEvent<String>> byHeader = client.get().uri("/api/v1/stream")
                .accept(MediaType.TEXT_EVENT_STREAM).header("Last-Event-ID", Long.toString(seen)).exchange()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
                }).getResponseBody().filter(event -> event.event() != null);
        Flux<ServerSentEvent<String>> byQuery = StreamClient.sse(client, "/api/v1/stream?lastEventId=" + seen);

        for (Flux<ServerSentEvent<String>> stream : List.of(byHeader, byQuery)) {
            StepVerifier.create(stream.map(event -> Long.parseLong(event.id())))
                    .expectNextSequence(missed)
                    .thenCancel().verify(WAIT);
        }
        Flux<ServerSentEvent<String>> resumed = StreamClient.sse(client, "/api/v1/stream?lastEventId=" + seen);
        StepVerifier.create(resumed.map(event -> json.readTree(event.data()).get("title").stringValue()))
                .expectNext("Tiếp nối 2", "Tiếp nối 3")
                .then(() -> create("{\"title\":\"Tiếp nối 4, trực tiếp\"}"))
                .expectNext("Tiếp nối 4, trực tiếp")
                .thenCancel().verify(WAIT);
    }

    @Test
    void resumeDuringConcurrentWritesHasNoGapAndNoDuplicateAtTheSeam() throws Exception {
        create("{\"title\":\"Đường nối: trước\"}");
        long start = StreamClient.lastSeq(db);
        int writes = 30;
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            for (int i = 1; i <= writes; i++) {
                create("{\"title\":\"Đường nối " + i + "\"}");
            }
        }, writer);
        // Streams opened while the writes go on: each resumes from wherever the log is at that moment.
        List<Long> resumePoints = new ArrayList<>();
        List<List<Long>> received = new ArrayList<>();
        List<Disposable> streams = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long resumeAt = StreamClient.lastSeq(db);
            List<Long> got = new CopyOnWriteArrayList<>();
            resumePoints.add(resumeAt);
            received.add(got);
            streams.add(StreamClient.sse(client, "/api/v1/stream?lastEventId=" + resumeAt)
                    .map(event -> Long.parseLong(event.id())).subscribe(got::add));
            // The next stream resumes from a later point, while there are writes still to come.
            Eventually.eventually(WAIT, () -> writing.isDone() || StreamClient.lastSeq(db) > resumeAt, moved -> moved);
        }
        writing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        long last = StreamClient.lastSeq(db);
        List<Long> all = StreamClient.seqs(db);
        assertThat(all.stream().filter(seq -> seq > start)).hasSize(writes);
        // A stream opened once the writes were done resumed at the end: it has nothing to receive.
        Eventually.eventually(WAIT, () -> received, lists -> IntStream.range(0, lists.size())
                .allMatch(i -> resumePoints.get(i) >= last || lists.get(i).contains(last)));
        // Room for a duplicate to show up, were there one: nothing more may come.
        int settled = received.stream().mapToInt(List::size).sum();
        Eventually.throughout(Duration.ofMillis(300), () -> received.stream().mapToInt(List::size).sum(),
                count -> count == settled);
        streams.forEach(Disposable::dispose);

        for (int i = 0; i < streams.size(); i++) {
            long from = resumePoints.get(i);
            List<Long> expected = all.stream().filter(seq -> seq > from).toList();
            assertThat(received.get(i)).as("stream resumed after %d", from).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void resumePointOlderThanTheRetainedLogGetsResetThenLiveEvents() {
        create("{\"title\":\"Cũ 1\"}");
        long old = StreamClient.lastSeq(db);
        create("{\"title\":\"Cũ 2\"}");
        create("{\"title\":\"Mới nhất trước khi dọn\"}");
        long newest = StreamClient.lastSeq(db);
        db.sql("UPDATE bulletin_events SET created_at = now() - interval '8 days' WHERE seq < :newest")
                .bind("newest", newest).then().block(WAIT);
        StepVerifier.create(new io.bantin.change.EventLog(db).deleteOlderThan(Duration.ofDays(7))).expectNextMatches(n -> n >= 2)
                .verifyComplete();

        Flux<ServerSentEvent<String>> stream = StreamClient.sse(client, "/api/v1/stream?lastEventId=" + (old - 1));
        StepVerifier.create(stream)
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("reset");
                    assertThat(event.id()).isEqualTo(Long.toString(newest));
                    assertThat(event.data()).isEqualTo("{\"lastEventId\":" + newest + "}");
                })
                .then(() -> create("{\"title\":\"Sau khi đặt lại\"}"))
                .assertNext(event -> assertThat(event.event()).isEqualTo("published"))
                .thenCancel().verify(WAIT);
        // Resuming from the newest kept event is still fine: nothing after it was deleted.
        StepVerifier.create(StreamClient.sse(client, "/api/v1/stream?lastEventId=" + newest).take(1))
                .assertNext(event -> assertThat(event.event()).isEqualTo("published"))
                .verifyComplete();
    }

    @Test
    void streamsSendNoCacheUnbufferedHeadersRetryAndHeartbeats() {
        var result = client.get().uri("/api/v1/stream").accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-cache")
                .expectHeader().valueEquals("X-Accel-Buffering", "no")
                .expectHeader().doesNotExist(HttpHeaders.CONTENT_ENCODING)
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
                });
        StepVerifier.create(result.getResponseBody())
                .assertNext(opening -> assertThat(opening.retry()).isEqualTo(Duration.ofSeconds(3)))
                .assertNext(beat -> assertThat(beat.comment()).isEqualTo("heartbeat"))
                .thenCancel().verify(WAIT);

        Flux<String> ndjson = client.get().uri("/api/v1/stream").accept(MediaType.APPLICATION_NDJSON).exchange()
                .expectHeader().valueEquals("X-Accel-Buffering", "no")
                .returnResult(String.class).getResponseBody();
        StepVerifier.create(ndjson.take(2))
                .expectNext("{\"event\":\"heartbeat\"}", "{\"event\":\"heartbeat\"}")
                .verifyComplete();
    }

    @Test
    void malformedResumeIdIsABadRequestProblem() {
        client.get().uri("/api/v1/stream?lastEventId=abc").accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        client.get().uri("/api/v1/stream").accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isEqualTo(406);
    }

    @Test
    void streamMetricsAreExposedForPrometheus() {
        String scrape = client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(scrape).contains("bantin_stream_subscribers", "bantin_stream_events_delivered_total",
                "bantin_stream_slow_clients_dropped_total", "bantin_stream_listener_reconnects_total");
    }
}
