package io.bantin.bulletin;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** One news item as readers see it; its JSON form is the public contract (API.md, "Bulletin"). */
public record Bulletin(
        UUID id,
        String slug,
        String title,
        String summary,
        String body,
        String author,
        Term category,
        List<Term> tags,
        List<Image> images,
        String language,
        Status status,
        OffsetDateTime publishedAt,
        OffsetDateTime updatedAt,
        int version,
        Links links) {

    /** A category or a tag. */
    public record Term(String slug, String name) {
    }

    /** A photo of the bulletin with its caption. */
    public record Image(String url, String caption) {
    }

    /** Where the bulletin lives: its API resource and its reader page. */
    public record Links(String self, String html) {
    }

    /** The strong entity tag of this representation: its version changes with every write. */
    public String etag() {
        return "\"" + version + "\"";
    }
}
