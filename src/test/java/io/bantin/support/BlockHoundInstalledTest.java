package io.bantin.support;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Guards the guard: the suite's claim "no blocking on event loops" holds only while BlockHound is installed. */
class BlockHoundInstalledTest {

    @Test
    void blockingOnANonBlockingThreadFailsTheTest() {
        Mono.fromCallable(() -> {
                    Thread.sleep(1);
                    return "slept";
                })
                .subscribeOn(Schedulers.parallel())
                .as(StepVerifier::create)
                .expectError(BlockingOperationError.class)
                .verify(Duration.ofSeconds(5));
    }
}
