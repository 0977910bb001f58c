package io.bantin.varnish;

import java.net.URI;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;

import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Sends one soft purge to a Varnish node ({@code PURGE /} with {@code xkey-softpurge: <scopes>} and
 * {@code Bantin-Seq: <the newest change it covers>}, which the VCL keeps to refuse older answers), retrying with
 * exponential backoff while the failure may pass: no answer, a 5xx or a 429.
 */
@Component
class VarnishClient {

    static final HttpMethod PURGE = HttpMethod.valueOf("PURGE");
    static final String HEADER = "xkey-softpurge";
    static final String SEQ = "Bantin-Seq";

    private final VarnishProperties settings;
    private final WebClient web;

    VarnishClient(VarnishProperties settings) {
        this.settings = settings;
        HttpClient http = HttpClient.create()
                .responseTimeout(settings.timeout())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(settings.timeout().toMillis(), Integer.MAX_VALUE));
        this.web = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
    }

    /** Completes when the node took the purge (2xx); fails with the last error when every try failed. */
    Mono<Void> softPurge(String node, String scopes, long seq) {
        return web.method(PURGE).uri(URI.create(node + "/")).header(HEADER, scopes).header(SEQ, Long.toString(seq))
                .exchangeToMono(response -> response.statusCode().is2xxSuccessful()
                        ? response.releaseBody() : response.createError())
                .timeout(settings.timeout())
                .retryWhen(Retry.backoff(settings.attempts() - 1L, settings.backoff())
                        .filter(VarnishClient::mayPass)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }

    /** A 4xx other than 429 (a 403 from the VCL's ACL, say) says the request itself is refused. */
    static boolean mayPass(Throwable error) {
        if (error instanceof WebClientResponseException answer) {
            return answer.getStatusCode().is5xxServerError() || answer.getStatusCode().value() == 429;
        }
        return true;
    }
}
