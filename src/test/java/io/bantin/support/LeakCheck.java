package io.bantin.support;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test class after which Netty reported a leaked buffer (the suite runs with
 * {@code -Dio.netty.leakDetection.level=paranoid}). Registered for every class through
 * {@code junit.jupiter.extensions.autodetection.enabled}. Leaks are found when the buffer is collected, so
 * a collection is asked for first; a leak can still surface one class late, and still fails the build.
 */
public class LeakCheck implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) {
        System.gc();
        // Netty reports a collected leak on its next tracked allocation.
        io.netty.buffer.ByteBuf probe = io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer(1);
        probe.release();
        if (!LeakRecorder.LEAKS.isEmpty()) {
            List<String> leaks = new ArrayList<>(LeakRecorder.LEAKS);
            LeakRecorder.LEAKS.clear();
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) reported during or before "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
        }
    }
}
