package io.bantin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.rometools.modules.mediarss.MediaEntryModule;
import com.rometools.modules.mediarss.MediaModule;
import com.rometools.rome.feed.synd.SyndEntry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.bantin.bulletin.Bulletin;

/** The photos of a bulletin in every format, parsed back with Rome's Media RSS module and Jackson. */
class FeedPhotosTest {

    static final String FIRST = "https://anh.example.vn/2024/12/dai-bieu.jpg";
    static final String SECOND = "https://anh.example.vn/2024/12/hoi-truong.png";
    static final String CAPTION = "Các đại biểu biểu quyết <thông qua> nghị quyết & bế mạc";

    static FeedSnapshot withPhotos() {
        FeedSnapshot s = RenderersTest.snapshot();
        FeedSnapshot.Entry e = s.entries().get(0);
        FeedSnapshot.Entry photographed = new FeedSnapshot.Entry(e.id(), e.url(), e.title(), e.summary(), e.contentHtml(),
                e.author(), e.category(), e.tags(), List.of(new Bulletin.Image(FIRST, CAPTION),
                        new Bulletin.Image("not a uri", "bỏ qua"), new Bulletin.Image(SECOND, "")),
                e.language(), e.published(), e.updated());
        return new FeedSnapshot(s.title(), s.description(), s.homeUrl(), s.selfUrls(), s.language(), s.updated(),
                List.of(photographed), null);
    }

    @Test
    void rssHasMediaContentWithCaptionAndThumbnailButNoEnclosureOfUnknownLength() {
        byte[] xml = new RssRenderer().render(withPhotos());
        assertThat(new String(xml, StandardCharsets.UTF_8)).doesNotContain("<enclosure").doesNotContain("length=\"0\"");
        SyndEntry entry = Feeds.syndFeed(xml).getEntries().get(0);
        assertThat(entry.getEnclosures()).isEmpty();
        assertMedia(entry);
    }

    @Test
    void atomHasEnclosureLinksWithoutLengthAndTheSameMediaElements() {
        byte[] xml = new AtomRenderer().render(withPhotos());
        String text = new String(xml, StandardCharsets.UTF_8);
        assertThat(text).contains("<link rel=\"enclosure\" type=\"image/jpeg\" href=\"" + FIRST + "\" />")
                .contains("<link rel=\"enclosure\" type=\"image/png\" href=\"" + SECOND + "\" />")
                .doesNotContain("length=");
        SyndEntry entry = Feeds.syndFeed(xml).getEntries().get(0);
        assertThat(entry.getEnclosures()).extracting(en -> en.getUrl()).containsExactly(FIRST, SECOND);
        assertThat(entry.getEnclosures()).extracting(en -> en.getType()).containsExactly("image/jpeg", "image/png");
        assertThat(entry.getLink()).isEqualTo("https://tin.example.vn/bulletins/hoi-nghi");
        assertMedia(entry);
    }

    @Test
    void jsonFeedHasImageAndOneAttachmentPerPhoto() {
        JsonMapper json = JsonMapper.builder().build();
        JsonNode item = json.readTree(new JsonFeedRenderer(json).render(withPhotos())).get("items").get(0);
        assertThat(item.get("image").stringValue()).isEqualTo(FIRST);
        JsonNode attachments = item.get("attachments");
        assertThat(attachments).hasSize(2);
        assertThat(attachments.get(0).get("url").stringValue()).isEqualTo(FIRST);
        assertThat(attachments.get(0).get("mime_type").stringValue()).isEqualTo("image/jpeg");
        assertThat(attachments.get(0).get("title").stringValue()).isEqualTo(CAPTION);
        assertThat(attachments.get(1).get("mime_type").stringValue()).isEqualTo("image/png");
        assertThat(attachments.get(1).has("title")).isFalse();
    }

