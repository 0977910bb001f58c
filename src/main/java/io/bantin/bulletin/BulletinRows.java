package io.bantin.bulletin;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import io.bantin.answer.PublicUrls;
import io.bantin.media.Media;
import io.bantin.system.BantinProperties;

/** The one SELECT that reads whole bulletins, and its row mapper. */
final class BulletinRows {

    /** Visible to the public: not withdrawn, not a draft, and its publication time has come. */
    static final String VISIBLE = "b.withdrawn_at IS NULL AND b.status <> 'draft' AND b.published_at <= now()";

    /** The status the API shows: a scheduled bulletin whose time came is published, whichever the row says. */
    static final String SHOWN_STATUS = "(CASE WHEN b.status = 'draft' THEN 'draft' WHEN b.published_at > now() "
            + "THEN 'scheduled' ELSE 'published' END)";

    static final String SELECT = """
            SELECT b.id, b.slug, b.title, b.summary, b.body, b.author, b.language,
                   """ + SHOWN_STATUS + """
                    AS shown_status,
                   b.published_at, b.updated_at, b.version,
                   b.status AS stored_status, b.withdrawn_at IS NOT NULL AS withdrawn,
                   b.status <> 'draft' AND b.published_at <= coalesce(b.withdrawn_at, now()) AS shown_once,
                   c.slug AS category_slug, c.name AS category_name,
                   tg.slugs AS tag_slugs, tg.names AS tag_names,
                   im.urls AS image_urls, im.captions AS image_captions, im.lengths AS image_lengths,
                   im.types AS image_types, im.media AS image_media, im.alts AS image_alts, im.widths AS image_widths,
                   im.heights AS image_heights, im.renditions AS image_renditions
            FROM bulletins b
            LEFT JOIN categories c ON c.id = b.category_id
            LEFT JOIN LATERAL (
                SELECT array_agg(t.slug ORDER BY bt.position) AS slugs, array_agg(t.name ORDER BY bt.position) AS names
                FROM bulletin_tags bt JOIN tags t ON t.id = bt.tag_id
                WHERE bt.bulletin_id = b.id) tg ON true
            LEFT JOIN LATERAL (
                SELECT array_agg(i.url ORDER BY i.position) AS urls, array_agg(i.caption ORDER BY i.position) AS captions,
                       array_agg(i.length ORDER BY i.position) AS lengths, array_agg(i.type ORDER BY i.position) AS types,
                       array_agg(i.media_id ORDER BY i.position) AS media, array_agg(i.alt ORDER BY i.position) AS alts,
                       array_agg(i.width ORDER BY i.position) AS widths, array_agg(i.height ORDER BY i.position) AS heights,
                       array_agg(i.renditions ORDER BY i.position) AS renditions
                FROM bulletin_images i
                WHERE i.bulletin_id = b.id) im ON true
            """;

    private static final TypeReference<List<Media.Rendition>> RENDITIONS = new TypeReference<>() {
    };

    private final BantinProperties properties;
    private final JsonMapper json;

    BulletinRows(BantinProperties properties, JsonMapper json) {
        this.properties = properties;
        this.json = json;
    }

    /**
     * A stored bulletin, whether it has been withdrawn, whether readers ever saw it (a draft or a
     * bulletin withdrawn before its time never was: to readers it does not exist), and the status column
     * itself: {@code published} there means its {@code published} event was written, while the status
     * shown turns {@code published} as soon as a scheduled time passes, before the scheduler runs.
     */
    record Stored(Bulletin bulletin, boolean withdrawn, boolean shownOnce, Status storedStatus) {

        /** The one rule of who may see a bulletin, for every read path. */
        BulletinCatalog.Visibility visibility() {
            return !shownOnce ? BulletinCatalog.Visibility.HIDDEN
                    : withdrawn ? BulletinCatalog.Visibility.WITHDRAWN : BulletinCatalog.Visibility.VISIBLE;
        }
    }

    Stored map(Readable row) {
        UUID id = row.get("id", UUID.class);
        String slug = row.get("slug", String.class);
        String categorySlug = row.get("category_slug", String.class);
        Bulletin bulletin = new Bulletin(id, slug,
                row.get("title", String.class),
                row.get("summary", String.class),
                row.get("body", String.class),
                row.get("author", String.class),
                categorySlug == null ? null : new Bulletin.Term(categorySlug, row.get("category_name", String.class)),
                terms(row.get("tag_slugs", String[].class), row.get("tag_names", String[].class)),
                images(row),
                row.get("language", String.class),
                Status.valueOf(row.get("shown_status", String.class)),
                local(row.get("published_at", OffsetDateTime.class)),
                local(row.get("updated_at", OffsetDateTime.class)),
                row.get("version", Integer.class),
                new Bulletin.Links(properties.url(PublicUrls.bulletin(id)), properties.url(PublicUrls.page(slug))));
        return new Stored(bulletin, Boolean.TRUE.equals(row.get("withdrawn", Boolean.class)),
                Boolean.TRUE.equals(row.get("shown_once", Boolean.class)),
                Status.valueOf(row.get("stored_status", String.class)));
    }

    private OffsetDateTime local(OffsetDateTime at) {
        return at.atZoneSameInstant(properties.zone()).toOffsetDateTime();
    }

    private static List<Bulletin.Term> terms(String[] slugs, String[] names) {
        if (slugs == null) {
            return List.of();
        }
        List<Bulletin.Term> terms = new ArrayList<>(slugs.length);
        for (int i = 0; i < slugs.length; i++) {
            terms.add(new Bulletin.Term(slugs[i], names[i]));
        }
        return List.copyOf(terms);
    }

    private List<Bulletin.Image> images(Readable row) {
        String[] urls = row.get("image_urls", String[].class);
        if (urls == null) {
            return List.of();
        }
        String[] captions = row.get("image_captions", String[].class);
        Long[] lengths = row.get("image_lengths", Long[].class);
        String[] types = row.get("image_types", String[].class);
        UUID[] media = row.get("image_media", UUID[].class);
        String[] alts = row.get("image_alts", String[].class);
        Integer[] widths = row.get("image_widths", Integer[].class);
        Integer[] heights = row.get("image_heights", Integer[].class);
        String[] renditions = row.get("image_renditions", String[].class);
        List<Bulletin.Image> images = new ArrayList<>(urls.length);
        for (int i = 0; i < urls.length; i++) {
            images.add(new Bulletin.Image(urls[i], captions[i], lengths[i], types[i], media[i], alts[i], widths[i],
                    heights[i], renditions[i] == null ? null : List.copyOf(json.readValue(renditions[i], RENDITIONS))));
        }
        return List.copyOf(images);
    }
}
