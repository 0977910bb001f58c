package io.bantin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/** What the three feed formats say: parsed back with Rome and Jackson, content checked, not just status. */
@IntegrationTest
class FeedContentTest {

    static final String TITLE = "Hội nghị tổng kết công tác dân vận năm 2024 ở Đắk Lắk";
    static final String CAPTION = "Các đại biểu biểu quyết thông qua nghị quyết tại hội trường Tỉnh ủy";
    static final String AUTHOR = "Nguyễn Thị Hồng Nhung";
    static final String BODY = "<p>Đồng chí Bí thư phát biểu; <a href=\"/bulletins/bai-lien-quan\">xem bài liên quan</a>"
            + " &amp; <a href=\"tin/khac?x=1&amp;y=2\">tin khác</a>.</p><script>alert('x')</script>"
            + "<p onclick=\"steal()\"><img src=\"/media/2024/anh-nho.jpg\" onerror=\"steal()\" alt=\"ảnh\"></p>";

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    @Autowired
    DatabaseClient db;

    String publisher;
    String id;
    String slug;

    @BeforeAll
    void setUp() {
        client = Feeds.patient(client);
        publisher = Api.issueToken(client, "publisher");
        JsonNode created = json.readTree(Api.create(client, publisher, json.writeValueAsString(
                Feeds.bulletin(TITLE, "Dân vận", List.of("Hội nghị", "Tỉnh ủy"), AUTHOR, CAPTION, BODY))));
        id = created.get("id").stringValue();
        slug = created.get("slug").stringValue();
    }

    private byte[] awaitFeed(String uri, String mustContain) {
        return Feeds.eventually(() -> Feeds.body(client, uri),
                bytes -> new String(bytes, StandardCharsets.UTF_8).contains(mustContain));
    }

