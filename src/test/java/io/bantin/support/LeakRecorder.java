package io.bantin.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/** Keeps every Netty leak report of the test JVM (logback-test.xml routes them here) for {@link LeakCheck}. */
public class LeakRecorder extends AppenderBase<ILoggingEvent> {

    /** Static: logging is reconfigured whenever a Spring context starts, each time with a new appender. */
    static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        if (message != null && message.contains("LEAK:")) {
            LEAKS.add(message);
        }
    }
}
