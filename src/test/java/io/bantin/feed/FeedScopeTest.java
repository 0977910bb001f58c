package io.bantin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

import com.rometools.opml.feed.opml.Opml;
import com.rometools.opml.feed.opml.Outline;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.io.WireFeedInput;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xml.sax.InputSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/** Feeds per category, tag and author; limits; unknown scopes; the OPML list of every feed. */
@IntegrationTest
class FeedScopeTest {

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    @BeforeAll
    void setUp() {
        client = Feeds.patient(client);
        String publisher = Api.issueToken(client, "publisher");
        create(publisher, "Mùa cà phê bội thu ở Buôn Ma Thuột", "Kinh tế", List.of("Cà phê", "Nông nghiệp"), "Lê Thị Mai");
        create(publisher, "Giá hồ tiêu tăng mạnh đầu vụ", "Kinh tế", List.of("Nông nghiệp"), "Phạm Quốc Việt");
        create(publisher, "Lễ hội đua voi ở Buôn Đôn", "Văn hóa", List.of("Lễ hội"), "Lê Thị Mai");
        // Wait for these three, not just for three: the class before may also have left three in a feed that
        // stays cached until the next generation poll.
        Feeds.eventually(() -> titles("/feeds/rss.xml"), t -> t.size() == 3 && t.containsAll(List.of(
                "Mùa cà phê bội thu ở Buôn Ma Thuột", "Giá hồ tiêu tăng mạnh đầu vụ", "Lễ hội đua voi ở Buôn Đôn")));
    }

    private void create(String publisher, String title, String category, List<String> tags, String author) {
        Api.create(client, publisher, json.writeValueAsString(
                Feeds.bulletin(title, category, tags, author, "Chú thích ảnh: " + title, "<p>" + title + "</p>")));
    }

    private List<String> titles(String uri) {
        return Feeds.syndFeed(Feeds.body(client, uri)).getEntries().stream().map(SyndEntry::getTitle).toList();
    }

    @Test
    void categoryFeedHoldsOnlyItsBulletins() {
        assertThat(titles("/feeds/categories/kinh-te/rss.xml"))
                .containsExactlyInAnyOrder("Mùa cà phê bội thu ở Buôn Ma Thuột", "Giá hồ tiêu tăng mạnh đầu vụ");
        assertThat(titles("/feeds/categories/van-hoa/atom.xml")).containsExactly("Lễ hội đua voi ở Buôn Đôn");
    }

    @Test
    void tagAndAuthorFeedsHoldOnlyTheirBulletins() {
        assertThat(titles("/feeds/tags/nong-nghiep/atom.xml"))
                .containsExactlyInAnyOrder("Mùa cà phê bội thu ở Buôn Ma Thuột", "Giá hồ tiêu tăng mạnh đầu vụ");
        JsonNode byAuthor = json.readTree(Feeds.body(client, "/feeds/authors/le-thi-mai/feed.json"));
        assertThat(byAuthor.get("items").valueStream().map(i -> i.get("title").stringValue()).toList())
                .containsExactlyInAnyOrder("Mùa cà phê bội thu ở Buôn Ma Thuột", "Lễ hội đua voi ở Buôn Đôn");
        assertThat(byAuthor.get("feed_url").stringValue())
                .isEqualTo("https://tin.example.vn/feeds/authors/le-thi-mai/feed.json");
    }

    @Test
    void limitCapsTheItemsAndBadLimitsAreProblems() {
        assertThat(titles("/feeds/rss.xml?limit=2")).hasSize(2);
        assertThat(titles("/feeds/rss.xml?limit=1000")).hasSize(3);
        client.get().uri("/feeds/rss.xml?limit=abc").exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        client.get().uri("/feeds/rss.xml?limit=0").exchange().expectStatus().isBadRequest();
    }

    @Test
    void unknownCategoryTagOrAuthorIsA404Problem() {
        for (String uri : List.of("/feeds/categories/khong-co/rss.xml", "/feeds/tags/khong-co/atom.xml",
                "/feeds/authors/khong-co/feed.json", "/feeds/podcast.xml")) {
            client.get().uri(uri).exchange().expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.status").isEqualTo(404);
        }
    }

    @Test
    void opmlListsEveryFeedAndEachResolves() throws Exception {
        byte[] xml = Feeds.body(client, "/feeds/opml.xml");
        Opml opml = (Opml) new WireFeedInput().build(new InputSource(new ByteArrayInputStream(xml)));
        List<String> urls = new ArrayList<>();
        collect(opml.getOutlines(), urls);
        assertThat(urls).contains("https://tin.example.vn/feeds/rss.xml", "https://tin.example.vn/feeds/atom.xml",
                "https://tin.example.vn/feeds/feed.json", "https://tin.example.vn/feeds/categories/kinh-te/rss.xml",
                "https://tin.example.vn/feeds/tags/le-hoi/atom.xml",
                "https://tin.example.vn/feeds/authors/pham-quoc-viet/feed.json");
        assertThat(urls).hasSize(3 * (1 + 2 + 3 + 2)); // site, categories, tags, authors; three formats each
        for (String url : urls) {
            client.get().uri(url.substring("https://tin.example.vn".length())).exchange().expectStatus().isOk();
        }
    }

    private static void collect(List<Outline> outlines, List<String> urls) {
        for (Outline outline : outlines) {
            if (outline.getXmlUrl() != null) {
                urls.add(outline.getXmlUrl());
            }
            collect(outline.getChildren(), urls);
        }
    }
}
