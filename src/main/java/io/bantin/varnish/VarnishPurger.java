package io.bantin.varnish;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import io.bantin.change.Change;
import io.bantin.change.ChangeBus;
import io.bantin.change.ChangeListener;
import io.bantin.change.EndpointFollowers;
import io.bantin.change.EventLog;
import io.bantin.change.LogPositions;
import io.bantin.system.BackgroundJob;

/**
 * Soft-purges the scopes of every committed change on each configured Varnish node, from the event log, in
 * the background: each node follows the log from a position of its own in PostgreSQL ({@code log_positions},
 * "varnish <url>"), so a node that is down holds back no other, catches up when back, and of N instances one
 * purges each change. A writer's instance purges its change before the write answers (waiting for the
 * position if another instance holds it), so a read after the answer never finds the old copy fresh. Each
 * purge carries the newest seq it covers: Varnish passes the newest it was given to the backend with every
 * fetch ({@link SeqGate}), so no instance that lags behind can hand it an answer from before a purge to keep.
 * A batch's scopes go in few requests: a purge names the scopes, not the change, so one covers them all.
 */
@Component
public class VarnishPurger extends BackgroundJob implements ChangeListener {

    private static final Logger log = LoggerFactory.getLogger(VarnishPurger.class);
    /** Keeps each request's header well under Varnish's default limit (http_req_hdr_len, 8 KiB). */
    private static final int HEADER_CHARS = 4000;

    private final VarnishProperties settings;
    private final VarnishClient client;
    private final EndpointFollowers followers;
    private final Counter sent;
    private final Counter failed;

    VarnishPurger(VarnishProperties settings, VarnishClient client, ChangeBus bus, EventLog eventLog,
            LogPositions positions, MeterRegistry registry) {
        this.settings = settings;
        this.client = client;
        this.followers = new EndpointFollowers("varnish", settings.nodes(), bus, eventLog, positions, this::purge, underWay);
        this.sent = purges(registry, "sent");
        this.failed = purges(registry, "failed");
    }

    private static Counter purges(MeterRegistry registry, String outcome) {
        return Counter.builder("bantin.varnish.purges").tag("outcome", outcome)
                .description("Varnish soft purges a node took (sent) or that failed every try (sent again later)")
                .register(registry);
    }

    @Override
    public void changed(Change change) {
        followers.wake();
    }

    @Override
    public void following(long seq, Instant at) {
        followers.following();
    }

    /** The writer of {@code seq} answers once every node's position passed it (or after answer-wait). */
    @Override
    public Mono<Void> beforeWriterAnswers(long seq) {
        return followers.sent(seq, settings.answerWait());
    }

    @Override
    public int getOrder() {
        return CACHES;
    }

    /** Fails when a purge failed every try: the position stays, and the whole batch is sent again later. */
    private Mono<Void> purge(String node, List<Change> changes) {
        Set<String> scopes = new LinkedHashSet<>();
        changes.forEach(change -> scopes.addAll(change.knownScopes()));
        long newest = changes.get(changes.size() - 1).seq();
        return Flux.fromIterable(headers(scopes)).concatMap(header -> client.softPurge(node, header, newest)
                .doOnSuccess(ok -> {
                    sent.increment();
                    log.debug("varnish: soft-purged {} up to seq {} on {}", header, newest, node);
                })
                .doOnError(error -> {
                    failed.increment();
                    log.warn("varnish: unable to purge {} after up to {} tries: {}", node, settings.attempts(),
                            error.toString());
                })).then();
    }

    static List<String> headers(Set<String> scopes) {
        List<String> headers = new ArrayList<>();
        StringBuilder header = new StringBuilder();
        for (String scope : scopes) {
            if (header.length() > 0 && header.length() + 1 + scope.length() > HEADER_CHARS) {
                headers.add(header.toString());
                header.setLength(0);
            }
            header.append(header.length() > 0 ? " " : "").append(scope);
        }
        if (header.length() > 0) {
            headers.add(header.toString());
        }
        return headers;
    }

    @Override
    protected Disposable launch() {
        return followers.start();
    }
}
