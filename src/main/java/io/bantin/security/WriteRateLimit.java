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

    WriteRateLimit(@Value("${bantin.write-rate.per-second:30}") double perSecond,
            @Value("${bantin.write-rate.burst:120}") double burst, ProblemWriter problems) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.problems = problems;
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
                .map(token -> buckets.computeIfAbsent(token.id(), id -> new TokenBucket(perSecond, burst)))
                .map(bucket -> Duration.ofNanos(bucket.tryTake()))
                .defaultIfEmpty(Duration.ZERO)
                .flatMap(wait -> {
                    if (wait.isZero()) {
                        return chain.filter(exchange);
                    }
                    HttpHeaders headers = new HttpHeaders();
                    headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, wait.toSeconds() + 1)));
                    return problems.write(exchange.getResponse(), Problem.of(HttpStatus.TOO_MANY_REQUESTS,
                            "This token writes too fast: at most " + perSecond + " writes a second.", null), headers);
                });
    }

    @Override
    public int getOrder() {
        return 0; // after the security chain, which has resolved the token
    }
}
