package io.bantin.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import io.bantin.support.IntegrationTest;

/** Requests HTTP/1.1 refuses get their status with a problem body, on the wire as a client sends them. */
@IntegrationTest
class HttpRequestChecksTest {

    @LocalServerPort
    int port;

    @Test
    void anOverlongRequestLineIs414WithAProblem() throws IOException {
        String answer = send("GET /api/v1/bulletins?q=" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 414").contains("application/problem+json", "\"status\":414");
    }

    @Test
    void overlargeHeadersAre431WithAProblem() throws IOException {
        String answer = send("GET /api/v1/bulletins HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 431").contains("application/problem+json", "\"status\":431");
    }

    @Test
    void http11WithoutHostIsABadRequestAndHttp10IsServed() throws IOException {
        assertThat(send("GET /api/v1/categories HTTP/1.1\r\n\r\n"))
                .startsWith("HTTP/1.1 400").contains("application/problem+json", "Host");
        assertThat(send("GET /api/v1/categories HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.0 200");
    }

    @Test
    void anUnknownTransferEncodingOrOneBesideContentLengthIsABadRequest() throws IOException {
        String body = "{\"title\":\"x\"}";
        assertThat(send("POST /api/v1/bulletins HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: xchunked\r\nContent-Length: " + body.length() + "\r\n\r\n" + body))
                .startsWith("HTTP/1.1 400").contains("Transfer-Encoding");
        assertThat(send("POST /api/v1/bulletins HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: gzip\r\n\r\n"))
                .startsWith("HTTP/1.1 400");
    }

    /** Sends raw bytes and reads the answer until the server closes (every case here closes or is HTTP/1.0). */
    private String send(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                answer.write(buffer, 0, n);
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
        catch (java.net.SocketException reset) {
            throw new AssertionError("the server reset the connection instead of answering", reset);
        }
    }
}
