package io.bantin.web;

/**
 * A token bucket refilled continuously at {@code perSecond} up to {@code burst}: the one rule behind every
 * rate budget (writes per token, refused tokens per address, streams opening per instance).
 */
public final class TokenBucket {

    private final double perSecond;
    private final double burst;
    private double available; // guarded by this
    private long refilledAt = System.nanoTime();

    public TokenBucket(double perSecond, double burst) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.available = burst;
    }

    /** Takes a token when there is one and answers 0; else answers the nanoseconds until one is there. */
    public synchronized long tryTake() {
        refill();
        if (available >= 1) {
            available -= 1;
            return 0;
        }
        return untilOne();
    }

    /** Takes a token whether or not there is one (never below empty): counts something that already happened. */
    public synchronized void spend() {
        refill();
        available = Math.max(0, available - 1);
    }

    /** The nanoseconds until a token is there (0 when there is one), taking none. */
    public synchronized long nanosUntilOne() {
        refill();
        return available >= 1 ? 0 : untilOne();
    }

    /** Whether the bucket has refilled to its burst: nothing is owed any more. */
    public synchronized boolean full() {
        refill();
        return available >= burst;
    }

    /** Whole seconds for {@code Retry-After}, rounded up. */
    public static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }

    private long untilOne() {
        return (long) Math.ceil((1 - available) / perSecond * 1e9);
    }

    private void refill() {
        long now = System.nanoTime();
        available = Math.min(burst, available + (now - refilledAt) / 1e9 * perSecond);
        refilledAt = now;
    }
}
