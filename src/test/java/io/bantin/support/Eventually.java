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

    /**
     * Fetches for {@code during} and fails as soon as {@code ok} does not hold: for "nothing more happens", which
     * no signal can announce (a duplicate that never comes sends none).
     */
    public static <T> T throughout(Duration during, Supplier<T> fetch, Predicate<T> ok) {
        long end = System.nanoTime() + during.toNanos();
        T last = fetch.get();
        while (true) {
            if (!ok.test(last)) {
                fail("condition turned false within " + during.toMillis() + " ms; value: " + last);
            }
            if (System.nanoTime() > end) {
                return last;
            }
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            last = fetch.get();
        }
    }
}
