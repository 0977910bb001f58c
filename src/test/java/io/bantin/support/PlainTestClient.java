package io.bantin.support;

import reactor.netty.http.client.HttpClient;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.WebTestClientBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;

/**
 * WebTestClient on a connector that does not ask for gzip: the default one decompresses, and reactor-netty's
 * client-side decompressor leaks its buffers when a test leaves a body unread or a stream is cancelled,
 * which the suite's leak check (LeakCheck) would report against the server. Tests of compressed answers
 * send {@code Accept-Encoding} themselves with a plain JDK client and decompress what they get.
 */
@TestConfiguration(proxyBeanMethods = false)
public class PlainTestClient {

    @Bean
    WebTestClientBuilderCustomizer plainConnector() {
        return builder -> builder.clientConnector(new ReactorClientHttpConnector(HttpClient.create()));
    }
}
