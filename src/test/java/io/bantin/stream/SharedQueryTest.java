package io.bantin.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** Many callers at once share at most two queries, and each gets one that started after it asked. */
class SharedQueryTest {

    @Test
    void aBurstOfCallersRunsTwoQueriesAndEachSeesAQueryStartedAfterItAsked() {
        AtomicInteger started = new AtomicInteger();
        List<Sinks.One<Integer>> pending = new ArrayList<>();
        SharedQuery<Integer> shared = new SharedQuery<>(() -> Mono.defer(() -> {
            Sinks.One<Integer> answer = Sinks.one();
            pending.add(answer);
            started.incrementAndGet();
            return answer.asMono();
        }));

        StepVerifier first = StepVerifier.create(shared.get()).expectNext(1).expectComplete().verifyLater();
        // These ask while query 1 runs: query 1 may have started before their writes, so they wait for query 2.
        List<StepVerifier> burst = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            burst.add(StepVerifier.create(shared.get()).expectNext(2).expectComplete().verifyLater());
        }
        assertThat(started).hasValue(1);
        pending.get(0).tryEmitValue(1);
        first.verify();
        assertThat(started).hasValue(2);
        pending.get(1).tryEmitValue(2);
        burst.forEach(StepVerifier::verify);
        assertThat(started).hasValue(2);
    }
}
