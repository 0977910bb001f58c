package io.bantin.security;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.bantin.answer.PublicUrls;
import io.bantin.media.MediaProperties;
import io.bantin.web.Problem;
import io.bantin.web.ProblemWriter;
import io.bantin.web.TokenBucket;

/**
 * Caps each token's writes with a token bucket ({@code bantin.write-rate.per-second}, {@code .burst}),
 * answering 429 with {@code Retry-After}, so a leaked or runaway token cannot flood the portal.
 * The buckets live in this instance: with n instances a token's ceiling is n times the rate.
 */
@Component
class WriteRateLimit implements WebFilter, Ordered {

    private final double perSecond;
    private final double burst;
    private final ProblemWriter problems;
    private final Map<UUID, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final MediaProperties media;
    private final Map<UUID, TokenBucket> uploads = new ConcurrentHashMap<>();

    WriteRateLimit(@Value("${bantin.write-rate.per-second:30}") double perSecond,
            @Value("${bantin.write-rate.burst:120}") double burst, ProblemWriter problems, MediaProperties media) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.problems = problems;
        this.media = media;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpMethod method = exchange.getRequest().getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
            return chain.filter(exchange);
        }
        return exchange.getPrincipal()
                .filter(p -> p instanceof Authentication a && a.getPrincipal() instanceof TokenPrincipal)
                .map(p -> (TokenPrincipal) ((Authentication) p).getPrincipal())
                .map(token -> {
                    long wait = buckets.computeIfAbsent(token.id(), id -> new TokenBucket(perSecond, burst)).tryTake();
                    if (wait == 0 && upload(exchange)) {
                        // Photos cost a decode each: their own, slower bucket (bantin.media.per-minute, .burst).
                        long uploadWait = uploads.computeIfAbsent(token.id(),
                                id -> new TokenBucket(media.perMinute() / 60, media.burst())).tryTake();
                        return uploadWait == 0 ? Refusal.NONE : new Refusal(Duration.ofNanos(uploadWait),
                                "This token uploads too fast: at most " + media.perMinute() + " photos a minute.");
                    }
                    return wait == 0 ? Refusal.NONE : new Refusal(Duration.ofNanos(wait),
                            "This token writes too fast: at most " + perSecond + " writes a second.");
                })
                .defaultIfEmpty(Refusal.NONE)
                .flatMap(refusal -> {
                    if (refusal == Refusal.NONE) {
                        return chain.filter(exchange);
                    }
                    HttpHeaders headers = new HttpHeaders();
                    headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, refusal.delay().toSeconds() + 1)));
                    return problems.write(exchange.getResponse(), Problem.of(HttpStatus.TOO_MANY_REQUESTS,
                            refusal.detail(), null), headers);
                });
    }

    /** How long a refused write is to wait, and why; {@link #NONE} lets it through. */
    private record Refusal(Duration delay, String detail) {
        static final Refusal NONE = new Refusal(Duration.ZERO, null);
    }

    private static boolean upload(ServerWebExchange exchange) {
        return exchange.getRequest().getMethod() == HttpMethod.POST
                && exchange.getRequest().getPath().value().equals(PublicUrls.API + "/media");
    }

    @Override
    public int getOrder() {
        return 0; // after the security chain, which has resolved the token
    }
}
