package io.bantin.change;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.bantin.system.WorkUnderWay;

/**
 * One {@link LogFollower} per outside endpoint (a Varnish node, a Pushpin node), each with its own position
 * named "{@code kind} {@code endpoint}": a node that is down holds back no other. What a change listener that
 * hands the log on to several endpoints needs, written once.
 */
public final class EndpointFollowers {

    private final List<LogFollower> followers = new ArrayList<>();

    /** {@code send} hands a batch of changes to one endpoint; it should not fail (see {@link LogFollower}). */
    public EndpointFollowers(String kind, List<String> endpoints, ChangeBus bus, EventLog eventLog,
            LogPositions positions, BiFunction<String, List<Change>, Mono<Void>> send, WorkUnderWay underWay) {
        for (String endpoint : endpoints) {
            String name = kind + " " + endpoint;
            followers.add(new LogFollower(name, bus, eventLog, positions.of(name), changes -> send.apply(endpoint, changes),
                    underWay));
        }
    }

    /** Looks for delivered changes not yet sent, for every endpoint; cheap to call on every change. */
    public void wake() {
        followers.forEach(LogFollower::wake);
    }

    /** The bus follows the log afresh: see {@link LogFollower#following()}. */
    public void following() {
        followers.forEach(LogFollower::following);
    }

    /** Completes once every endpoint's position passed {@code seq}, or after {@code within}; never fails. */
    public Mono<Void> sent(long seq, Duration within) {
        return Flux.fromIterable(followers).flatMap(follower -> follower.sent(seq, within)).then();
    }

    /** Starts every follower; disposing the answer stops them. */
    public Disposable start() {
        if (followers.isEmpty()) {
            return Disposables.single();
        }
        Disposable.Composite running = Disposables.composite();
        followers.forEach(follower -> running.add(follower.start()));
        return running;
    }
}
