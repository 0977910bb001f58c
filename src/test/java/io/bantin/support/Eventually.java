package io.bantin.support;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Bounded waiting for what happens a moment after a request (feed generations, streams, logs). */
public final class Eventually {

    private Eventually() {
    }

    /** Fetches until {@code ok} holds, for at most {@code within}; fails with the last value otherwise. */
    public static <T> T eventually(Duration within, Supplier<T> fetch, Predicate<T> ok) {
        long deadline = System.nanoTime() + within.toNanos();
        T last = fetch.get();
        while (!ok.test(last)) {
            if (System.nanoTime() > deadline) {
                fail("condition still false after " + within.toSeconds() + " s; last value: " + last);
            }
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            last = fetch.get();
        }
        return last;
    }
}
