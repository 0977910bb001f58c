package io.bantin.change;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

import io.bantin.support.Api;
import io.bantin.support.Eventually;
import io.bantin.support.IntegrationTest;
import io.bantin.system.WorkUnderWay;

/**
 * A bus that delivered seq N goes on delivering after the event log restarts its numbering (truncated or
 * restored): the new log's events are delivered from its start, even those numbered N or less, and a writer
 * whose new event got a number already delivered still answers only once its change is in.
 */
@IntegrationTest
@Import(LogRestartTest.Recorder.class)
// Only the writer and notifications wake the bus: a backstop read would hide what they missed.
@TestPropertySource(properties = "bantin.change.backstop=10m")
class LogRestartTest {

    /** Every change this instance's bus hands to its listeners. */
    @TestConfiguration
    static class Recorder {
        final List<Change> seen = new CopyOnWriteArrayList<>();

        @Bean
        ChangeListener recordingListener() {
            return new ChangeListener() {
                @Override
                public void changed(Change change) {
                    seen.add(change);
                }

                @Override
                public int getOrder() {
                    return METRICS;
                }
            };
        }
    }

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    @Autowired
    DatabaseClient db;

    @Autowired
    ReactiveTransactionManager transactions;

    @Autowired
    ChangeBus bus;

    @Autowired
    Recorder recorder;

    @Autowired
    MeterRegistry meters;

    String publisher;

    @BeforeAll
    void token() {
        publisher = Api.issueToken(client, "publisher");
    }

    private UUID create(String title) {
        String created = Api.create(client, publisher, json.writeValueAsString(Map.of("title", title, "summary", "Tin vắn.",
                "category", "Khởi động lại", "author", "Ban biên tập")));
        return UUID.fromString(json.readTree(created).get("id").stringValue());
    }

    /** Writes {@code count} bulletins and answers the last one's id. */
    private UUID write(int count) {
        UUID last = null;
        for (int i = 0; i < count; i++) {
            last = create("Tin trước khi khởi động lại " + i + " " + UUID.randomUUID());
        }
        assertThat(bus.delivered()).isGreaterThanOrEqualTo(count);
        return last;
    }

    private double notifications() {
        return meters.counter("bantin.change.notifications", "outcome", "delivered").count()
                + meters.counter("bantin.change.notifications", "outcome", "pending").count();
    }

    private static final String RESTART = "TRUNCATE bulletin_events RESTART IDENTITY";

    @Test
    void eventsNumberedBelowWhatWasDeliveredAreDeliveredAfterTheLogRestarted() {
        UUID bulletin = write(3);
        long deliveredBefore = bus.delivered();
        // A restored log already past our seq, committed at once and without notifications.
        db.sql(RESTART).then().then(db.sql("""
                        INSERT INTO bulletin_events (bulletin_id, kind, payload)
                        SELECT :id, 'updated', json_build_object('restored', n) FROM generate_series(1, :count) AS n""")
                        .bind("id", bulletin).bind("count", (int) deliveredBefore + 2).then())
                .as(TransactionalOperator.create(transactions)::transactional).block(Duration.ofSeconds(10));
        recorder.seen.clear();

        bus.read().block(Duration.ofSeconds(10));

        assertThat(recorder.seen).extracting(Change::seq)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, deliveredBefore + 2).boxed().toList());
        assertThat(recorder.seen).allSatisfy(change -> assertThat(change.payload()).contains("restored"));
        assertThat(bus.delivered()).isEqualTo(deliveredBefore + 2);
    }

    @Test
    void theWritersInstanceReadsTheLogOncePerWrite() {
        write(1);
        double reads = meters.counter("bantin.change.reads").count();
        double notified = notifications();

        create("Tin đọc nhật ký một lần");
        // The writer and its notification, whichever comes first, share one read.
        Eventually.eventually(Duration.ofSeconds(20), this::notifications, n -> n == notified + 1);
        assertThat(meters.counter("bantin.change.reads").count()).isEqualTo(reads + 1);
    }

    @Test
    void aWriterWhoseEventReusesADeliveredSeqAnswersOnceItIsDelivered() {
        write(3);
        db.sql(RESTART).then().block(Duration.ofSeconds(10));
        recorder.seen.clear();

        UUID written = create("Tin đầu tiên sau khi khởi động lại");

        // No waiting: the 201 comes only once this instance's listeners have the change.
        assertThat(recorder.seen).extracting(Change::bulletinId).containsExactly(written);
        assertThat(recorder.seen).extracting(Change::seq).containsExactly(1L);
    }

    @Autowired
    EventLog eventLog;

    @Autowired
    LogPositions positions;

    @Test
    void aFollowerWokenBeforeTheBusSawTheRestartSkipsNoneOfTheNewLog() {
        write(3);
        String name = "restart-test-" + UUID.randomUUID();
        List<Long> sent = new CopyOnWriteArrayList<>();
        WorkUnderWay underWay = new WorkUnderWay();
        LogFollower follower = new LogFollower(name, bus, eventLog, positions.of(name), changes -> {
            changes.forEach(change -> sent.add(change.seq()));
            return reactor.core.publisher.Mono.empty();
        }, underWay);
        reactor.core.Disposable following = follower.start();
        try {
            long delivered = bus.delivered();
            create("Tin trước khi làm trống nhật ký");
            Eventually.eventually(Duration.ofSeconds(20), () -> positions.seq(name).block(Duration.ofSeconds(5)),
                    at -> at == delivered + 1);

            // Emptied, and nothing tells the bus (no write, no notification): it still counts in the old log.
            db.sql(RESTART).then().block(Duration.ofSeconds(10));
            follower.wake();
            // The follower has looked at the empty log; were it to stand at the bus's seq now, it would skip the
            // new log's events up to there.
            Eventually.eventually(Duration.ofSeconds(20), () -> positions.seq(name).block(Duration.ofSeconds(5)),
                    at -> at == 0);

            // The new log grows past the old seq before the bus looks.
            db.sql("""
                    INSERT INTO bulletin_events (bulletin_id, kind, payload)
                    SELECT gen_random_uuid(), 'updated', json_build_object('restored', n) FROM generate_series(1, :count) AS n""")
                    .bind("count", (int) delivered + 3).then().block(Duration.ofSeconds(10));
            sent.clear();
            bus.read().block(Duration.ofSeconds(10));
            follower.wake();

            Eventually.eventually(Duration.ofSeconds(20), () -> List.copyOf(sent),
                    seqs -> seqs.containsAll(java.util.stream.LongStream.rangeClosed(1, delivered + 3).boxed().toList()));
        }
        finally {
            following.dispose();
            underWay.finished(Duration.ofSeconds(5)).block(Duration.ofSeconds(10)); // before the next test empties the log
        }
    }
}
