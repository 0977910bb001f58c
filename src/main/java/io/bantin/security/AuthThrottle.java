package io.bantin.security;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.bantin.web.Problem;
import io.bantin.web.ProblemWriter;
import io.bantin.web.TokenBucket;

/**
 * Throttles failed bearer tokens per client address: each address may fail {@code bantin.auth-throttle.burst}
 * times, then {@code .per-second} times a second; past that, any request carrying a token gets 429 with
 * {@code Retry-After} before the token is even looked up. At most {@code .max-addresses} addresses are
 * remembered; when full, those that have earned their whole burst back are forgotten first.
 * The address is the connection's peer: behind a proxy, every client shares the proxy's.
 */
@Component
class AuthThrottle {

    private final double perSecond;
    private final double burst;
    private final int maxAddresses;
    private final ProblemWriter problems;
    private final Map<InetAddress, TokenBucket> failures = new ConcurrentHashMap<>();
    private final Counter failed;
    private final Counter throttled;

    AuthThrottle(@Value("${bantin.auth-throttle.per-second:1}") double perSecond,
            @Value("${bantin.auth-throttle.burst:10}") double burst,
            @Value("${bantin.auth-throttle.max-addresses:10000}") int maxAddresses,
            ProblemWriter problems, MeterRegistry registry) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.maxAddresses = maxAddresses;
        this.problems = problems;
        failed = Counter.builder("bantin.auth.failures").description("Requests whose bearer token was refused").register(registry);
        throttled = Counter.builder("bantin.auth.throttled")
                .description("Requests refused with 429: their address failed too many tokens").register(registry);
        Gauge.builder("bantin.auth.throttle.addresses", failures, Map::size)
                .description("Client addresses with recent token failures (bantin.auth-throttle.max-addresses caps them)")
                .register(registry);
    }

    /**
     * For the security chain, before authentication: refuses a token from an address that failed too often.
     * Not a bean of its own, which would also run it on every request outside the chain.
     */
    WebFilter filter() {
        return this::filter;
    }

    private Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        InetAddress address = address(exchange);
        TokenBucket bucket = address == null ? null : failures.get(address);
        if (bucket == null || !exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)) {
            return chain.filter(exchange);
        }
        long wait = TokenBucket.seconds(bucket.nanosUntilOne());
        if (wait == 0) {
            return chain.filter(exchange);
        }
        throttled.increment();
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(wait));
        return problems.write(exchange.getResponse(), Problem.of(HttpStatus.TOO_MANY_REQUESTS,
                "Too many refused tokens from this address; try again in " + wait + " s.", null), headers);
    }

    /** Counts a refused token against the request's address. */
    void failed(ServerWebExchange exchange) {
        failed.increment();
        InetAddress address = address(exchange);
        if (address == null) {
            return;
        }
        if (failures.size() >= maxAddresses && !failures.containsKey(address)) {
            makeRoom();
        }
        failures.computeIfAbsent(address, a -> new TokenBucket(perSecond, burst)).spend();
    }

    private void makeRoom() {
        failures.values().removeIf(TokenBucket::full);
        Iterator<InetAddress> oldest = failures.keySet().iterator();
        for (int i = failures.size() - maxAddresses * 9 / 10; i > 0 && oldest.hasNext(); i--) {
            oldest.next();
            oldest.remove();
        }
    }

    private static InetAddress address(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return remote == null ? null : remote.getAddress();
    }
}
