package io.bantin.websub;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

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
import io.bantin.system.BackgroundJob;

/**
 * Tells the WebSub hub which feeds committed changes touched, from the event log, in the background: the write
 * never waits for the hub nor fails because of it. It pings only changes this instance's bus has delivered
 * (so the hub fetching a feed gets the change), from the position kept in PostgreSQL ({@link WebSubPosition}:
 * a crash loses no ping, and of N instances one pings). A batch of changes pings each feed it touched once, a
 * few pings at a time: the hub fetches the feed as it is when the ping arrives, so one ping covers them all.
 */
@Component
public class HubPinger extends BackgroundJob implements ChangeListener {

    private static final Logger log = LoggerFactory.getLogger(HubPinger.class);
    private static final int BATCH = 500;
    /** Takes over the work of an instance that died holding the position, and anything a wake-up missed. */
    private static final Duration BACKSTOP = Duration.ofSeconds(10);

    private final WebSubProperties settings;
    private final FeedUrls feeds;
    private final HubClient hub;
    private final EventLog eventLog;
    private final WebSubPosition position;
    private final ChangeBus bus;
    private final Counter sent;
    private final Counter failed;
    // Wake-ups not yet served; only the caller that raises it from 0 starts a batch, so batches never overlap.
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean active;

    HubPinger(WebSubProperties settings, FeedUrls feeds, HubClient hub, EventLog eventLog, WebSubPosition position,
            ChangeBus bus, MeterRegistry registry) {
        this.settings = settings;
        this.feeds = feeds;
        this.hub = hub;
        this.eventLog = eventLog;
        this.position = position;
        this.bus = bus;
        this.sent = pings(registry, "sent");
        this.failed = pings(registry, "failed");
    }

    private static Counter pings(MeterRegistry registry, String outcome) {
        return Counter.builder("bantin.websub.pings").tag("outcome", outcome)
                .description("WebSub publish pings that the hub took (sent) or that failed every try").register(registry);
    }

    @Override
    public void changed(Change change) {
        wake();
    }

    @Override
    public void following(long seq, Instant at) {
        wake();
    }

    @Override
    public int getOrder() {
        return WEBSUB;
    }

    private void wake() {
        if (active && pending.getAndIncrement() == 0) {
            drain();
        }
    }

    private void drain() {
        int served = pending.get();
        Mono.defer(this::pingBatches).subscribe(null, error -> {
            log.warn("websub: unable to ping from the event log: {}", error.toString());
            finish(served);
        }, () -> finish(served));
    }

    private void finish(int served) {
        if (pending.addAndGet(-served) != 0 && active) {
            drain();
        }
    }

    /** Batches until the position reaches what this instance has delivered, or another instance holds it. */
    private Mono<Void> pingBatches() {
        return position.advance(this::pingAfter)
                .flatMap(to -> to < bus.delivered() ? pingBatches() : Mono.empty());
    }

    /** Pings the feeds of the changes after {@code from} that this instance has delivered; answers the last seq. */
    private Mono<Long> pingAfter(long from) {
        long upTo = bus.delivered();
        if (upTo <= from) {
            return Mono.just(from);
        }
        return eventLog.between(from, upTo, BATCH).collectList().flatMap(changes -> {
            if (changes.isEmpty()) {
                return Mono.just(upTo); // deleted by the retention meanwhile: nothing left to ping for
            }
            Set<String> topics = new LinkedHashSet<>();
            for (Change change : changes) {
                feeds.addTopics(change.knownScopes(), topics);
            }
            long last = changes.get(changes.size() - 1).seq();
            return Flux.fromIterable(topics).flatMap(this::ping, settings.concurrency()).then(Mono.just(last));
        });
    }

    private Mono<Void> ping(String topicUrl) {
        return hub.publish(topicUrl)
                .doOnSuccess(ok -> {
                    sent.increment();
                    log.debug("websub: pinged {} for {}", settings.hub(), topicUrl);
                })
                .onErrorResume(error -> {
                    failed.increment();
                    log.warn("websub: unable to ping {} for {} after up to {} tries: {}", settings.hub(), topicUrl,
                            settings.attempts(), error.toString());
                    return Mono.empty();
                });
    }

    @Override
    protected Disposable launch() {
        if (!settings.enabled()) {
            return Disposables.single();
        }
        pending.set(0);
        active = true;
        Disposable backstop = Flux.interval(Duration.ZERO, BACKSTOP).onBackpressureDrop().subscribe(tick -> wake());
        // A batch under way runs to its end (bounded by the hub client's tries): cancelled, its transaction could
        // be left open on a pooled connection, holding the position from every other instance.
        return () -> {
            active = false;
            backstop.dispose();
        };
    }
}
