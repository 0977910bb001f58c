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
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import io.bantin.change.Change;
import io.bantin.change.ChangeBus;
import io.bantin.change.ChangeListener;
import io.bantin.change.EventLog;
import io.bantin.change.LogFollower;
import io.bantin.change.LogPositions;
import io.bantin.system.BackgroundJob;

/**
 * Soft-purges the scopes of every committed change on each configured Varnish node, from the event log, in
 * the background: each node follows the log from a position of its own in PostgreSQL ({@code log_positions},
 * "varnish <url>"), so a node that is down holds back no other, catches up when back, and of N instances one
 * purges each change. It purges only what this instance's bus has delivered, so the refetch Varnish makes
 * after the purge finds the change. A batch's scopes go in few requests: a purge names the scopes, not the
 * change, so one covers them all.
 */
@Component
public class VarnishPurger extends BackgroundJob implements ChangeListener {

    private static final Logger log = LoggerFactory.getLogger(VarnishPurger.class);
    /** Keeps each request's header well under Varnish's default limit (http_req_hdr_len, 8 KiB). */
    private static final int HEADER_CHARS = 4000;

    private final VarnishProperties settings;
    private final VarnishClient client;
    private final List<LogFollower> followers = new ArrayList<>();
    private final Counter sent;
    private final Counter failed;

    VarnishPurger(VarnishProperties settings, VarnishClient client, ChangeBus bus, EventLog eventLog,
            LogPositions positions, MeterRegistry registry) {
        this.settings = settings;
        this.client = client;
        for (String node : settings.nodes()) {
            String name = "varnish " + node;
            followers.add(new LogFollower(name, bus, eventLog, positions.of(name), changes -> purge(node, changes)));
        }
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
        followers.forEach(LogFollower::wake);
    }

    @Override
    public void following(long seq, Instant at) {
        followers.forEach(LogFollower::wake);
    }

    @Override
    public int getOrder() {
        return CACHES;
    }

    /** Fails when a purge failed every try: the position stays, and the whole batch is sent again later. */
    private Mono<Void> purge(String node, List<Change> changes) {
        Set<String> scopes = new LinkedHashSet<>();
        changes.forEach(change -> scopes.addAll(change.knownScopes()));
        return Flux.fromIterable(headers(scopes)).concatMap(header -> client.softPurge(node, header)
                .doOnSuccess(ok -> {
                    sent.increment();
                    log.debug("varnish: soft-purged {} on {}", header, node);
                    repurgeLater(node, header);
                })
                .doOnError(error -> {
                    failed.increment();
                    log.warn("varnish: unable to purge {} after up to {} tries: {}", node, settings.attempts(),
                            error.toString());
                })).then();
    }

    /**
     * Another instance may not have delivered the change yet when the purge lands: a miss Varnish sends there
     * stores the answer from before it. Purging once more a moment later clears that; if this one is lost,
     * the next change to the scopes clears it.
     */
    private void repurgeLater(String node, String header) {
        if (!settings.repurgeAfter().isZero()) {
            Mono.delay(settings.repurgeAfter()).then(client.softPurge(node, header)).subscribe(ok -> { }, error -> {
                failed.increment();
                log.debug("varnish: second purge on {} failed: {}", node, error.toString());
            }, sent::increment);
        }
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
        if (followers.isEmpty()) {
            return Disposables.single();
        }
        Disposable.Composite running = Disposables.composite();
        followers.forEach(follower -> running.add(follower.start()));
        return running;
    }
}
