package io.bantin.feed;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import io.bantin.bulletin.Bulletin;

/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). */
@Component
class JsonFeedRenderer implements FeedRenderer {

    private final JsonMapper json;

    JsonFeedRenderer(JsonMapper json) {
        this.json = json;
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Document(String version, String title, String description,
            @JsonProperty("home_page_url") String homePageUrl, @JsonProperty("feed_url") String feedUrl,
            @JsonProperty("next_url") String nextUrl, String language, List<Author> authors, List<Hub> hubs,
            List<Item> items) {
    }

    /** A WebSub hub of the feed (https://www.jsonfeed.org/version/1.1/#top-level-object, "hubs"). */
    record Hub(String type, String url) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Item(String id, String url, String title, @JsonProperty("content_html") String contentHtml,
            @JsonProperty("content_text") String contentText, String summary, String image, @JsonProperty("date_published") String datePublished,
            @JsonProperty("date_modified") String dateModified, List<Author> authors, List<String> tags,
            String language, List<Attachment> attachments) {
    }

    /** A photo of the item (https://www.jsonfeed.org/version/1.1/#attachments-a-name-attachments-a). */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Attachment(String url, @JsonProperty("mime_type") String mimeType, String title,
            @JsonProperty("size_in_bytes") Long sizeInBytes) {
    }

    record Author(String name) {
    }

    @Override
    public FeedFormat format() {
        return FeedFormat.JSON;
    }

    @Override
    public byte[] render(FeedSnapshot feed) {
        List<Item> items = feed.entries().stream().map(JsonFeedRenderer::item).toList();
        byte[] document = json.writeValueAsBytes(new Document("https://jsonfeed.org/version/1.1", feed.title(),
                feed.description(), feed.homeUrl(), feed.selfUrl(FeedFormat.JSON), feed.nextUrl(FeedFormat.JSON), feed.language(),
                List.of(new Author(FeedAssembler.SITE_NAME)),
                feed.hubUrl() == null ? List.of() : List.of(new Hub("WebSub", feed.hubUrl())), items));
        byte[] ended = java.util.Arrays.copyOf(document, document.length + 1); // a text file ends with a newline
        ended[document.length] = '\n';
        return ended;
    }

    private static Item item(FeedSnapshot.Entry e) {
        List<String> tags = new ArrayList<>();
        if (e.category() != null) {
            tags.add(e.category().name());
        }
        e.tags().forEach(tag -> tags.add(tag.name()));
        // An item needs content_html or content_text; a bulletin without a body falls back to its lead.
        String text = e.contentHtml().isBlank() ? (e.summary().isBlank() ? e.title() : e.summary()) : null;
        List<Attachment> photos = e.images().stream().filter(MediaRss::usable)
                .map(image -> new Attachment(image.url(), MediaRss.type(image), image.caption(), image.length())).toList();
        return new Item(e.id().toString(), e.url(), e.title(), e.contentHtml(), text, e.summary(),
                MediaRss.first(e.images()).map(Bulletin.Image::url).orElse(null), rfc3339(e.published()),
                rfc3339(e.updated()), e.author().isBlank() ? List.of() : List.of(new Author(e.author())), tags,
                e.language(), photos);
    }

    private static String rfc3339(OffsetDateTime at) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at);
    }
}
