package io.bantin.varnish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.BantinApplication;
import io.bantin.change.ChangeBus;
import io.bantin.change.LogPositions;
import io.bantin.support.Api;
import io.bantin.support.Eventually;
import io.bantin.support.IntegrationTest;

/**
 * Varnish soft purges follow the event log from a position per node kept in PostgreSQL: with two instances
 * each node gets each change's scopes once; a node that is down holds back no other and catches up when back;
 * purges owed while no instance was purging are sent once one is again.
 */
@IntegrationTest
// Closed after the class: a context kept in the cache would go on purging (and holding positions) for nodes that are gone.
@DirtiesContext
class VarnishPurgeTest {

    static final StubVarnish ONE = new StubVarnish();
    static final StubVarnish TWO = new StubVarnish();

    static String nodes() {
        return ONE.url() + "," + TWO.url() + "/";
    }

    @DynamicPropertySource
    static void nodes(DynamicPropertyRegistry registry) {
        registry.add("bantin.varnish.nodes", VarnishPurgeTest::nodes);
        registry.add("bantin.varnish.backoff", () -> "20ms");
        // The 201 waits for the purge at most this long; a cold JVM's first purge (connections, JIT) once took
        // longer than the 1 s default, and the write then answered first.
        registry.add("bantin.varnish.answer-wait", () -> "10s");
    }

    @Autowired
    WebTestClient first;

    @Autowired
    JsonMapper json;

    @Autowired
    VarnishPurger firstPurger;

    @Autowired
    LogPositions positions;

    @Autowired
    ChangeBus bus;

    @Autowired
    MeterRegistry meters;

    ConfigurableApplicationContext secondInstance;
    String publisher;

    @BeforeAll
    void startSecondInstance() {
        secondInstance = new SpringApplicationBuilder(BantinApplication.class).profiles("test")
                .run("--server.port=0", "--bantin.varnish.nodes=" + nodes(), "--bantin.varnish.backoff=20ms",
                        "--bantin.varnish.answer-wait=10s");
        first = first.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        publisher = Api.issueToken(first, "publisher");
    }

    @AfterAll
    void stop() {
        secondInstance.close();
        ONE.stop();
        TWO.stop();
    }

    @Autowired
    org.springframework.r2dbc.core.DatabaseClient db;

    @BeforeEach
    void forget() {
        ONE.reset();
        TWO.reset();
        // The database was emptied with its sequence restarted. These tests are about purges and pings, not about
        // a restarted log (LogRestartTest): new events are numbered past what either instance delivered, as in a
        // log never emptied. A follower that wakes between the emptying and its bus noticing it can store a
        // position from the old log (see LogFollower.sendAfter), which this keeps out of these tests.
        long delivered = Math.max(bus.delivered(), secondInstance.getBean(ChangeBus.class).delivered());
        db.sql("SELECT setval(pg_get_serial_sequence('bulletin_events', 'seq'), :n)").bind("n", Math.max(delivered, 1))
                .fetch().rowsUpdated().block(Duration.ofSeconds(5));
    }

    private String create(String title, String category) {
        String created = Api.create(first, publisher, json.writeValueAsString(Map.of("title", title, "summary", "Tin vắn.",
                "category", category, "author", "Ban biên tập")));
        return "bulletin:" + json.readTree(created).get("id").stringValue();
    }

    /** Waits until the node's position passed every change so far: from then on, no instance sends them again. */
    private void awaitPosition(StubVarnish node, long seq) {
        Eventually.eventually(Duration.ofSeconds(20), () -> positions.seq("varnish " + node.url()).block(Duration.ofSeconds(5)),
                at -> at >= seq);
    }

    private long newestSeq() {
        return bus.delivered(); // the writer's instance delivered the change before its 201
    }

    private static double purges(MeterRegistry registry, String outcome) {
        return registry.find("bantin.varnish.purges").tag("outcome", outcome).counter().count();
    }

    @Test
    void twoInstancesSoftPurgeEachChangedScopeOnceOnEveryNode() {
        String bulletin = create("Tin xoá bộ đệm", "Bộ đệm");
        long seq = newestSeq();

        for (StubVarnish node : List.of(ONE, TWO)) {
            List<StubVarnish.Purge> purges = node.await(20, p -> p.stream().anyMatch(x -> x.scopes().contains(bulletin)));
            awaitPosition(node, seq);
            assertThat(node.count(bulletin)).as("one purge for the change on %s", node.url()).isEqualTo(1);
            StubVarnish.Purge purge = node.purges().stream().filter(x -> x.scopes().contains(bulletin)).findFirst().orElseThrow();
            assertThat(purge.method()).isEqualTo("PURGE");
            assertThat(purge.path()).isEqualTo("/");
            assertThat(purge.scopes()).contains("site", "taxonomy", "category:bo-dem", "author:ban-bien-tap", bulletin);
            assertThat(purges).isNotEmpty();
        }
        assertThat(purges(meters, "sent") + purges(secondInstance.getBean(MeterRegistry.class), "sent")).isPositive();
    }

