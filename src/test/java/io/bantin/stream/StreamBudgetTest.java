package io.bantin.stream;

import static io.bantin.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/** Streams are bounded in bytes, not only in events, and in number. */
@IntegrationTest
@TestPropertySource(properties = {"bantin.stream.buffer=1000", "bantin.stream.buffer-bytes=3MB",
        "bantin.stream.max-open=3"})
class StreamBudgetTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    WebTestClient client;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int port;

    String publisher;

    @BeforeAll
    void setUp() {
        client = client.mutate().responseTimeout(WAIT)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024)).build();
        publisher = Api.issueToken(client, "publisher");
    }

    @Test
    void neverReadingClientWithMegabyteEventsIsDroppedOnItsByteBudget() throws IOException {
        double byBytes = meters.counter("bantin.stream.dropped", "reason", "bytes").count();
        String body = "<p>" + "Tin rat dai. ".repeat(70_000) + "</p>"; // about 900 KB an event
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(2048);
            stalled.connect(new InetSocketAddress("127.0.0.1", port));
            stalled.getOutputStream().write(("GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            eventually(WAIT, this::openStreams, open -> open == 1);
            int written = 0;
            while (meters.counter("bantin.stream.dropped", "reason", "bytes").count() == byBytes && written < 20) {
                written++;
                Api.create(client, publisher, "{\"title\":\"Tin lon " + written + "\",\"body\":\"" + body + "\"}");
            }
            // 3 MB of queue, a 16 KB write buffer and what the kernel takes: a few events, far below the 1,000-event buffer.
            assertThat(written).as("big events published until the drop").isBetween(3, 15);
            assertThat(readsToTheEnd(stalled)).as("the server closed the connection").isTrue();
        }
        eventually(WAIT, this::openStreams, open -> open == 0);
        eventually(WAIT, () -> meters.get("bantin.stream.queued.bytes").gauge().value(), bytes -> bytes == 0);
    }

    @Test
    void streamsPastTheCapAreRefusedWith503AndRetryAfter() throws IOException {
        eventually(WAIT, this::openStreams, open -> open == 0);
        List<Disposable> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(StreamClient.all(client, "/api/v1/stream").subscribe());
            }
            eventually(WAIT, this::openStreams, n -> n == 3);
            client.get().uri("/api/v1/stream").accept(MediaType.TEXT_EVENT_STREAM).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "5")
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("3 streams"));
            assertThat(meters.counter("bantin.stream.refused").count()).isGreaterThanOrEqualTo(1);
            // The refused connection is closed after the answer, not kept until the 30 s idle timeout.
            try (Socket refused = new Socket("127.0.0.1", port)) {
                refused.getOutputStream().write(("GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                refused.setSoTimeout(5000);
                String answer = new String(refused.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(answer).startsWith("HTTP/1.1 503").containsIgnoringCase("connection: close")
                        .contains("3 streams");
            }
        }
        finally {
            open.forEach(Disposable::dispose);
        }
        eventually(WAIT, this::openStreams, n -> n == 0);
        StreamClient.all(client, "/api/v1/stream").take(1).blockLast(WAIT); // room again
    }

    private double openStreams() {
        return meters.get("bantin.stream.open").gauge().value();
    }

    private static boolean readsToTheEnd(Socket socket) throws IOException {
        socket.setSoTimeout((int) WAIT.toMillis());
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[64 * 1024];
        try {
            while (in.read(chunk) >= 0) {
                // discard
            }
            return true;
        }
        catch (SocketException reset) {
            return true;
        }
    }
}
