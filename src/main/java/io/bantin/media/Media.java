package io.bantin.media;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * An uploaded photo as the API shows it (API.md, "Media"): its largest rendition's URL, type and size, the words
 * that go with it, and every rendition kept, smallest first.
 */
public record Media(UUID id, String url, String type, int width, int height, long length, String alt, String caption,
        String credit, List<Rendition> renditions, OffsetDateTime createdAt) {

    /** One size kept of a photo, at an immutable URL. */
    public record Rendition(String url, String type, int width, int height, long length) {
    }

    /** The largest rendition: the one {@link #url} names. */
    public Rendition largest() {
        return renditions.get(renditions.size() - 1);
    }
}
