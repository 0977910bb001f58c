package io.bantin.bulletin;

import java.time.Duration;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

import io.bantin.system.BackgroundJob;
import io.bantin.system.DatabasePools;

/**
 * Publishes scheduled bulletins when their time comes: exactly once and with exactly one event, however
 * many instances run this job, because each due row is claimed with {@code FOR UPDATE SKIP LOCKED} and
 * flipped to {@code published} in the transaction that appends its event.
 */
@Component
class ScheduledPublisher extends BackgroundJob {

    private static final Logger log = LoggerFactory.getLogger(ScheduledPublisher.class);
    private static final int BATCH = 100;

    private final BulletinRepository bulletins;
    private final BulletinPublisher publisher;
    private final TransactionalOperator tx;
    private final Duration interval;

    ScheduledPublisher(BulletinRepository bulletins, BulletinPublisher publisher, ReactiveTransactionManager transactions,
            @Value("${bantin.scheduled.interval:1s}") Duration interval) {
        this.bulletins = bulletins;
        this.publisher = publisher;
        this.tx = TransactionalOperator.create(transactions);
        this.interval = interval;
    }

    /** Publishes up to one batch of due bulletins and answers how many. */
    Mono<Long> promoteDue() {
        Flux<UUID> promoted = bulletins.promoteDue(BATCH);
        return DatabasePools.forWrites(tx.transactional(promoted.collectList()
                .flatMapMany(ids -> Flux.fromIterable(ids).concatMap(id -> publisher.announce(id, Status.scheduled, null, Status.published)))
                .count()));
    }

    @Override
    protected Disposable launch() {
        return every(interval, this::promoteDue, log, "bulletin: unable to publish scheduled bulletins");
    }
}
