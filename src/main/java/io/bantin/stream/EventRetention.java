package io.bantin.stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** Deletes events older than {@code bantin.stream.retention} now and then; every instance may, it is idempotent. */
@Component
class EventRetention implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventRetention.class);

    private final EventLog eventLog;
    private final StreamProperties properties;
    private volatile Disposable job;

    EventRetention(EventLog eventLog, StreamProperties properties) {
        this.eventLog = eventLog;
        this.properties = properties;
    }

    @Override
    public void start() {
        job = Flux.interval(properties.cleanupInterval()).onBackpressureDrop()
                .concatMap(tick -> eventLog.deleteOlderThan(properties.retention())
                        .doOnNext(deleted -> {
                            if (deleted > 0) {
                                log.info("stream: deleted {} events older than {}", deleted, properties.retention());
                            }
                        })
                        .onErrorResume(error -> {
                            log.warn("stream: unable to delete old events: {}", error.toString());
                            return Mono.empty();
                        }))
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable current = job;
        job = null;
        if (current != null) {
            current.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return job != null;
    }
}
