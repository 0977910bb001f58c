package io.bantin.websub;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import io.bantin.bulletin.Bulletin;
import io.bantin.system.BackgroundJob;

/**
 * Tells the WebSub hub which feeds a committed write changed, in the background: the write never waits for
 * the hub nor fails because of it. One queue per instance, drained a few pings at a time, so a burst of
 * writes cannot open hundreds of connections; a feed already waiting in the queue is not queued twice (the
 * hub fetches the feed as it is when the ping arrives, so one ping covers every change before it).
 */
@Component
public class HubPinger extends BackgroundJob {

    private static final Logger log = LoggerFactory.getLogger(HubPinger.class);

    private final WebSubProperties settings;
    private final FeedUrls feeds;
    private final HubClient hub;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Counter sent;
    private final Counter failed;
    private volatile FluxSink<String> queue;

    HubPinger(WebSubProperties settings, FeedUrls feeds, HubClient hub, MeterRegistry registry) {
        this.settings = settings;
        this.feeds = feeds;
        this.hub = hub;
        this.sent = pings(registry, "sent");
        this.failed = pings(registry, "failed");
    }

    private static Counter pings(MeterRegistry registry, String outcome) {
        return Counter.builder("bantin.websub.pings").tag("outcome", outcome)
                .description("WebSub publish pings that the hub took (sent) or that failed every try").register(registry);
    }

    /**
     * Called once the write committed, with the bulletin before it (null when created) and after it (null when
     * withdrawn). Returns at once and never throws: pinging is not part of the write.
     */
    public void changed(Bulletin before, Bulletin after) {
        if (!settings.enabled()) {
            return;
        }
        try {
            feeds.changed(before, after).forEach(this::enqueue);
        }
        catch (RuntimeException e) {
            log.warn("websub: unable to queue pings for bulletin {}: {}", after != null ? after.id()
                    : before != null ? before.id() : null, e.toString());
        }
    }

    private void enqueue(String topicUrl) {
        FluxSink<String> sink = queue;
        if (sink == null) {
            log.warn("websub: not running, {} is not pinged", topicUrl);
            return;
        }
        if (queued.add(topicUrl)) {
            sink.next(topicUrl);
        }
    }

    private Mono<Void> ping(String topicUrl) {
        // Out of the queue before the request: a change from now on needs a ping of its own.
        queued.remove(topicUrl);
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
        // Flux.create serializes next() from concurrent writers; the queue is bounded by the number of feeds.
        Disposable draining = Flux.<String>create(sink -> queue = sink)
                .flatMap(this::ping, settings.concurrency())
                .subscribe();
        return () -> {
            queue = null;
            draining.dispose();
        };
    }
}
