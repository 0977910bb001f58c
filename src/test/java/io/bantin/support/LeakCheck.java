package io.bantin.support;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Reports, after each test class, the leaked Netty buffers found so far (the suite runs with
 * {@code -Dio.netty.leakDetection.level=paranoid}), and fails that class when {@code bantin.test.leaks=fail}
 * (the pom's {@code leaks} property: {@code mvn verify -Dleaks=fail}). Registered for every class through
 * {@code junit.jupiter.extensions.autodetection.enabled}. Leaks are found when the buffer is collected, so
 * a collection is asked for first; a leak can still surface one class late.
 */
public class LeakCheck implements AfterAllCallback {

    private static final Logger log = LoggerFactory.getLogger(LeakCheck.class);

    @Override
    public void afterAll(ExtensionContext context) {
        System.gc();
        // Netty reports a collected leak on its next tracked allocation.
        io.netty.buffer.ByteBuf probe = io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer(1);
        probe.release();
        if (!LeakRecorder.LEAKS.isEmpty()) {
            List<String> leaks = new ArrayList<>(LeakRecorder.LEAKS);
            LeakRecorder.LEAKS.clear();
            String report = leaks.size() + " Netty buffer leak(s) reported during or before "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", leaks);
            if ("fail".equals(System.getProperty("bantin.test.leaks"))) {
                throw new AssertionError(report);
            }
            log.warn("{}", report.lines().findFirst().orElse(report));
        }
    }
}
