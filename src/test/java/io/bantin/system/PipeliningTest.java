package io.bantin.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/** Pipelined requests are each answered; a body far over the limit is refused without being read to its end. */
@IntegrationTest
class PipeliningTest {

    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 \\d{3} ");

    @LocalServerPort
    int port;

    @Test
    void threePipelinedGetsTheLastClosingAreAllAnswered() throws IOException {
        String get = "GET /api/v1/bulletins?limit=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        String answers = exchange((get + "\r\n" + get + "\r\n" + get + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(STATUS_LINE.matcher(answers).results().count()).as(answers).isEqualTo(3);
        assertThat(answers).startsWith("HTTP/1.1 200 ").contains("connection: close");
    }

    @Test
    void chunkedBodyFarOverTheLimitIsRefusedAndTheConnectionClosedEarly() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/bulletins HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + Api.ADMIN_TOKEN + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] data = new byte[64 * 1024];
            Arrays.fill(data, (byte) 'x');
            byte[] chunk = concat(("10000\r\n").getBytes(StandardCharsets.US_ASCII), data, "\r\n".getBytes(StandardCharsets.US_ASCII));
            long sent = 0;
            try {
                while (sent < 50L << 20) { // 50 MiB, unless the server stops us first
                    out.write(chunk);
                    sent += data.length;
                }
            }
            catch (SocketException closedByServer) {
                // expected: the server answered and hung up
            }
            assertThat(sent).as("bytes the server let us send (the socket buffers hold a few MiB)").isLessThan(20L << 20);
            String answer = readAll(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413 ").contains("connection: close");
        }
    }

    private String exchange(byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request);
            return readAll(socket.getInputStream());
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0;) {
                all.write(buffer, 0, n);
            }
        }
        catch (SocketException reset) {
            // what arrived before the reset is the answer
        }
        return all.toString(StandardCharsets.UTF_8).toLowerCase().replace("http/1.1", "HTTP/1.1");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
