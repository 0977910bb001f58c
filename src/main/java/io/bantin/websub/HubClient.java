package io.bantin.websub;

import java.net.URI;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Sends one publish ping to the hub (WebSub 7: {@code hub.mode=publish}, {@code hub.url=<topic>}), retrying
 * with exponential backoff while the failure may pass: no answer, a 5xx or a 429.
 */
@Component
class HubClient {

    private final WebSubProperties settings;
    private final WebClient web;

    HubClient(WebSubProperties settings) {
        this.settings = settings;
        HttpClient http = HttpClient.create()
                .responseTimeout(settings.timeout())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(settings.timeout().toMillis(), Integer.MAX_VALUE));
        this.web = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
    }

    /** Completes when the hub took the ping (2xx); fails with the last error when every try failed. */
    Mono<Void> publish(String topicUrl) {
        return web.post().uri(URI.create(settings.hub()))
                .body(BodyInserters.fromFormData("hub.mode", "publish").with("hub.url", topicUrl))
                // A 3xx is not a 2xx either: WebClient follows no redirects, so the ping did not arrive.
                .exchangeToMono(response -> response.statusCode().is2xxSuccessful()
                        ? response.releaseBody() : response.createError())
                .timeout(settings.timeout())
                .retryWhen(Retry.backoff(settings.attempts() - 1L, settings.backoff())
                        .filter(HubClient::mayPass)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }

    /** A 4xx other than 429 says the request itself is wrong: sending it again cannot help. */
    static boolean mayPass(Throwable error) {
        if (error instanceof WebClientResponseException answer) {
            return answer.getStatusCode().is5xxServerError() || answer.getStatusCode().value() == 429;
        }
        return true;
    }
}
