package io.bantin.grip;

import java.net.URI;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Sends one publish request (JSON items) to a Pushpin node's HTTP publish endpoint, retrying with exponential
 * backoff while the failure may pass: no answer, a 5xx or a 429.
 */
@Component
@ConditionalOnBooleanProperty("bantin.stream.grip.enabled")
class PushpinClient {

    private final GripProperties settings;
    private final WebClient web;

    PushpinClient(GripProperties settings) {
        this.settings = settings;
        HttpClient http = HttpClient.create()
                .responseTimeout(settings.timeout())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(settings.timeout().toMillis(), Integer.MAX_VALUE));
        this.web = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
    }

    /** Completes when the node took the items (2xx); fails with the last error when every try failed. */
    Mono<Void> publish(String endpoint, byte[] items) {
        return web.post().uri(URI.create(endpoint)).contentType(MediaType.APPLICATION_JSON).bodyValue(items)
                .exchangeToMono(response -> response.statusCode().is2xxSuccessful()
                        ? response.releaseBody() : response.createError())
                .timeout(settings.timeout())
                .retryWhen(Retry.backoff(settings.attempts() - 1L, settings.backoff())
                        .filter(PushpinClient::mayPass)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }

    /** A 4xx other than 429 (a malformed item, say) says the request itself is refused. */
    static boolean mayPass(Throwable error) {
        if (error instanceof WebClientResponseException answer) {
            return answer.getStatusCode().is5xxServerError() || answer.getStatusCode().value() == 429;
        }
        return true;
    }
}
