package io.bantin.websub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.bulletin.Scheduling;
import io.bantin.support.Api;
import io.bantin.support.Eventually;
import io.bantin.support.IntegrationTest;

/** WebSub with a hub set: feeds advertise it, and each committed change pings it once per changed feed. */
@IntegrationTest
// Closed after the class: a context kept in the cache would go on pinging (and holding the position) for a hub that is gone.
@DirtiesContext
class WebSubTest {

    static final String SITE = "https://tin.example.vn"; // bantin.public-url of the test profile
    static final StubHub HUB = new StubHub();

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) {
        registry.add("bantin.websub.hub", HUB::url);
    }

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ApplicationContext context;

    String publisher;

    @BeforeAll
    void setUp() {
        client = client.mutate().responseTimeout(java.time.Duration.ofSeconds(30)).build();
        publisher = Api.issueToken(client, "publisher");
    }

    @BeforeEach
    void forgetPings() {
        HUB.reset();
    }

    @AfterAll
    void stopHub() {
        HUB.stop();
    }

    static List<String> feeds(String directory) {
        return List.of(SITE + directory + "rss.xml", SITE + directory + "atom.xml", SITE + directory + "feed.json");
    }

    static List<String> expected(String... directories) {
        List<String> urls = new ArrayList<>();
        for (String directory : directories) {
            urls.addAll(feeds(directory));
        }
        return urls;
    }

    static List<String> topics(List<StubHub.Ping> pings) {
        return pings.stream().map(StubHub.Ping::topic).toList();
    }

    private JsonNode create(Map<String, Object> bulletin) {
        return json.readTree(Api.create(client, publisher, json.writeValueAsString(bulletin)));
    }

    private static Map<String, Object> bulletin(String title, String category, List<String> tags, String author) {
        return Map.of("title", title, "summary", "Tin vắn.", "body", "<p>Nội dung.</p>", "author", author,
                "category", category, "tags", tags);
    }

    @Test
    void createPingsEachFeedOfTheBulletinExactlyOnceAsAPublishForm() {
        create(bulletin("Khánh thành cầu dân sinh", "Giao thông", List.of("Cầu đường", "Nông thôn"), "Trần Văn Hùng"));

        // 3 site + 3 category + 2 × 3 tags + 3 author
        List<String> expected = expected("/feeds/", "/feeds/categories/giao-thong/", "/feeds/tags/cau-duong/",
                "/feeds/tags/nong-thon/", "/feeds/authors/tran-van-hung/");
        List<StubHub.Ping> pings = HUB.await(p -> p.size() >= expected.size());
        assertThat(topics(pings)).hasSize(15).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(pings).allSatisfy(ping -> {
            assertThat(MediaType.parseMediaType(ping.contentType()).isCompatibleWith(MediaType.APPLICATION_FORM_URLENCODED))
                    .isTrue();
            assertThat(ping.form()).containsEntry("hub.mode", "publish").containsOnlyKeys("hub.mode", "hub.url");
        });
        // Every topic is a feed the server really serves at that address (relative to bantin.public-url).
        expected.forEach(url -> client.get().uri(url.substring(SITE.length())).exchange().expectStatus().isOk()
                .expectBody().returnResult()); // read to the end: an unread gzip body leaks its buffers
    }

    @Test
    void updateThatMovesTheCategoryPingsTheOldFeedsToo() {
        String id = create(bulletin("Hội chợ nông sản", "Kinh tế", List.of(), "Lê Thị Mai")).get("id").stringValue();
        HUB.await(p -> p.size() >= 9);
        HUB.reset();

        client.put().uri("/api/v1/bulletins/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json.writeValueAsString(bulletin("Hội chợ nông sản", "Nông nghiệp", List.of(), "Lê Thị Mai")))
                .exchange().expectStatus().isOk();

        List<String> expected = expected("/feeds/", "/feeds/categories/kinh-te/", "/feeds/categories/nong-nghiep/",
                "/feeds/authors/le-thi-mai/");
        assertThat(topics(HUB.await(p -> p.size() >= expected.size()))).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void withdrawalPingsTheFeedsTheBulletinLeaves() {
        String id = create(bulletin("Lịch tiếp công dân", "Hành chính", List.of("Tiếp dân"), "Phòng Tổng hợp"))
                .get("id").stringValue();
        HUB.await(p -> p.size() >= 12);
        HUB.reset();

        client.delete().uri("/api/v1/bulletins/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .exchange().expectStatus().isNoContent();

        List<String> expected = expected("/feeds/", "/feeds/categories/hanh-chinh/", "/feeds/tags/tiep-dan/",
                "/feeds/authors/phong-tong-hop/");
        assertThat(topics(HUB.await(p -> p.size() >= expected.size()))).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void scheduledBulletinPingsWhenItIsPublishedNotWhenItIsCreated() {
        Map<String, Object> scheduled = new java.util.HashMap<>(bulletin("Lịch cắt điện", "Điện lực", List.of(), ""));
        scheduled.put("publishedAt", OffsetDateTime.now().plusHours(1).toString());
        String id = create(scheduled).get("id").stringValue();
        // Nothing reaches a feed before its time.
        Eventually.throughout(Duration.ofMillis(1_500), HUB::pings, List::isEmpty);

        assertThat(Scheduling.publishNow(context, UUID.fromString(id))).isEqualTo(1);

        List<String> expected = expected("/feeds/", "/feeds/categories/dien-luc/"); // no author: no author feed
        assertThat(topics(HUB.await(p -> p.size() >= expected.size()))).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void failingHubIsRetriedWithBackoffWhileTheWriteAnswersAtOnce() {
        String rss = SITE + "/feeds/rss.xml";
        String atom = SITE + "/feeds/atom.xml";
        // rss.xml: 500, 500, then 204; atom.xml: 400, which no retry can mend; feed.json: 204.
        HUB.answer(ping -> ping.topic().equals(rss) && HUB.count(rss) <= 2 ? 500
                : ping.topic().equals(atom) ? 400 : 204);
        double failedBefore = counter("failed");

        create(Map.of("title", "Thông báo nghỉ lễ"));
        // The 201 is here; the third try comes only after two backoffs (at least 1.5 s with jitter).
        assertThat(HUB.count(rss)).isLessThan(3);

        List<StubHub.Ping> pings = HUB.await(p -> p.stream().filter(ping -> rss.equals(ping.topic())).count() >= 3);
        assertThat(topics(pings)).containsExactlyInAnyOrder(rss, rss, rss, atom, SITE + "/feeds/feed.json");
        assertThat(counter("failed") - failedBefore).isEqualTo(1.0);
    }

    private double counter(String outcome) {
        var counter = meters.find("bantin.websub.pings").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void feedsAdvertiseTheHubAndThemselvesInTheDocumentAndTheLinkHeader() {
        create(bulletin("Ngày hội đọc sách", "Văn hóa", List.of(), "Thư viện tỉnh"));
        String hub = HUB.url();

        String rssSelf = SITE + "/feeds/categories/van-hoa/rss.xml";
        Document rss = fetchXml("/feeds/categories/van-hoa/rss.xml", rssSelf);
        assertThat(atomLinks(rss)).containsEntry("hub", hub).containsEntry("self", rssSelf);

        String atomSelf = SITE + "/feeds/atom.xml";
        Document atom = fetchXml("/feeds/atom.xml", atomSelf);
        assertThat(atomLinks(atom)).containsEntry("hub", hub).containsEntry("self", atomSelf);

        String jsonSelf = SITE + "/feeds/feed.json";
        EntityExchangeResult<byte[]> result = fetch("/feeds/feed.json", jsonSelf);
        JsonNode feed = json.readTree(result.getResponseBody());
        assertThat(feed.get("feed_url").stringValue()).isEqualTo(jsonSelf);
        assertThat(feed.get("hubs")).hasSize(1);
        assertThat(feed.get("hubs").get(0).get("type").stringValue()).isEqualTo("WebSub");
        assertThat(feed.get("hubs").get(0).get("url").stringValue()).isEqualTo(hub);

        // A 304 carries the same Link header (RFC 9110 15.4.5: it sends what a 200 would have). The tag
        // is the one after this test's write once the feed was fetched after it: ask until it is current.
        EntityExchangeResult<byte[]> notModified = Eventually.eventually(Duration.ofSeconds(6), () -> {
            String etag = client.get().uri("/feeds/feed.json").exchange().expectBody(byte[].class).returnResult()
                    .getResponseHeaders().getETag();
            return client.get().uri("/feeds/feed.json").header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                    .expectBody(byte[].class).returnResult();
        }, response -> response.getStatus().value() == 304);
        assertThat(notModified.getResponseHeaders().get(HttpHeaders.LINK)).containsExactly(link(hub, jsonSelf));
    }

    private EntityExchangeResult<byte[]> fetch(String path, String self) {
        return client.get().uri(path).exchange().expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.LINK, link(HUB.url(), self))
                .expectBody(byte[].class).returnResult();
    }

    private Document fetchXml(String path, String self) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(fetch(path, self).getResponseBody()));
        }
        catch (Exception e) {
            throw new AssertionError("feed is not well-formed XML: " + e.getMessage(), e);
        }
    }

    static String link(String hub, String self) {
        return "<" + hub + ">; rel=\"hub\", <" + self + ">; rel=\"self\"";
    }

    /** rel → href of the feed-level Atom links (atom:link in RSS, link in Atom), entries' links excluded. */
    static Map<String, String> atomLinks(Document document) {
        Map<String, String> links = new java.util.HashMap<>();
        NodeList nodes = document.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "link");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element link = (Element) nodes.item(i);
            if (!"entry".equals(link.getParentNode().getLocalName())) {
                links.put(link.getAttribute("rel"), link.getAttribute("href"));
            }
        }
        return links;
    }
}
