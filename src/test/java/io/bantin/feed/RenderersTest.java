package io.bantin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rometools.rome.feed.synd.SyndFeed;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.bantin.bulletin.Bulletin;
import io.bantin.system.BantinProperties;

/** The renderers alone, on an inline snapshot: every format parses back to the same facts. */
class RenderersTest {

    static final UUID ID = UUID.fromString("0192f1b4-1111-7000-8000-000000000001");
    static final OffsetDateTime PUBLISHED = OffsetDateTime.parse("2021-01-07T17:00:00+07:00");
    static final OffsetDateTime UPDATED = OffsetDateTime.parse("2021-01-07T17:05:12+07:00");

    static FeedSnapshot snapshot() {
        FeedSnapshot.Entry entry = new FeedSnapshot.Entry(ID, "https://tin.example.vn/bulletins/hoi-nghi",
                "Hội nghị tổng kết công tác dân vận năm 2020", "Chiều 07/01, Tỉnh ủy tổ chức hội nghị <tổng kết> & khen thưởng.",
                "<p>Nội dung &amp; <a href=\"https://tin.example.vn/a\">liên kết</a></p>", "Hương Lan",
                new Bulletin.Term("dan-van", "Dân vận"), List.of(new Bulletin.Term("hoi-nghi", "Hội nghị")),
                List.of(new Bulletin.Image("https://anh.example.vn/a.jpg", "Các đại biểu dự Hội nghị")), "vi",
                PUBLISHED, UPDATED);
        Map<FeedFormat, String> self = Map.of(FeedFormat.RSS, "https://tin.example.vn/feeds/rss.xml",
                FeedFormat.ATOM, "https://tin.example.vn/feeds/atom.xml",
                FeedFormat.JSON, "https://tin.example.vn/feeds/feed.json");
        return new FeedSnapshot("Bantin", "Tin mới nhất", "https://tin.example.vn/", self, "vi", UPDATED, List.of(entry), null);
    }

    @Test
    void rssDatesAreRfc822InThePortalZoneAndTextIsEscapedNotLost() {
        String xml = new String(new RssRenderer().render(snapshot()), StandardCharsets.UTF_8);
        assertThat(xml).contains("<pubDate>Thu, 7 Jan 2021 17:00:00 +0700</pubDate>")
                .contains("<lastBuildDate>Thu, 7 Jan 2021 17:05:12 +0700</lastBuildDate>")
                .contains("hội nghị &lt;tổng kết&gt; &amp; khen thưởng")
                .contains("<guid isPermaLink=\"false\">" + ID + "</guid>");
        SyndFeed feed = Feeds.syndFeed(xml.getBytes(StandardCharsets.UTF_8));
        assertThat(feed.getEntries().get(0).getDescription().getValue())
                .isEqualTo("Chiều 07/01, Tỉnh ủy tổ chức hội nghị <tổng kết> & khen thưởng.");
        assertThat(feed.getEntries().get(0).getContents().get(0).getValue())
                .isEqualTo("<p>Nội dung &amp; <a href=\"https://tin.example.vn/a\">liên kết</a></p>");
    }

    @Test
    void atomDatesAreRfc3339AndFeedIdIsStablePerUrl() {
        byte[] first = new AtomRenderer().render(snapshot());
        SyndFeed feed = Feeds.syndFeed(first);
        assertThat(feed.getUri()).startsWith("urn:uuid:");
        assertThat(feed.getEntries().get(0).getUpdatedDate().toInstant()).isEqualTo(UPDATED.toInstant());
        assertThat(feed.getEntries().get(0).getPublishedDate().toInstant()).isEqualTo(PUBLISHED.toInstant());
        assertThat(Feeds.syndFeed(new AtomRenderer().render(snapshot())).getUri()).isEqualTo(feed.getUri());
    }

    @Test
    void jsonFeedKeepsTheZoneOffsetAndUsesSnakeCaseNames() {
        JsonMapper json = JsonMapper.builder().build();
        JsonNode feed = json.readTree(new JsonFeedRenderer(json).render(snapshot()));
        JsonNode item = feed.get("items").get(0);
        assertThat(item.get("date_published").stringValue()).isEqualTo("2021-01-07T17:00:00+07:00");
        assertThat(item.get("date_modified").stringValue()).isEqualTo("2021-01-07T17:05:12+07:00");
        assertThat(item.get("content_html").stringValue()).startsWith("<p>Nội dung &amp;");
        assertThat(item.has("content_text")).isFalse();
    }

    @Test
    void opmlParsesBack() {
        BantinProperties properties = new BantinProperties("https://tin.example.vn/", ZoneId.of("Asia/Ho_Chi_Minh"), null);
        String xml = new String(new OpmlRenderer(properties).render(new OpmlRenderer.Directory(
                List.of(new Bulletin.Term("dan-van", "Dân vận")), List.of(), List.of()), Instant.EPOCH),
                StandardCharsets.UTF_8);
        assertThat(xml).contains("<opml version=\"2.0\">")
                .contains("xmlUrl=\"https://tin.example.vn/feeds/categories/dan-van/atom.xml\"");
    }

    @Test
    void xmlTextDropsOnlyWhatXmlForbids() {
        assertThat(XmlText.clean("a\u0001b\u0008c\tđ\n\uFFFEe\uD800f😀")).isEqualTo("abc\tđ\nef😀");
    }

    @Test
    void bodyLinksBecomeAbsolute() {
        assertThat(BodyHtml.absolute("<p><a href=\"/x?a=1&amp;b=2\">x</a><img src=\"anh/y.jpg\"></p>", "https://tin.example.vn/"))
                .isEqualTo("<p><a href=\"https://tin.example.vn/x?a=1&amp;b=2\">x</a><img src=\"https://tin.example.vn/anh/y.jpg\"></p>");
    }
}
