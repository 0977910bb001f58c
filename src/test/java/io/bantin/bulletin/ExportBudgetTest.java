package io.bantin.bulletin;

import static io.bantin.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.IntegrationTest;

/** Exports run a few at a time, beside other reads, and one whose client stops reading is cut off. */
@IntegrationTest
@TestPropertySource(properties = {"bantin.export.max-concurrent=1", "bantin.export.write-timeout=2s"})
class ExportBudgetTest {

    private static final int ROWS = 3000;

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient db;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int port;

    @BeforeAll
    void seed() {
        // About 6 KB a row, 18 MB in all: more than the kernel's socket buffers hold for a client that never reads.
        db.sql("""
                INSERT INTO bulletins (id, slug, title, body, status, published_at, updated_at)
                SELECT gen_random_uuid(), 'tin-ngan-sach-' || g, 'Tin ngân sách số ' || g,
                       '<p>' || repeat('Ngân sách. ', 550) || '</p>', 'published',
                       timestamptz '2020-01-01 00:00+07' + g * interval '1 minute', now()
                FROM generate_series(1, :rows) g""").bind("rows", ROWS).then().block();
    }

    @Test
    void stalledExportIsCutOffWhileOthersAreRefusedAndReadsGoOn() throws IOException {
        double cutBefore = meters.counter("bantin.exports.cut.off").count();
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(2048);
            stalled.connect(new InetSocketAddress("127.0.0.1", port));
            stalled.getOutputStream().write(("GET /api/v1/bulletins HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: application/x-ndjson\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            eventually(Duration.ofSeconds(20), this::openExports, open -> open == 1);

            client.get().uri("/api/v1/bulletins").accept(MediaType.APPLICATION_NDJSON).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "5")
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
            client.get().uri("/api/v1/bulletins?limit=3").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.items.length()").isEqualTo(3);

            eventually(Duration.ofSeconds(20), () -> meters.counter("bantin.exports.cut.off").count(),
                    cut -> cut == cutBefore + 1);
            assertThat(readsToTheEnd(stalled)).as("the server closed the stalled export").isTrue();
        }
        eventually(Duration.ofSeconds(20), this::openExports, open -> open == 0);
        String all = client.mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(64 << 20)).build()
                .get().uri("/api/v1/bulletins").accept(MediaType.APPLICATION_NDJSON).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(all.lines()).hasSize(ROWS);
    }

    private double openExports() {
        return meters.get("bantin.exports.open").gauge().value();
    }

    private static boolean readsToTheEnd(Socket socket) throws IOException {
        socket.setSoTimeout(20_000);
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