    @Test
    void aWriteAnswersOnlyOnceItsPurgeReachedEveryNodeWithItsSeq() {
        // Slow nodes: a write that did not wait for its purge would answer well before either recorded it.
        ONE.slow(Duration.ofMillis(500));
        TWO.slow(Duration.ofMillis(500));
        String bulletin = create("Tin xoá trước khi trả lời", "Xoá trước");
        long seq = newestSeq();
        for (StubVarnish node : List.of(ONE, TWO)) {
            // No waiting: the 201 came after the purge.
            StubVarnish.Purge purge = node.purges().stream().filter(x -> x.scopes().contains(bulletin)).findFirst()
                    .orElseThrow(() -> new AssertionError("no purge of " + bulletin + " on " + node.url() + " before the 201"));
            assertThat(Long.parseLong(purge.seq())).as("the purge names the change it covers").isGreaterThanOrEqualTo(seq);
            assertThat(purge.scopes()).contains("site", "category:xoa-truoc");
        }
    }

    @Test
    void aWriteWhoseChangeReusesASeqAlreadyPurgedAnswersOnlyOnceItsOwnPurgeReachedEveryNode() {
        create("Tin trước khi nhật ký bắt đầu lại", "Bắt đầu lại");
        long seq = newestSeq();
        awaitPosition(ONE, seq);
        awaitPosition(TWO, seq);
        // The log starts its numbering again (emptied, or restored from a backup): the next change gets a seq
        // that was purged already, which must not pass for its own purge.
        db.sql("TRUNCATE bulletin_events RESTART IDENTITY").then().block(Duration.ofSeconds(10));
        ONE.reset();
        TWO.reset();
        // Slow nodes: a write that did not wait for its purge would answer well before either recorded it.
        ONE.slow(Duration.ofMillis(500));
        TWO.slow(Duration.ofMillis(500));

        String bulletin = create("Tin sau khi nhật ký bắt đầu lại", "Bắt đầu lại");
        assertThat(newestSeq()).isLessThanOrEqualTo(seq);
        for (StubVarnish node : List.of(ONE, TWO)) {
            // No waiting: the 201 came after the purge.
            assertThat(node.purges()).as("purges on %s before the 201", node.url())
                    .anySatisfy(purge -> assertThat(purge.scopes()).contains(bulletin));
        }
    }

    @Test
    void aFetchFromVarnishWaitsForThePurgedSeqAndSaysWhichChangeItIncludes() {
        create("Tin cho bộ đệm ngoài", "Bộ đệm ngoài");
        long seq = newestSeq();
        first.get().uri("/feeds/rss.xml").header(SeqGate.PURGED, Long.toString(seq)).exchange()
                .expectStatus().isOk()
                .expectHeader().value(SeqGate.INCLUDES, includes -> assertThat(Long.parseLong(includes)).isGreaterThanOrEqualTo(seq))
                .expectBody(String.class).value(body -> assertThat(body).contains("Tin cho bộ đệm ngoài"));
        // A seq the log does not hold (restored to an earlier point): after one look at the log the answer is as
        // fresh as any can be, and says so, or Varnish would store nothing again.
        long started = System.nanoTime();
        first.get().uri("/feeds/rss.xml").header(SeqGate.PURGED, Long.toString(seq + 1_000_000)).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(SeqGate.INCLUDES, Long.toString(seq + 1_000_000))
                .expectBody(String.class).value(body -> assertThat(body).contains("<rss"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        // Without the header (a reader, not Varnish) nothing is added.
        first.get().uri("/feeds/rss.xml").exchange().expectStatus().isOk()
                .expectHeader().doesNotExist(SeqGate.INCLUDES).expectBody(String.class).value(body -> assertThat(body).contains("<rss"));
    }

    @Test
    void aNodeThatIsDownHoldsBackNoOtherAndCatchesUpWhenBack() {
        TWO.answer(503);
        String bulletin = create("Tin khi nút hai nghỉ", "Nút hai");
        long seq = newestSeq();
        ONE.await(20, p -> p.stream().anyMatch(x -> x.scopes().contains(bulletin)));
        awaitPosition(ONE, seq);
        TWO.await(20, p -> p.stream().anyMatch(x -> x.scopes().contains(bulletin))); // tried, refused
        assertThat(positions.seq("varnish " + TWO.url()).block(Duration.ofSeconds(5))).isLessThan(seq);

        // Counted by whichever instance tried, once every try failed.
        Eventually.eventually(Duration.ofSeconds(20),
                () -> purges(meters, "failed") + purges(secondInstance.getBean(MeterRegistry.class), "failed"),
                failed -> failed > 0);
        TWO.answer(200);
        awaitPosition(TWO, seq); // the next round (a wake-up or the backstop) sends it again
        assertThat(ONE.count(bulletin)).isEqualTo(1);
    }

    @Test
    void purgesOwedWhileNoInstanceWasPurgingAreSentWhenOneIsBack() {
        VarnishPurger secondPurger = secondInstance.getBean(VarnishPurger.class);
        firstPurger.stop();
        secondPurger.stop();
        String one;
        String two;
        try {
            one = create("Tin chờ xoá", "Chờ xoá");
            two = create("Tin chờ xoá nữa", "Chờ xoá khác");
            assertThat(ONE.purges()).as("no instance is purging").isEmpty();
        }
        finally {
            secondPurger.start(); // nothing in memory: it starts from the positions kept in the database
        }
        long seq = newestSeq();
        for (StubVarnish node : List.of(ONE, TWO)) {
            awaitPosition(node, seq);
            assertThat(node.count(one)).isEqualTo(1);
            assertThat(node.count(two)).isEqualTo(1);
            assertThat(node.purges()).flatExtracting(StubVarnish.Purge::scopes)
                    .contains("category:cho-xoa", "category:cho-xoa-khac");
        }
        firstPurger.start();
    }
}