    @Test
    void aBulletinWithoutPhotosHasNoMediaAtAll() {
        FeedSnapshot s = RenderersTest.snapshot();
        FeedSnapshot.Entry e = s.entries().get(0);
        FeedSnapshot bare = new FeedSnapshot(s.title(), s.description(), s.homeUrl(), s.selfUrls(), s.language(),
                s.updated(), List.of(new FeedSnapshot.Entry(e.id(), e.url(), e.title(), e.summary(), e.contentHtml(),
                        e.author(), e.category(), e.tags(), List.of(), e.language(), e.published(), e.updated())), null);
        assertThat(new String(new RssRenderer().render(bare), StandardCharsets.UTF_8)).doesNotContain("media:");
        assertThat(new String(new AtomRenderer().render(bare), StandardCharsets.UTF_8)).doesNotContain("media:")
                .doesNotContain("enclosure");
        JsonMapper json = JsonMapper.builder().build();
        JsonNode item = json.readTree(new JsonFeedRenderer(json).render(bare)).get("items").get(0);
        assertThat(item.has("image")).isFalse();
        assertThat(item.has("attachments")).isFalse();
    }

    private static void assertMedia(SyndEntry entry) {
        MediaEntryModule media = (MediaEntryModule) entry.getModule(MediaModule.URI);
        assertThat(media).as("media module").isNotNull();
        assertThat(media.getMediaContents()).hasSize(2);
        assertThat(media.getMediaContents()[0].getReference().toString()).isEqualTo(FIRST);
        assertThat(media.getMediaContents()[0].getMedium()).isEqualTo("image");
        assertThat(media.getMediaContents()[0].getMetadata().getDescription()).isEqualTo(CAPTION);
        assertThat(media.getMediaContents()[1].getReference().toString()).isEqualTo(SECOND);
        assertThat(media.getMetadata().getThumbnail()).hasSize(1);
        assertThat(media.getMetadata().getThumbnail()[0].getUrl().toString()).isEqualTo(FIRST);
    }

    @Test
    void aPhotoOfKnownLengthIsTheRssEnclosureWithItsOwnTypeAndAtomAndJsonFeedCarryTheLength() {
        FeedSnapshot s = RenderersTest.snapshot();
        FeedSnapshot.Entry e = s.entries().get(0);
        FeedSnapshot sized = new FeedSnapshot(s.title(), s.description(), s.homeUrl(), s.selfUrls(), s.language(),
                s.updated(), List.of(new FeedSnapshot.Entry(e.id(), e.url(), e.title(), e.summary(), e.contentHtml(),
                        e.author(), e.category(), e.tags(), List.of(new Bulletin.Image(FIRST, CAPTION),
                                new Bulletin.Image(SECOND, "", 48213L, "image/webp")),
                        e.language(), e.published(), e.updated())), null);
        String rss = new String(new RssRenderer().render(sized), StandardCharsets.UTF_8);
        assertThat(rss).contains("<enclosure url=\"" + SECOND + "\" length=\"48213\" type=\"image/webp\" />")
                .contains("fileSize=\"48213\"");
        assertThat(Feeds.syndFeed(rss.getBytes(StandardCharsets.UTF_8)).getEntries().get(0).getEnclosures())
                .extracting(en -> en.getUrl() + " " + en.getLength()).containsExactly(SECOND + " 48213");
        assertThat(new String(new AtomRenderer().render(sized), StandardCharsets.UTF_8))
                .contains("<link rel=\"enclosure\" type=\"image/webp\" href=\"" + SECOND + "\" length=\"48213\" />")
                .contains("<link rel=\"enclosure\" type=\"image/jpeg\" href=\"" + FIRST + "\" />");
        JsonMapper json = JsonMapper.builder().build();
        JsonNode attachments = json.readTree(new JsonFeedRenderer(json).render(sized)).get("items").get(0).get("attachments");
        assertThat(attachments.get(1).get("size_in_bytes").longValue()).isEqualTo(48213);
        assertThat(attachments.get(1).get("mime_type").stringValue()).isEqualTo("image/webp");
        assertThat(attachments.get(0).has("size_in_bytes")).isFalse();
    }
}
