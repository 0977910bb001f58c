package io.bantin.support;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Reports, after each test class, the leaked Netty buffers found so far (the suite runs with
 * {@code -Dio.netty.leakDetection.level=paranoid}), and fails that class unless {@code bantin.test.leaks=report}
 * (the pom's {@code leaks} property, {@code fail} by default: {@code mvn verify -Dleaks=report} only logs). Registered for every class through
 * {@code junit.jupiter.extensions.autodetection.enabled}. Leaks are found when the buffer is collected, so
 * a collection is asked for first; a leak can still surface one class late.
 *
 * <p>One kind is counted against a budget instead: the parameter of a statement cancelled before it was sent,
 * which r2dbc-postgresql 1.1.3 never releases (pgjdbc/r2dbc-postgresql#734; its fix, #736, is not released).
 * Bantin lets the statements it starts run to their end (system/BoundedReads, background work), but a request cancelled
 * between a connection's acquisition and its statement's flush can still strand one. A few per JVM are that;
 * more than {@link #UNSENT_PARAMETERS_BUDGET} would mean statements cut off routinely, and fail as any leak.
 */
public class LeakCheck implements AfterEachCallback, AfterAllCallback {

    private static final Logger log = LoggerFactory.getLogger(LeakCheck.class);
    static final int UNSENT_PARAMETERS_BUDGET = 3;
    private static final AtomicInteger unsentParameters = new AtomicInteger();

    static {
        LeakRecorder.install();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        PlainTestClient.releaseUnread();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // Netty reports a collected leak on its next tracked allocation, once the reference handler has queued
        // it: a sentinel collected by the same GC and seen on its own queue says the handler got that far.
        for (int round = 0; round < 3 && LeakRecorder.LEAKS.isEmpty(); round++) {
            collect();
            io.netty.buffer.ByteBuf probe = io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer(1);
            probe.release();
        }
        List<String> leaks = new ArrayList<>(LeakRecorder.LEAKS);
        LeakRecorder.LEAKS.removeAll(leaks);
        leaks.removeIf(leak -> withinUnsentParametersBudget(leak, context));
        if (!leaks.isEmpty()) {
            String report = leaks.size() + " Netty buffer leak(s) reported during or before "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", leaks);
            if (!"report".equals(System.getProperty("bantin.test.leaks"))) {
                throw new AssertionError(report);
            }
            log.warn("{}", report.lines().findFirst().orElse(report));
        }
    }

    private static boolean withinUnsentParametersBudget(String leak, ExtensionContext context) {
        if (!unsentStatementParameter(leak)) {
            return false;
        }
        int count = unsentParameters.incrementAndGet();
        if (count > UNSENT_PARAMETERS_BUDGET) {
            return false;
        }
        log.warn("Netty leak {} of at most {} in this JVM, after {}: the parameter of a statement cancelled before it was "
                + "sent (pgjdbc/r2dbc-postgresql#734)\n{}", count, UNSENT_PARAMETERS_BUDGET, context.getDisplayName(), leak);
        return true;
    }

    /**
     * True when the buffer was last touched by an r2dbc-postgresql codec writing a parameter: nothing took it
     * after it was encoded, so its statement never reached the wire.
     */
    static boolean unsentStatementParameter(String leak) {
        int latest = leak.indexOf("#1:");
        if (latest < 0) {
            return false;
        }
        return leak.substring(latest + 3).lines().map(String::strip).filter(frame -> !frame.isEmpty())
                .filter(frame -> !frame.startsWith("io.netty.buffer.")).findFirst()
                .map(frame -> frame.startsWith("io.r2dbc.postgresql.codec.")).orElse(false);
    }

    /** Collects garbage and waits (at most a second) until the reference handler has queued what it found. */
    private static void collect() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        System.gc();
        try {
            queue.remove(1_000);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sentinel.clear();
    }
}
