package io.bantin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/** Paged feeds (RFC 5005 3): a reader follows "next" (JSON Feed: next_url) back to the very first bulletin. */
@IntegrationTest
class FeedPagingTest {

    static final String BASE = "https://tin.example.vn";
    static final int COUNT = 7;

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    List<String> titlesNewestFirst = new ArrayList<>();

    @BeforeAll
    void setUp() {
        client = Feeds.patient(client);
        String publisher = Api.issueToken(client, "publisher");
        for (int i = 1; i <= COUNT; i++) {
            String title = "Bản tin lưu trữ số " + i;
            Api.create(client, publisher, json.writeValueAsString(Map.of("title", title, "body", "<p>Nội dung " + i + "</p>",
                    "category", "Lưu trữ", "publishedAt", "2024-01-0" + i + "T08:00:00+07:00")));
            titlesNewestFirst.add(0, title);
        }
        Feeds.eventually(() -> Feeds.body(client, "/feeds/categories/luu-tru/rss.xml?limit=3"),
                xml -> new String(xml).contains("số " + COUNT));
    }

    @Test
    void rssAndAtomWalkBackToTheFirstBulletinThroughNextLinks() {
        for (String file : List.of("rss.xml", "atom.xml")) {
            String url = BASE + "/feeds/categories/luu-tru/" + file + "?limit=3";
            List<String> seen = new ArrayList<>();
            int pages = 0;
            while (url != null) {
                byte[] xml = Feeds.body(client, url.substring(BASE.length()));
                SyndFeed feed = Feeds.syndFeed(xml);
                feed.getEntries().stream().map(SyndEntry::getTitle).forEach(seen::add);
                if (pages > 0) {
                    assertThat(link(xml, "first")).isEqualTo(BASE + "/feeds/categories/luu-tru/" + file);
                    assertThat(link(xml, "self")).isEqualTo(url);
                }
                url = link(xml, "next");
                pages++;
            }
            assertThat(pages).as(file).isEqualTo(3);
            assertThat(seen).as(file).containsExactlyElementsOf(titlesNewestFirst);
        }
    }

    @Test
    void jsonFeedWalksBackThroughNextUrl() {
        String url = BASE + "/feeds/categories/luu-tru/feed.json?limit=3";
        List<String> seen = new ArrayList<>();
        while (url != null) {
            JsonNode feed = json.readTree(Feeds.body(client, url.substring(BASE.length())));
            assertThat(feed.get("feed_url").stringValue()).isEqualTo(BASE + "/feeds/categories/luu-tru/feed.json");
            feed.get("items").forEach(item -> seen.add(item.get("title").stringValue()));
            url = feed.has("next_url") ? feed.get("next_url").stringValue() : null;
        }
        assertThat(seen).containsExactlyElementsOf(titlesNewestFirst);
    }

    @Test
    void theFirstPageKeepsItsUrlAndOnlyGainsANextLink() {
        byte[] all = Feeds.body(client, "/feeds/categories/luu-tru/atom.xml");
        assertThat(Feeds.syndFeed(all).getEntries()).hasSize(COUNT);
        assertThat(link(all, "next")).isNull();
        assertThat(link(all, "self")).isEqualTo(BASE + "/feeds/categories/luu-tru/atom.xml");
        byte[] first = Feeds.body(client, "/feeds/categories/luu-tru/atom.xml?limit=3");
        assertThat(link(first, "first")).isNull();
        assertThat(link(first, "next")).startsWith(BASE + "/feeds/categories/luu-tru/atom.xml?before=").endsWith("&limit=3");
        // The category feed's alternate link is the category's reader page.
        assertThat(link(first, "alternate")).isEqualTo(BASE + "/categories/luu-tru");
    }

    @Test
    void olderPagesHaveValidatorsAndAnUnknownCursorIsA400() {
        byte[] first = Feeds.body(client, "/feeds/categories/luu-tru/rss.xml?limit=3");
        String older = link(first, "next").substring(BASE.length());
        String etag = client.get().uri(older).exchange().expectStatus().isOk()
                .expectHeader().exists(HttpHeaders.LAST_MODIFIED)
                .returnResult(byte[].class).getResponseHeaders().getETag();
        assertThat(etag).isNotNull();
        client.get().uri(older).header(HttpHeaders.IF_NONE_MATCH, etag).exchange().expectStatus().isNotModified();
        client.get().uri("/feeds/rss.xml?before=bm90LWEtY3Vyc29y").exchange().expectStatus().isBadRequest()
                .expectHeader().contentType("application/problem+json");
    }

    /** The feed-level Atom link of {@code rel} (RSS carries them as atom:link in the channel); null when none. */
    private static String link(byte[] xml, String rel) {
        org.w3c.dom.Element root = Feeds.dom(xml).getDocumentElement();
        org.w3c.dom.Element parent = root.getLocalName().equals("rss")
                ? (org.w3c.dom.Element) root.getElementsByTagName("channel").item(0) : root;
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof org.w3c.dom.Element e && "link".equals(e.getLocalName())
                    && "http://www.w3.org/2005/Atom".equals(e.getNamespaceURI()) && rel.equals(e.getAttribute("rel"))) {
                return e.getAttribute("href");
            }
        }
        return null;
    }
}
