package io.bantin.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.bantin.web.Problem;
import io.bantin.web.ProblemWriter;
import io.bantin.web.TokenBucket;

/**
 * Admits new streams at a bounded rate ({@code bantin.stream.open-rate} a second, {@code .open-burst} at
 * once); past it a stream request gets 503 with {@code Retry-After}. Opening a stream costs a few
 * milliseconds of event-loop time, so 3,000 opened at once kept polite reads waiting for seconds. It runs
 * before the security chain and the router, so a refusal costs little of what it protects.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1) // after LaterTurnWebFilter: never answered within the dispatching call
class StreamAdmission implements WebFilter {

    private static final String PATH = "/api/v1/stream";
    private static final long MAX_WAIT_NANOS = 60_000_000_000L;

    private final double perSecond;
    private final TokenBucket admissions;
    private final ProblemWriter problems;
    private final Counter throttled;
    private long promised = System.nanoTime(); // the turn given to the last refused request; guarded by this

    StreamAdmission(StreamProperties properties, ProblemWriter problems, MeterRegistry registry) {
        if (!(properties.openRate() > 0)) {
            throw new IllegalArgumentException("bantin.stream.open-rate must be above 0, not " + properties.openRate());
        }
        this.perSecond = properties.openRate();
        this.admissions = new TokenBucket(perSecond, Math.max(1, properties.openBurst()));
        this.problems = problems;
        this.throttled = Counter.builder("bantin.stream.throttled")
                .description("Streams refused with 503 because bantin.stream.open-rate were opening").register(registry);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (request.getMethod() != HttpMethod.GET || !PATH.equals(request.getPath().value())) {
            return chain.filter(exchange);
        }
        long wait = take();
        if (wait == 0) {
            return chain.filter(exchange);
        }
        throttled.increment();
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(wait));
        return problems.write(exchange.getResponse(), Problem.of(HttpStatus.SERVICE_UNAVAILABLE,
                "Too many streams are opening on this instance; try again in " + wait + " s.", null), headers);
    }

    /** Takes one admission if one is free now, without giving a turn: false leaves the refusal to {@link #filter}. */
    synchronized boolean tryAdmit() {
        return admissions.tryTake() == 0;
    }

    /**
     * Takes one admission: 0 when granted, else the whole seconds to wait. Each refused request is given a
     * later turn than the one refused before it, so a crowd told to come back spreads out at the rate it can
     * be admitted, instead of all returning together to be refused again (3,000 clients each retrying every
     * second cost more than the streams being rationed).
     */
    private synchronized long take() {
        if (admissions.tryTake() == 0) {
            return 0;
        }
        long now = System.nanoTime();
        long turn = (long) (1e9 / perSecond);
        promised = Math.max(promised, now) + turn;
        if (promised - now > MAX_WAIT_NANOS) {
            promised = now + MAX_WAIT_NANOS;
        }
        return Math.max(1, TokenBucket.seconds(promised - now));
    }
}
