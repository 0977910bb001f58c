package io.bantin.feed;

import java.util.Arrays;
import java.util.Optional;

import org.springframework.http.MediaType;

/** The syndication formats, each with its file name under a feed path and its media type. */
enum FeedFormat {

    RSS("rss.xml", "application/rss+xml"),
    ATOM("atom.xml", "application/atom+xml"),
    JSON("feed.json", "application/feed+json");

    private final String file;
    private final MediaType mediaType;

    FeedFormat(String file, String type) {
        this.file = file;
        this.mediaType = MediaType.parseMediaType(type + ";charset=utf-8");
    }

    String file() {
        return file;
    }

    MediaType mediaType() {
        return mediaType;
    }

    static Optional<FeedFormat> byFile(String file) {
        return Arrays.stream(values()).filter(f -> f.file.equals(file)).findFirst();
    }
}
