package io.bantin.websub;

import java.time.Instant;
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

    private final WebSubProperties settings;
    private final FeedUrls feeds;
    private final HubClient hub;
    private final LogFollower follower;
    private final Counter sent;
    private final Counter failed;

    HubPinger(WebSubProperties settings, FeedUrls feeds, HubClient hub, EventLog eventLog, WebSubPosition position,
            ChangeBus bus, MeterRegistry registry) {
        this.settings = settings;
        this.feeds = feeds;
        this.hub = hub;
        this.follower = new LogFollower("websub", bus, eventLog, position, this::pingFeedsOf, underWay);
        this.sent = pings(registry, "sent");
        this.failed = pings(registry, "failed");
    }

    private static Counter pings(MeterRegistry registry, String outcome) {
        return Counter.builder("bantin.websub.pings").tag("outcome", outcome)
                .description("WebSub publish pings that the hub took (sent) or that failed every try").register(registry);
    }

    @Override
    public void changed(Change change) {
        follower.wake();
    }

    @Override
    public void following(long seq, Instant at) {
        follower.following();
    }

    @Override
    public int getOrder() {
        return WEBSUB;
    }

    private Mono<Void> pingFeedsOf(List<Change> changes) {
        Set<String> topics = new LinkedHashSet<>();
        for (Change change : changes) {
            feeds.addTopics(change.knownScopes(), topics);
        }
        return Flux.fromIterable(topics).flatMap(this::ping, settings.concurrency()).then();
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
        return settings.enabled() ? follower.start() : Disposables.single();
    }
}
