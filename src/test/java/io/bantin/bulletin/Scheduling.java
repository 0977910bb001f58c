package io.bantin.bulletin;

import java.time.Duration;
import java.util.UUID;

import org.springframework.context.ApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/** Test helper: makes one scheduled bulletin due and publishes it on this instance, with no other instance able to. */
public final class Scheduling {

    private Scheduling() {
    }

    /**
     * Brings the bulletin's time forward and runs this instance's scheduled publisher in the same transaction:
     * the row stays locked, so another application context in the test JVM cannot promote it first.
     */
    public static long publishNow(ApplicationContext context, UUID id) {
        TransactionalOperator tx = TransactionalOperator.create(context.getBean(ReactiveTransactionManager.class));
        return tx.transactional(context.getBean(DatabaseClient.class)
                        .sql("UPDATE bulletins SET published_at = now() - interval '1 second' WHERE id = :id")
                        .bind("id", id).then()
                        .then(context.getBean(ScheduledPublisher.class).promoteDue()))
                .block(Duration.ofSeconds(30));
    }
}
