package io.bantin.system;

import static io.bantin.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.IntegrationTest;

/** Connections that send nothing, or a head byte by byte, are closed; at the cap a new client is still served. */
@IntegrationTest
@TestPropertySource(properties = {"bantin.connections.max=20", "bantin.connections.idle-timeout=2s",
        "bantin.connections.head-timeout=1s"})
class ConnectionBudgetTest {

    @Autowired
    WebTestClient client;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int port;

    @Test
    void connectionThatSendsNothingIsClosedAfterTheIdleTimeout() throws IOException {
        try (Socket idle = connect()) {
            long start = System.nanoTime();
            assertThat(closedWithin(idle, Duration.ofSeconds(10), null)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(6));
        }
    }

    @Test
    void headSentAByteAtATimeIsCutOffAtTheHeadTimeout() throws IOException {
        double before = closed("head");
        try (Socket slow = connect()) {
            byte[] head = "GET /api/v1/bulletins HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                    .getBytes(StandardCharsets.US_ASCII);
            long start = System.nanoTime();
            // A byte every 200 ms keeps any per-read idle timer quiet; only a deadline on the whole head ends it.
            assertThat(closedWithin(slow, Duration.ofSeconds(8), head)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
        assertThat(closed("head")).isEqualTo(before + 1);
    }

    @Test
    void atTheCapTheOldestIdleConnectionsMakeRoomForANewClient() throws IOException {
        double before = closed("evicted");
        List<Socket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                flood.add(connect());
            }
            client.get().uri("/api/v1/bulletins?limit=1").exchange().expectStatus().isOk();
            assertThat(closed("evicted")).isGreaterThanOrEqualTo(before + 10);
            eventually(Duration.ofSeconds(10), () -> meters.get("bantin.connections.open").gauge().value(), open -> open <= 20);
        }
        finally {
            for (Socket socket : flood) {
                socket.close();
            }
        }
    }

    private double closed(String reason) {
        return meters.counter("bantin.connections.closed", "reason", reason).count();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        return socket;
    }

    /** Reads (sending one byte of {@code drip} before each read, if given) until the server closes or time is up. */
    private static boolean closedWithin(Socket socket, Duration within, byte[] drip) throws IOException {
        socket.setSoTimeout(200);
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        // Bounded by read timeouts, 200 ms each, rather than by the clock: a round that reads data ends sooner.
        long quietRounds = within.toMillis() / 200;
        int sent = 0;
        for (long quiet = 0; quiet < quietRounds; ) {
            try {
                if (drip != null) {
                    out.write(drip[sent++ % drip.length]);
                    out.flush();
                }
                if (in.read() < 0) {
                    return true;
                }
            }
            catch (SocketTimeoutException stillOpen) {
                quiet++;
            }
            catch (SocketException reset) {
                return true;
            }
        }
        return false;
    }
}
