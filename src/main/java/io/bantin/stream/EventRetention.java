package io.bantin.stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

import org.springframework.stereotype.Component;

import io.bantin.change.EventLog;
import io.bantin.system.BackgroundJob;

/** Deletes events older than {@code bantin.stream.retention} now and then; every instance may, it is idempotent. */
@Component
class EventRetention extends BackgroundJob {

    private static final Logger log = LoggerFactory.getLogger(EventRetention.class);

    private final EventLog eventLog;
    private final StreamProperties properties;

    EventRetention(EventLog eventLog, StreamProperties properties) {
        this.eventLog = eventLog;
        this.properties = properties;
    }

    @Override
    protected Disposable launch() {
        return every(properties.cleanupInterval(), () -> eventLog.deleteOlderThan(properties.retention())
                .doOnNext(deleted -> {
                    if (deleted > 0) {
                        log.info("stream: deleted {} events older than {}", deleted, properties.retention());
                    }
                }), log, "stream: unable to delete old events");
    }
}
