package io.bantin.websub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.BantinApplication;
import io.bantin.change.ChangeBus;
import io.bantin.support.Api;
import io.bantin.support.Eventually;
import io.bantin.support.IntegrationTest;

/**
 * WebSub pings follow the event log from a position kept in PostgreSQL: with two instances each changed feed is
 * pinged once; the hub, fetching the feed when pinged, finds the new item; pings owed when no instance was
 * pinging are sent once one is again.
 */
@IntegrationTest
// Closed after the class: a context kept in the cache would go on pinging (and holding the position) for a hub that is gone.
@DirtiesContext
class WebSubInstancesTest {

    static final StubHub HUB = new StubHub();
    static final String SITE = "https://tin.example.vn"; // bantin.public-url of the test profile

    // Not WebSubTest's helpers: touching that class starts its hub now, and closing this class's contexts
    // disposes Reactor Netty's shared event loops, which that hub runs on.
    static List<String> expected(String... directories) {
        List<String> urls = new java.util.ArrayList<>();
        for (String directory : directories) {
            for (String file : List.of("rss.xml", "atom.xml", "feed.json")) {
                urls.add(SITE + directory + file);
            }
        }
        return urls;
    }

    static List<String> topics(List<StubHub.Ping> pings) {
        return pings.stream().map(StubHub.Ping::topic).toList();
    }

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) {
        registry.add("bantin.websub.hub", HUB::url);
    }

    @Autowired
    WebTestClient first;

    @Autowired
    JsonMapper json;

    @Autowired
    HubPinger firstPinger;

    @Autowired
    ChangeBus firstBus;

    @Value("${local.server.port}")
    int firstPort;

    ConfigurableApplicationContext secondInstance;
    int secondPort;
    String publisher;

    @BeforeAll
    void startSecondInstance() {
        secondInstance = new SpringApplicationBuilder(BantinApplication.class).profiles("test")
                .run("--server.port=0", "--bantin.websub.hub=" + HUB.url());
        secondPort = ((WebServerApplicationContext) secondInstance).getWebServer().getPort();
        first = first.mutate().responseTimeout(java.time.Duration.ofSeconds(30)).build();
        publisher = Api.issueToken(first, "publisher");
    }

    @AfterAll
    void stop() {
        secondInstance.close();
        HUB.stop();
    }

    @Autowired
    org.springframework.r2dbc.core.DatabaseClient db;

    @BeforeEach
    void forgetPings() {
        HUB.reset();
        fetchFrom(firstPort);
        // The database was emptied with its sequence restarted. These tests are about purges and pings, not about
        // a restarted log (LogRestartTest): new events are numbered past what either instance delivered, as in a
        // log never emptied. A follower that wakes between the emptying and its bus noticing it can store a
        // position from the old log (see LogFollower.sendAfter), which this keeps out of these tests.
        long delivered = Math.max(firstBus.delivered(), secondInstance.getBean(ChangeBus.class).delivered());
        db.sql("SELECT setval(pg_get_serial_sequence('bulletin_events', 'seq'), :n)").bind("n", Math.max(delivered, 1))
                .fetch().rowsUpdated().block(Duration.ofSeconds(5));
    }

    private static void fetchFrom(int port) {
        HUB.fetchFrom(topic -> "http://127.0.0.1:" + port + topic.substring(SITE.length()));
    }

    private void create(String title, String category) {
        Api.create(first, publisher, json.writeValueAsString(Map.of("title", title, "summary", "Tin vắn.",
                "category", category, "author", "Ban biên tập")));
    }

    @Test
    void twoInstancesPingEachChangedFeedOnceAndTheHubFindsTheNewItem() {
        create("Tin báo cho trung tâm", "Trung tâm");

        List<String> expected = expected("/feeds/", "/feeds/categories/trung-tam/", "/feeds/authors/ban-bien-tap/");
        List<StubHub.Ping> pings = HUB.await(p -> p.size() >= expected.size());
        assertThat(topics(pings)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(pings).allSatisfy(ping -> assertThat(ping.fetched()).as(ping.topic()).contains("Tin báo cho trung tâm"));
    }

    @Test
    void theInstanceThatDidNotTakeTheWritePingsOnlyOnceItServesTheChange() {
        firstPinger.stop(); // only the second instance pings, and the hub fetches from it
        try {
            fetchFrom(secondPort);
            create("Tin máy hai báo", "Máy hai");

            List<String> expected = expected("/feeds/", "/feeds/categories/may-hai/", "/feeds/authors/ban-bien-tap/");
            List<StubHub.Ping> pings = HUB.await(p -> p.size() >= expected.size());
            assertThat(topics(pings)).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(pings).allSatisfy(ping -> assertThat(ping.fetched()).as(ping.topic()).contains("Tin máy hai báo"));
        }
        finally {
            firstPinger.start();
        }
    }

    @Test
    void pingsOwedWhileNoInstanceWasPingingAreSentWhenOneIsBack() throws InterruptedException {
        HubPinger secondPinger = secondInstance.getBean(HubPinger.class);
        // Stopped once the pings under way (the last test's) have ended, and those forgotten.
        CountDownLatch stopped = new CountDownLatch(2);
        firstPinger.stop(stopped::countDown);
        secondPinger.stop(stopped::countDown);
        try {
            assertThat(stopped.await(10, TimeUnit.SECONDS)).as("both pingers stopped").isTrue();
            HUB.reset();
            create("Tin chờ báo", "Chờ báo");
            create("Tin chờ báo nữa", "Chờ báo");
            assertThat(HUB.pings()).as("no instance is pinging").isEmpty();
            // Both changes reach the second instance before it pings, or it may rightly ping twice: once per change.
            long written = firstBus.delivered();
            ChangeBus secondBus = secondInstance.getBean(ChangeBus.class);
            Eventually.eventually(Duration.ofSeconds(10), secondBus::delivered, delivered -> delivered >= written);
        }
        finally {
            secondPinger.start(); // nothing in memory: it starts from the position kept in the database
        }
        fetchFrom(secondPort);
        List<String> expected = expected("/feeds/", "/feeds/categories/cho-bao/", "/feeds/authors/ban-bien-tap/");
        List<StubHub.Ping> pings = HUB.await(p -> p.size() >= expected.size());
        assertThat(topics(pings)).as("two changes, one ping per feed").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(pings).allSatisfy(ping -> assertThat(ping.fetched()).contains("Tin chờ báo nữa"));
        firstPinger.start();
    }
}
