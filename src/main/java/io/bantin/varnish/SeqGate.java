package io.bantin.varnish;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.bantin.change.ChangeBus;

/**
 * Keeps Varnish from storing an answer older than its newest purge. Varnish sends every fetch with
 * {@code Bantin-Purged-Seq} (the newest change any purge told it about, see src/deploy/bantin.vcl); the
 * fetch waits, at most {@code bantin.varnish.fetch-wait}, until this instance has delivered that change,
 * and its answer says with {@code Bantin-Seq} which change it includes, so the VCL refuses to store one
 * from an instance still behind, or from a fetch that began before the purge.
 */
@Component
class SeqGate implements WebFilter, Ordered {

    static final String PURGED = "Bantin-Purged-Seq";
    static final String INCLUDES = "Bantin-Seq";

    private final ChangeBus bus;
    private final VarnishProperties settings;

    SeqGate(ChangeBus bus, VarnishProperties settings) {
        this.bus = bus;
        this.settings = settings;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpMethod method = exchange.getRequest().getMethod();
        long purged = seq(exchange.getRequest().getHeaders().getFirst(PURGED));
        if (purged < 0 || !(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method))) {
            return chain.filter(exchange);
        }
        // Read before the answer is made: it includes at least this change, maybe more. A read that began after
        // the request and found the log ending before the purged seq (a log restored to an earlier point) means
        // nothing newer exists: the answer is as fresh as any, and says so, or Varnish would store none again.
        return bus.caughtUp(purged).then(Mono.fromCallable(() -> Math.max(purged, bus.delivered())))
                .timeout(settings.fetchWait())
                .onErrorResume(error -> Mono.fromCallable(bus::delivered))
                .flatMap(includes -> {
                    exchange.getResponse().getHeaders().set(INCLUDES, Long.toString(includes));
                    return chain.filter(exchange);
                });
    }

    /** The header's seq, or -1 when absent or not a number. */
    static long seq(String header) {
        if (header == null || header.isEmpty() || header.length() > 18) {
            return -1;
        }
        for (int i = 0; i < header.length(); i++) {
            if (!Character.isDigit(header.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(header);
    }

    /** Early: the wait and the stamp come before anything that makes the answer. */
    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 1; // after LaterTurnWebFilter
    }
}
