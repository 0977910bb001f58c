package io.bantin.support;

import java.net.URI;
import java.util.function.Function;

import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.WebTestClientBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpResponse;
import org.springframework.http.client.reactive.ClientHttpResponseDecorator;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;

/**
 * WebTestClient on a connector that neither asks for gzip nor hands Netty buffers to the test.
 * <p>
 * Why: WebTestClient's WiretapConnector reads a body the test made no expectation on (for instance
 * {@code exchange().expectStatus().isOk()}) into a byte array and never releases the buffers
 * (spring-framework#36050, open in 7.0.8), and reactor-netty's client-side decompressor leaks its buffers
 * when a body is left unread or a stream cancelled. The suite's leak check (LeakCheck) fails on either.
 * And a body nobody subscribes to at all stays queued in reactor-netty until collected. So every body buffer is
 * copied to the heap and the Netty one released as it arrives, and after each test (LeakCheck) the bodies it
 * never subscribed to are drained and released ({@link #releaseUnread()}); tests of compressed
 * answers send {@code Accept-Encoding} themselves with a plain JDK client and decompress what they get.
 */
@TestConfiguration(proxyBeanMethods = false)
public class PlainTestClient {

    @Bean
    WebTestClientBuilderCustomizer plainConnector() {
        return builder -> builder.clientConnector(connector());
    }

    /** The connector for a WebTestClient a test builds itself ({@code WebTestClient.bindToServer(connector())}). */
    public static ClientHttpConnector connector() {
        return new HeapCopying(new ReactorClientHttpConnector(HttpClient.create()));
    }

    /** Wraps a connector so that response bodies arrive as unpooled heap copies. */
    record HeapCopying(ClientHttpConnector delegate) implements ClientHttpConnector {

        @Override
        public Mono<ClientHttpResponse> connect(HttpMethod method, URI uri,
                Function<? super ClientHttpRequest, Mono<Void>> requestCallback) {
            return delegate.connect(method, uri, requestCallback).map(HeapBody::new);
        }
    }

    private static final java.util.Set<HeapBody> UNREAD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Drains and releases the bodies of the responses no one subscribed to; called after each test. */
    static void releaseUnread() {
        for (HeapBody body : UNREAD) {
            if (UNREAD.remove(body)) {
                body.getDelegate().getBody().subscribe(DataBufferUtils::release, error -> { });
            }
        }
    }

    private static final class HeapBody extends ClientHttpResponseDecorator {

        HeapBody(ClientHttpResponse delegate) {
            super(delegate);
            UNREAD.add(this);
        }

        @Override
        public reactor.core.publisher.Flux<DataBuffer> getBody() {
            return super.getBody().doOnSubscribe(subscription -> UNREAD.remove(this)).map(HeapBody::copy);
        }

        private static DataBuffer copy(DataBuffer buffer) {
            try {
                byte[] bytes = new byte[buffer.readableByteCount()];
                buffer.read(bytes);
                return DefaultDataBufferFactory.sharedInstance.wrap(bytes);
            } finally {
                DataBufferUtils.release(buffer);
            }
        }
    }
}
