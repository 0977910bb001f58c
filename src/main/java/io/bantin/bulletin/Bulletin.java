package io.bantin.bulletin;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.bantin.media.Media;

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

    /**
     * A photo of the bulletin with its caption; its size in bytes and media type when the publisher gave them
     * (feeds then offer it as an RSS enclosure). A photo uploaded to Bantin ({@code media}, its id) also has its
     * alternative text, its size in pixels and every rendition kept. Absent ones are left out of the JSON.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Image(String url, String caption, Long length, String type, UUID media, String alt, Integer width,
            Integer height, List<Media.Rendition> renditions) {

        public Image(String url, String caption) {
            this(url, caption, null, null);
        }

        public Image(String url, String caption, Long length, String type) {
            this(url, caption, length, type, null, null, null, null, null);
        }

        /** The rendition at least {@code width} pixels wide, else the largest; null for a photo Bantin does not hold. */
        public Media.Rendition atLeast(int width) {
            if (renditions == null || renditions.isEmpty()) {
                return null;
            }
            for (Media.Rendition rendition : renditions) {
                if (rendition.width() >= width) {
                    return rendition;
                }
            }
            return renditions.get(renditions.size() - 1);
        }

        /** The alternative text: the one given, else the caption. */
        public String altText() {
            return alt != null && !alt.isBlank() ? alt : caption;
        }
    }

    /** Where the bulletin lives: its API resource and its reader page. */
    public record Links(String self, String html) {
    }

    /** The strong entity tag of this representation: its version changes with every write. */
    public String etag() {
        return "\"" + version + "\"";
    }
}