    @Test
    void rssCarriesVietnameseTextByteExactWithModulesAndGuid() {
        var result = Feeds.get(client, "/feeds/rss.xml");
        assertThat(result.getResponseHeaders().getContentType().toString()).isEqualTo("application/rss+xml;charset=utf-8");
        byte[] xml = awaitFeed("/feeds/rss.xml", id);
        SyndFeed feed = Feeds.syndFeed(xml);
        SyndEntry entry = feed.getEntries().stream().filter(e -> e.getTitle().equals(TITLE)).findFirst().orElseThrow();
        assertThat(entry.getTitle().getBytes(StandardCharsets.UTF_8)).isEqualTo(TITLE.getBytes(StandardCharsets.UTF_8));
        assertThat(entry.getAuthor()).isEqualTo(AUTHOR);
        assertThat(entry.getLink()).isEqualTo("https://tin.example.vn/bulletins/" + slug);
        assertThat(entry.getCategories()).extracting(c -> c.getName()).containsExactly("Dân vận", "Hội nghị", "Tỉnh ủy");

        Document dom = Feeds.dom(xml);
        Element item = (Element) dom.getElementsByTagName("item").item(0);
        Element guid = (Element) item.getElementsByTagName("guid").item(0);
        assertThat(guid.getTextContent()).isEqualTo(id);
        assertThat(guid.getAttribute("isPermaLink")).isEqualTo("false");
        assertThat(text(item, "http://purl.org/dc/elements/1.1/", "creator")).isEqualTo(AUTHOR);
        assertThat(text(item, null, "description")).startsWith("Sáng nay, Ban Dân vận");
        String encoded = text(item, "http://purl.org/rss/1.0/modules/content/", "encoded");
        assertThat(encoded).contains("Đồng chí Bí thư phát biểu")
                .contains("href=\"https://tin.example.vn/bulletins/bai-lien-quan\"")
                // Relative to the bulletin's page, as a browser reading it resolves it.
                .contains("href=\"https://tin.example.vn/bulletins/tin/khac?x=1&amp;y=2\"")
                .contains("src=\"https://tin.example.vn/media/2024/anh-nho.jpg\"");
        NodeList media = item.getElementsByTagNameNS("http://search.yahoo.com/mrss/", "content");
        assertThat(media.getLength()).isEqualTo(2);
        Element first = (Element) media.item(0);
        assertThat(first.getAttribute("url")).isEqualTo("https://anh.example.vn/2024/12/dai-bieu.jpg");
        assertThat(first.getElementsByTagNameNS("http://search.yahoo.com/mrss/", "description").item(0).getTextContent()
                .getBytes(StandardCharsets.UTF_8)).isEqualTo(CAPTION.getBytes(StandardCharsets.UTF_8));
        // No enclosure: its length is never known here, and length="0" is what readers complained about.
        assertThat(item.getElementsByTagName("enclosure").getLength()).isZero();
        Element thumbnail = (Element) item.getElementsByTagNameNS("http://search.yahoo.com/mrss/", "thumbnail").item(0);
        assertThat(thumbnail.getAttribute("url")).isEqualTo("https://anh.example.vn/2024/12/dai-bieu.jpg");

        Element self = (Element) dom.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "link").item(0);
        assertThat(self.getAttribute("rel")).isEqualTo("self");
        assertThat(self.getAttribute("href")).isEqualTo("https://tin.example.vn/feeds/rss.xml");
        assertThat(text((Element) dom.getElementsByTagName("channel").item(0), null, "language")).isEqualTo("vi");
        // RFC 822 in the portal's zone (Asia/Ho_Chi_Minh, +0700)
        assertThat(text(item, null, "pubDate")).matches("\\w{3}, \\d{1,2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} \\+0700");
        assertThat(text((Element) dom.getElementsByTagName("channel").item(0), null, "lastBuildDate")).endsWith("+0700");
        assertThat(entry.getPublishedDate().toInstant())
                .isBetween(OffsetDateTime.now().minusMinutes(5).toInstant(), OffsetDateTime.now().plusMinutes(1).toInstant());
    }

    @Test
    void atomHasStableUrnIdsLinksAndLanguage() {
        byte[] xml = awaitFeed("/feeds/atom.xml", id);
        SyndFeed feed = Feeds.syndFeed(xml);
        assertThat(feed.getFeedType()).isEqualTo("atom_1.0");
        SyndEntry entry = feed.getEntries().stream().filter(e -> e.getTitle().equals(TITLE)).findFirst().orElseThrow();
        assertThat(entry.getUri()).isEqualTo("urn:uuid:" + id);
        assertThat(entry.getAuthor()).isEqualTo(AUTHOR);
        assertThat(entry.getLink()).isEqualTo("https://tin.example.vn/bulletins/" + slug);
        assertThat(entry.getPublishedDate()).isNotNull();
        assertThat(entry.getUpdatedDate()).isNotNull();
        assertThat(entry.getDescription().getValue()).startsWith("Sáng nay");
        assertThat(entry.getContents().get(0).getType()).isEqualTo("html");
        assertThat(entry.getContents().get(0).getValue()).contains("https://tin.example.vn/media/2024/anh-nho.jpg");

        Document dom = Feeds.dom(xml);
        Element root = dom.getDocumentElement();
        assertThat(root.getAttributeNS("http://www.w3.org/XML/1998/namespace", "lang")).isEqualTo("vi");
        assertThat(text(root, "http://www.w3.org/2005/Atom", "id")).startsWith("urn:uuid:");
        NodeList links = root.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "link");
        boolean self = false;
        for (int i = 0; i < links.getLength(); i++) {
            Element link = (Element) links.item(i);
            self |= link.getAttribute("rel").equals("self")
                    && link.getAttribute("href").equals("https://tin.example.vn/feeds/atom.xml");
        }
        assertThat(self).isTrue();
    }

    @Test
    void jsonFeedFollowsVersion11() {
        var result = Feeds.get(client, "/feeds/feed.json");
        assertThat(result.getResponseHeaders().getContentType().toString()).isEqualTo("application/feed+json;charset=utf-8");
        JsonNode feed = json.readTree(awaitFeed("/feeds/feed.json", id));
        assertThat(feed.get("version").stringValue()).isEqualTo("https://jsonfeed.org/version/1.1");
        assertThat(feed.get("home_page_url").stringValue()).isEqualTo("https://tin.example.vn/");
        assertThat(feed.get("feed_url").stringValue()).isEqualTo("https://tin.example.vn/feeds/feed.json");
        JsonNode item = null;
        for (JsonNode candidate : feed.get("items")) {
            if (candidate.get("id").stringValue().equals(id)) {
                item = candidate;
            }
        }
        assertThat(item).isNotNull();
        assertThat(item.get("title").stringValue()).isEqualTo(TITLE);
        assertThat(item.get("url").stringValue()).isEqualTo("https://tin.example.vn/bulletins/" + slug);
        assertThat(item.get("image").stringValue()).isEqualTo("https://anh.example.vn/2024/12/dai-bieu.jpg");
        assertThat(item.get("summary").stringValue()).startsWith("Sáng nay");
        assertThat(item.get("content_html").stringValue()).contains("https://tin.example.vn/bulletins/bai-lien-quan");
        assertThat(item.get("authors").get(0).get("name").stringValue()).isEqualTo(AUTHOR);
        assertThat(item.get("tags").valueStream().map(JsonNode::stringValue).toList())
                .containsExactly("Dân vận", "Hội nghị", "Tỉnh ủy");
        assertThat(item.get("language").stringValue()).isEqualTo("vi");
        OffsetDateTime published = OffsetDateTime.parse(item.get("date_published").stringValue());
        assertThat(published.getOffset().getTotalSeconds()).isEqualTo(7 * 3600);
        assertThat(OffsetDateTime.parse(item.get("date_modified").stringValue())).isAfterOrEqualTo(published);
    }

    @Test
    void noScriptOrEventHandlerAndEveryLinkAbsoluteInAnyFormat() {
        Pattern url = Pattern.compile("(?:href|src|url)=\"([^\"]*)\"|\"(?:url|home_page_url|feed_url|image)\":\"([^\"]*)\"");
        for (String uri : List.of("/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json")) {
            String text = new String(awaitFeed(uri, id), StandardCharsets.UTF_8);
            assertThat(text).as(uri).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("&lt;script")
                    .doesNotContainPattern("(?i)\\son[a-z]+\\s*=");
            Matcher links = url.matcher(text.replace("\\\"", "\"").replace("&quot;", "\""));
            int found = 0;
            while (links.find()) {
                String link = links.group(1) != null ? links.group(1) : links.group(2);
                assertThat(link).as(uri).matches("https?://.+");
                found++;
            }
            assertThat(found).as(uri).isGreaterThan(3);
        }
    }

    @Test
    void illegalXmlCharacterStoredInABodyIsRemovedAndTheFeedStillParses() {
        Map<String, Object> other = Feeds.bulletin("Ký tự lạ trong thân bài", "Dân vận", List.of(), AUTHOR, CAPTION,
                "<p>trước</p>");
        String otherId = json.readTree(Api.create(client, publisher, json.writeValueAsString(other))).get("id").stringValue();
        db.sql("UPDATE bulletins SET body = :body WHERE id = CAST(:id AS uuid)")
                .bind("body", "<p>trước\u0001giữa\uFFFEsau</p>").bind("id", otherId).then().block();
        // The generation moves on the next write; a raw UPDATE alone is not one.
        Api.create(client, publisher, json.writeValueAsString(Feeds.bulletin("Bản tin đánh dấu thế hệ mới", "Dân vận",
                List.of(), AUTHOR, CAPTION, "<p>mới</p>")));
        for (String uri : List.of("/feeds/rss.xml", "/feeds/atom.xml")) {
            byte[] xml = awaitFeed(uri, "trướcgiữasau");
            String text = new String(xml, StandardCharsets.UTF_8);
            assertThat(text).doesNotContain("\u0001").doesNotContain("\uFFFE").doesNotContain("&#x1;");
            assertThat(Feeds.syndFeed(xml).getEntries()).isNotEmpty();
        }
        JsonNode feed = json.readTree(awaitFeed("/feeds/feed.json", "trướcgiữasau"));
        assertThat(feed.get("items")).isNotEmpty();
    }

    private static String text(Element parent, String namespace, String name) {
        NodeList nodes = namespace == null ? parent.getElementsByTagName(name)
                : parent.getElementsByTagNameNS(namespace, name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }
}
