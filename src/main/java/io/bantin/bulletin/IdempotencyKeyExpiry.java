package io.bantin.bulletin;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.bantin.system.BackgroundJob;

/** Deletes idempotency keys older than {@code bantin.idempotency.retention} (default a day) every hour. */
@Component
class IdempotencyKeyExpiry extends BackgroundJob {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyExpiry.class);

    private final IdempotencyKeys keys;
    private final Duration retention;

    IdempotencyKeyExpiry(IdempotencyKeys keys, @Value("${bantin.idempotency.retention:24h}") Duration retention) {
        this.keys = keys;
        this.retention = retention;
    }

    @Override
    protected Disposable launch() {
        return every(Duration.ofHours(1), () -> keys.deleteOlderThan(retention), log,
                "idempotency: unable to delete old keys");
    }
}
