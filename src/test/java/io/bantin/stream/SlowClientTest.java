package io.bantin.stream;

import static io.bantin.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.Eventually;
import io.bantin.support.IntegrationTest;

/** A subscriber that cannot keep up is cut off at its buffer; the others never notice. */
@IntegrationTest
@TestPropertySource(properties = "bantin.stream.buffer=8")
@ExtendWith(OutputCaptureExtension.class)
class SlowClientTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    WebTestClient client;

    @Autowired
    StreamSource streams;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int port;

    String publisher;

    private ResourceLeakDetector.Level leakLevel;

    @BeforeAll
    void setUp() {
        // Paranoid leak tracking (the suite's level) records a stack on every buffer access and slows the
        // fan-out enough for a reading client to fall 8 events behind: this class measures drops, not leaks.
        leakLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        client = client.mutate().responseTimeout(WAIT)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024)).build();
        publisher = Api.issueToken(client, "publisher");
    }

    @AfterAll
    void restoreLeakLevel() {
        ResourceLeakDetector.setLevel(leakLevel);
    }

    private double dropped() {
        return meters.counter("bantin.stream.slow.clients.dropped").count();
    }

    @Test
    void subscriberThatRequestsNothingIsDroppedWhileAFastOneGetsEverything() {
        double droppedBefore = dropped();
        StepVerifier slow = StepVerifier.create(sse(new StreamRequest(null, null, null)), 0)
                .expectSubscription()
                .expectError(SlowClientException.class)
                .verifyLater();
        StepVerifier fast = StepVerifier.create(sse(new StreamRequest(null, null, null))
                        .filter(frame -> frame.startsWith("id:")).take(20))
                .expectNextCount(20)
                .expectComplete()
                .verifyLater();
        for (int i = 1; i <= 20; i++) {
            Api.create(client, publisher, "{\"title\":\"Chậm và nhanh " + i + "\"}");
        }

        slow.verify(WAIT);
        fast.verify(WAIT);
        assertThat(dropped()).isEqualTo(droppedBefore + 1);
    }

    @Test
    void httpClientThatStopsReadingIsDisconnectedAndOthersKeepStreaming() throws IOException {
        double droppedBefore = dropped();
        List<String> fastTitles = new CopyOnWriteArrayList<>();
        Disposable fast = StreamClient.sse(client, "/api/v1/stream")
                .map(event -> event.data().substring(0, 200)).subscribe(fastTitles::add);
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(2048); // a tiny window, and then we never read
            stalled.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream out = stalled.getOutputStream();
            out.write(("GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int written = publishBigUntilDropped(droppedBefore, "Tin dài ", "Tin dài để lấp đầy bộ đệm. ");
            assertThat(dropped()).as("dropped after %d big bulletins", written).isEqualTo(droppedBefore + 1);
            assertThat(readsToTheEnd(stalled)).as("the server closed the stalled connection").isTrue();

            Api.create(client, publisher, "{\"title\":\"Sau khi cắt kết nối chậm\"}");
            int expected = written + 1;
            Eventually.eventually(WAIT, fastTitles::size, size -> size >= expected);
            assertThat(fastTitles).as("the fast client got every event").hasSize(expected);
        }
        finally {
            fast.dispose();
        }
    }

    @Test
    void neverReadingClientHasItsConnectionClosedByTheServerAtOnce(CapturedOutput output) throws IOException {
        double droppedBefore = dropped();
        double openBefore = openStreams();
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(2048);
            stalled.connect(new InetSocketAddress("127.0.0.1", port));
            stalled.getOutputStream().write(("GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            eventually(WAIT, this::openStreams, open -> open == openBefore + 1);
            assertThat(established(stalled.getLocalPort())).as("the connection before the drop").isTrue();

            int written = publishBigUntilDropped(droppedBefore, "Không đọc ", "Tin không ai đọc. ");
            assertThat(dropped()).as("dropped after %d big bulletins", written).isEqualTo(droppedBefore + 1);

            // Not a byte read, and yet the connection is gone on both ends: the server did not wait for us.
            eventually(Duration.ofSeconds(5), () -> established(stalled.getLocalPort()), open -> !open);
            assertThat(openStreams()).as("open streams").isEqualTo(openBefore);
            assertThat(readsToTheEnd(stalled)).isTrue();
        }
        // An expected outcome: one line that says what happened, no error and no stack trace.
        assertThat(output.getAll().lines().filter(line -> line.contains("stream: closed the connection of")))
                .hasSize(1);
        assertThat(output.getAll()).doesNotContain(" ERROR ").doesNotContain("\tat ");
    }

    /** A stream's SSE frames as text, without a connection: each event's frame, the markers as comments. */
    private Flux<String> sse(StreamRequest wanted) {
        return streams.of(wanted, event -> event.seq() < 0 ? StreamEvent.utf8(":" + event.kind() + "\n\n") : event.sse(),
                null, Integer.MAX_VALUE).map(frame -> StandardCharsets.UTF_8.decode(frame).toString());
    }

    /**
     * Publishes big bulletins (they fill socket and transport buffers quickly, then the server's queue for
     * a client that does not read) until the slow-client counter moves, at most 300; answers how many.
     */
    private int publishBigUntilDropped(double droppedBefore, String titlePrefix, String sentence) {
        String body = "<p>" + sentence.repeat(10000) + "</p>";
        int written = 0;
        while (dropped() == droppedBefore && written < 300) {
            written++;
            Api.create(client, publisher, "{\"title\":\"" + titlePrefix + written + "\",\"body\":\"" + body + "\"}");
        }
        return written;
    }

    private double openStreams() {
        return meters.get("bantin.stream.subscribers").gauge().value();
    }

    /**
     * Whether the kernel still holds this client's connection to the server as established, on either end
     * (the server runs in this JVM). Read from /proc because the client must not read to find out.
     */
    private boolean established(int clientPort) {
        String server = String.format("%04X", port);
        String client = String.format("%04X", clientPort);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                List<String> lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(1, lines.size())) { // after the header
                    String[] f = line.trim().split("\\s+");
                    String local = f[1].substring(f[1].length() - 4);
                    String remote = f[2].substring(f[2].length() - 4);
                    boolean ours = local.equals(server) && remote.equals(client) || local.equals(client) && remote.equals(server);
                    if (ours && f[3].equals("01")) { // 01: ESTABLISHED
                        return true;
                    }
                }
            }
            catch (IOException e) {
                // no such table (no IPv6): nothing established there
            }
        }
        return false;
    }

    /** Drains what the server had sent before cutting us off; true when the connection then ends. */
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
            return true; // an abort may arrive as a reset rather than an orderly close
        }
    }
}
