package io.bantin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.rometools.rome.feed.synd.SyndEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/**
 * Older feed pages ({@code ?before=}) keep their validators while bulletins are published at the head, and
 * change them when a bulletin on the page is edited or an older one lands on it.
 */
@IntegrationTest
class ArchivedPageValidatorsTest {

    static final String CATEGORY = "/feeds/categories/kho-cu/";

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    String publisher;
    final List<String> ids = new ArrayList<>(); // oldest first

    @BeforeAll
    void setUp() {
        client = Feeds.patient(client);
        publisher = Api.issueToken(client, "publisher");
        for (int i = 1; i <= 4; i++) {
            ids.add(create("Kho cũ số " + i, "2024-02-0" + i + "T08:00:00+07:00"));
        }
        Feeds.eventually(() -> Feeds.body(client, CATEGORY + "rss.xml"), xml -> new String(xml).contains("Kho cũ số 4"));
    }

    @Test
    void publishingAtTheHeadKeepsAnOlderPageAnEditOnItChangesIt() {
        Map<String, String> older = new HashMap<>();
        Map<String, EntityExchangeResult<byte[]>> before = new HashMap<>();
        for (String file : List.of("rss.xml", "atom.xml", "feed.json")) {
            String next = next(Feeds.body(client, CATEGORY + file + "?limit=2"), file);
            older.put(file, next);
            before.put(file, Feeds.get(client, next));
            assertThat(new String(before.get(file).getResponseBody())).contains("Kho cũ số 2", "Kho cũ số 1")
                    .doesNotContain("Kho cũ số 3");
            assertThat(before.get(file).getResponseHeaders().getETag()).startsWith("W/\"p.");
        }
        // The site's own older page at the same cursor.
        String site = older.get("rss.xml").replace(CATEGORY, "/feeds/");
        EntityExchangeResult<byte[]> siteBefore = Feeds.get(client, site);

        create("Kho cũ: tin mới ở đầu", null);
        create("Tin mới ở chuyên mục khác", null, "Thời sự");
        Feeds.eventually(() -> Feeds.body(client, CATEGORY + "rss.xml?limit=2"),
                xml -> new String(xml).contains("Kho cũ: tin mới ở đầu"));
        Feeds.eventually(() -> Feeds.body(client, "/feeds/rss.xml"), xml -> new String(xml).contains("chuyên mục khác"));

        for (String file : older.keySet()) {
            EntityExchangeResult<byte[]> again = Feeds.get(client, older.get(file));
            assertThat(again.getResponseHeaders().getETag()).as(file).isEqualTo(before.get(file).getResponseHeaders().getETag());
            assertThat(again.getResponseHeaders().getLastModified()).as(file)
                    .isEqualTo(before.get(file).getResponseHeaders().getLastModified());
            assertThat(again.getResponseBody()).as(file).isEqualTo(before.get(file).getResponseBody());
            client.get().uri(older.get(file)).header(HttpHeaders.IF_NONE_MATCH, again.getResponseHeaders().getETag())
                    .exchange().expectStatus().isNotModified().expectBody().isEmpty();
        }
        assertThat(Feeds.get(client, site).getResponseHeaders().getETag()).isEqualTo(siteBefore.getResponseHeaders().getETag());

        // An edit of a bulletin on the older page changes its bytes and its validators.
        client.put().uri("/api/v1/bulletins/{id}", ids.get(1)).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json.writeValueAsString(bulletin("Kho cũ số 2 (đã sửa)", null, "Kho cũ")))
                .exchange().expectStatus().isOk().expectBody().returnResult();
        for (String file : older.keySet()) {
            EntityExchangeResult<byte[]> edited = Feeds.eventually(() -> Feeds.get(client, older.get(file)),
                    result -> new String(result.getResponseBody()).contains("(đã sửa)"));
            assertThat(edited.getResponseHeaders().getETag()).as(file).isNotEqualTo(before.get(file).getResponseHeaders().getETag());
            assertThat(edited.getResponseHeaders().getLastModified()).as(file)
                    .isGreaterThanOrEqualTo(before.get(file).getResponseHeaders().getLastModified());
            client.get().uri(older.get(file)).header(HttpHeaders.IF_NONE_MATCH, before.get(file).getResponseHeaders().getETag())
                    .exchange().expectStatus().isOk().expectBody().returnResult();
        }

        // A bulletin published with a date below the cursor lands on the older page: that changes it too.
        String rssBefore = Feeds.get(client, older.get("rss.xml")).getResponseHeaders().getETag();
        create("Kho cũ số 1,5", "2024-02-01T20:00:00+07:00");
        EntityExchangeResult<byte[]> landed = Feeds.eventually(() -> Feeds.get(client, older.get("rss.xml")),
                result -> new String(result.getResponseBody()).contains("Kho cũ số 1,5"));
        assertThat(landed.getResponseHeaders().getETag()).isNotEqualTo(rssBefore);
        List<String> titles = Feeds.syndFeed(landed.getResponseBody()).getEntries().stream().map(SyndEntry::getTitle).toList();
        assertThat(titles).containsExactly("Kho cũ số 2 (đã sửa)", "Kho cũ số 1,5");
    }

    private String create(String title, String publishedAt) {
        return create(title, publishedAt, "Kho cũ");
    }

    private String create(String title, String publishedAt, String category) {
        return json.readTree(Api.create(client, publisher, json.writeValueAsString(bulletin(title, publishedAt, category))))
                .get("id").stringValue();
    }

    private static Map<String, Object> bulletin(String title, String publishedAt, String category) {
        Map<String, Object> bulletin = new HashMap<>(Map.of("title", title, "body", "<p>" + title + "</p>", "category", category));
        if (publishedAt != null) {
            bulletin.put("publishedAt", publishedAt);
        }
        return bulletin;
    }

    /** The path of the next older page, from RSS/Atom's atom:link rel="next" or JSON Feed's next_url. */
    private String next(byte[] body, String file) {
        String url = file.equals("feed.json") ? json.readTree(body).get("next_url").stringValue()
                : atomLink(body, "next");
        return url.substring(url.indexOf("/feeds/"));
    }

    private static String atomLink(byte[] xml, String rel) {
        org.w3c.dom.NodeList links = Feeds.dom(xml).getElementsByTagNameNS("http://www.w3.org/2005/Atom", "link");
        for (int i = 0; i < links.getLength(); i++) {
            org.w3c.dom.Element link = (org.w3c.dom.Element) links.item(i);
            if (rel.equals(link.getAttribute("rel"))) {
                return link.getAttribute("href");
            }
        }
        throw new AssertionError("no link rel=" + rel);
    }
}
