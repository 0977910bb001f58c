package io.bantin.feed;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.bantin.bulletin.Bulletin;

/**
 * One feed as every format sees it: text already free of characters XML forbids, every URL absolute.
 * Renderers only map it onto their wire format.
 *
 * @param selfUrls the absolute URL of this feed in each format
 * @param updated the newest change among the entries (or of the site when there are none)
 * @param hubUrl the WebSub hub the feed advertises (https://www.w3.org/TR/websub/#discovery); null for none
 */
record FeedSnapshot(String title, String description, String homeUrl, Map<FeedFormat, String> selfUrls,
        String language, OffsetDateTime updated, List<Entry> entries, String hubUrl) {

    String selfUrl(FeedFormat format) {
        return selfUrls.get(format);
    }

    /** One bulletin in a feed; {@code contentHtml} is the sanitized body with absolute links. */
    record Entry(UUID id, String url, String title, String summary, String contentHtml, String author,
            Bulletin.Term category, List<Bulletin.Term> tags, List<Bulletin.Image> images, String language,
            OffsetDateTime published, OffsetDateTime updated) {
    }
}
