package io.bantin.change;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;

import io.bantin.support.IntegrationTest;

/** Positions of log followers in PostgreSQL when two instances reach for the same one at once. */
@IntegrationTest
class LogPositionsTest {

    @Autowired
    LogPositions positions;

    @Test
    void aWriterWaitingForAPositionAnotherInstanceIsCreatingRunsFromWhereThatOneStoredIt() {
        LogFollower.Position position = positions.of("test new position");
        Sinks.Empty<Void> creating = Sinks.empty();
        // The first taker inserts the row (the log is empty: position 0) and holds it, uncommitted, while it sends;
        // the log being empty, it stays at 0 (a position past the log's end would start again before its oldest).
        Mono<Long> first = position.advance(-1, from -> {
            creating.tryEmitEmpty();
            return Mono.delay(Duration.ofMillis(300)).thenReturn(from);
        });
        List<Long> waiterFrom = new CopyOnWriteArrayList<>();
        Mono<Long> waiter = creating.asMono().then(Mono.defer(() -> position.advanceWaiting(-1, from -> {
            waiterFrom.add(from);
            return Mono.just(from + 1);
        })));

        StepVerifier.create(Mono.zip(first, waiter))
                .assertNext(both -> {
                    assertThat(both.getT1()).isEqualTo(0);
                    assertThat(both.getT2()).as("the waiter sent from the stored position, not nothing").isEqualTo(1);
                })
                .verifyComplete();
        assertThat(waiterFrom).containsExactly(0L);
        StepVerifier.create(positions.seq("test new position")).expectNext(1L).verifyComplete();
    }

    @Test
    void aTakerThatDoesNotWaitSkipsAPositionAnotherInstanceHolds() {
        LogFollower.Position position = positions.of("test held position");
        StepVerifier.create(position.advance(-1, Mono::just)).expectNext(0L).verifyComplete();
        Sinks.Empty<Void> holding = Sinks.empty();
        Mono<Long> first = position.advance(-1, from -> {
            holding.tryEmitEmpty();
            return Mono.delay(Duration.ofMillis(300)).thenReturn(from);
        });
        List<Long> skipperFrom = new CopyOnWriteArrayList<>();
        Mono<Boolean> skipper = holding.asMono().then(Mono.defer(() -> position.advance(-1, from -> {
            skipperFrom.add(from);
            return Mono.just(from + 1);
        })).hasElement());

        StepVerifier.create(Mono.zip(first, skipper))
                .assertNext(both -> {
                    assertThat(both.getT1()).isEqualTo(0);
                    assertThat(both.getT2()).as("the skipper took nothing").isFalse();
                })
                .verifyComplete();
        assertThat(skipperFrom).isEmpty();
    }
}
