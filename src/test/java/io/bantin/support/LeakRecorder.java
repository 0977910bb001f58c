package io.bantin.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.buffer.ByteBufUtil;

/**
 * Keeps every Netty buffer leak report of the test JVM for {@link LeakCheck}. Listens to Netty's leak
 * detector directly rather than to its log, so a logging reconfiguration (each Spring context start)
 * cannot lose a report.
 */
final class LeakRecorder {

    static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    static {
        ByteBufUtil.setLeakListener((resourceType, records) -> LEAKS.add("LEAK of " + resourceType + ":\n" + records));
    }

    private LeakRecorder() {
    }

    /** Installs the listener (once, on first use). */
    static void install() {
    }
}
