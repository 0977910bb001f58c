package io.bantin.support;

import java.net.URI;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.WebTestClientBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * Records every exchange the suite's WebTestClient completes with a body read (streams read through
 * {@code returnResult} are not recorded), so that {@link ContractCheck} can hold each answer against the
 * OpenAPI document.
 */
@TestConfiguration(proxyBeanMethods = false)
public class ContractRecorder {

    /** One answer as seen by a test: what was asked and what came back. */
    public record Exchange(String method, URI url, int status, HttpHeaders headers, byte[] body) {
    }

    static final ConcurrentLinkedQueue<Exchange> SEEN = new ConcurrentLinkedQueue<>();

    @Bean
    WebTestClientBuilderCustomizer contractRecorder() {
        return builder -> builder.entityExchangeResultConsumer(ContractRecorder::record);
    }

    static void record(EntityExchangeResult<?> result) {
        byte[] body = result.getResponseBodyContent();
        SEEN.add(new Exchange(result.getMethod().name(), result.getUrl(), result.getStatus().value(),
                HttpHeaders.copyOf(result.getResponseHeaders()), body == null ? new byte[0] : body));
    }

    static List<Exchange> drain() {
        List<Exchange> all = new java.util.ArrayList<>();
        for (Exchange e; (e = SEEN.poll()) != null; ) {
            all.add(e);
        }
        return all;
    }
}
