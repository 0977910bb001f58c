package io.bantin.support;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

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
 */
public class LeakCheck implements AfterEachCallback, AfterAllCallback {

    private static final Logger log = LoggerFactory.getLogger(LeakCheck.class);

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
        if (!LeakRecorder.LEAKS.isEmpty()) {
            List<String> leaks = new ArrayList<>(LeakRecorder.LEAKS);
            LeakRecorder.LEAKS.clear();
            String report = leaks.size() + " Netty buffer leak(s) reported during or before "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", leaks);
            if (!"report".equals(System.getProperty("bantin.test.leaks"))) {
                throw new AssertionError(report);
            }
            log.warn("{}", report.lines().findFirst().orElse(report));
        }
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
