package io.bantin.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** A background job that is stopped lets the work it started end, and tells Spring only then. */
class BackgroundJobTest {

    /** Ticks every 10 ms; each tick takes 300 ms (a query, a purge) and says whether it ran to its end. */
    static final class SlowTicks extends BackgroundJob {
        final Sinks.Empty<Void> ticking = Sinks.empty();
        final AtomicBoolean ended = new AtomicBoolean();
        final AtomicBoolean cancelled = new AtomicBoolean();

        @Override
        protected Disposable launch() {
            return every(Duration.ofMillis(10), () -> Mono.delay(Duration.ofMillis(300))
                    .doOnSubscribe(subscription -> ticking.tryEmitEmpty())
                    .doOnSuccess(done -> ended.set(true))
                    .doOnCancel(() -> cancelled.set(true)),
                    LoggerFactory.getLogger(SlowTicks.class), "slow tick failed");
        }
    }

    @Test
    void aStopLetsTheTickUnderWayEndBeforeItSaysItIsDone() throws InterruptedException {
        SlowTicks job = new SlowTicks();
        job.start();
        job.ticking.asMono().block(Duration.ofSeconds(5));
        CountDownLatch stopped = new CountDownLatch(1);

        job.stop(stopped::countDown);

        assertThat(job.isRunning()).isFalse();
        assertThat(stopped.await(5, TimeUnit.SECONDS)).as("stop told Spring it was done").isTrue();
        assertThat(job.ended).as("the tick under way ran to its end").isTrue();
        assertThat(job.cancelled).as("the tick under way was not cut off").isFalse();
    }

    @Test
    void workThatOutlastsTheDrainDoesNotHoldTheStopForever() {
        WorkUnderWay underWay = new WorkUnderWay();
        underWay.run(Mono.never());
        long started = System.nanoTime();
        underWay.finished(Duration.ofMillis(200)).block(Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(3));
    }
}
