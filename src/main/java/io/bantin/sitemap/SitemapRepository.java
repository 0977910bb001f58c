package io.bantin.sitemap;

import java.time.OffsetDateTime;
import java.util.UUID;

import reactor.core.publisher.Flux;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import io.bantin.bulletin.BulletinCatalog;
import io.bantin.web.Cursor;

/** The few columns sitemaps need, of visible bulletins and categories only, oldest first where paged. */
@Component
class SitemapRepository {

    /** A bulletin as a sitemap lists it. */
    record Entry(UUID id, String slug, String title, String language, OffsetDateTime publishedAt,
            OffsetDateTime updatedAt) {
    }

    /**
     * One sitemap page of bulletins: its newest change, and the key of its last bulletin (where the next page
     * starts after).
     */
    record Chunk(OffsetDateTime lastModified, Cursor last) {
    }

    /** A category with its newest change. */
    record Section(String slug, OffsetDateTime lastModified) {
    }

    private final DatabaseClient db;

    SitemapRepository(DatabaseClient db) {
        this.db = db;
    }

    /** Every visible bulletin cut into pages of {@code size}, oldest first: older pages stay as they are. */
    Flux<Chunk> chunks(int size) {
        return db.sql("""
                SELECT max(updated_at) AS lastmod,
                       (array_agg(published_at ORDER BY rn DESC))[1] AS last_at,
                       (array_agg(id ORDER BY rn DESC))[1] AS last_id
                FROM (SELECT b.id, b.published_at, b.updated_at,
                             row_number() OVER (ORDER BY b.published_at, b.id) AS rn
                      FROM bulletins b WHERE %s) t
                GROUP BY (rn - 1) / :size ORDER BY (rn - 1) / :size""".formatted(BulletinCatalog.VISIBLE))
                .bind("size", size)
                .map(row -> new Chunk(row.get("lastmod", OffsetDateTime.class), new Cursor(
                        row.get("last_at", OffsetDateTime.class).toInstant(), row.get("last_id", UUID.class))))
                .all();
    }

    /** The {@code size} visible bulletins after {@code after} (null: from the oldest), oldest first. */
    Flux<Entry> page(Cursor after, int size) {
        String sql = """
                SELECT b.id, b.slug, b.title, b.language, b.published_at, b.updated_at FROM bulletins b
                WHERE %s %s ORDER BY b.published_at, b.id LIMIT :size""".formatted(BulletinCatalog.VISIBLE,
                after == null ? "" : "AND (b.published_at, b.id) > (:at, :id)");
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql).bind("size", size);
        if (after != null) {
            spec = spec.bind("at", after.publishedAt().atOffset(java.time.ZoneOffset.UTC)).bind("id", after.id());
        }
        return spec.map(SitemapRepository::entry).all();
    }

    /** Visible bulletins published in the last {@code hours} hours, newest first, at most {@code limit}. */
    Flux<Entry> recent(int hours, int limit) {
        return db.sql("""
                SELECT b.id, b.slug, b.title, b.language, b.published_at, b.updated_at FROM bulletins b
                WHERE %s AND b.published_at > now() - make_interval(hours => :hours)
                ORDER BY b.published_at DESC, b.id DESC LIMIT :limit""".formatted(BulletinCatalog.VISIBLE))
                .bind("hours", hours).bind("limit", limit)
                .map(SitemapRepository::entry).all();
    }

    /** The categories with a visible bulletin, by slug. */
    Flux<Section> sections() {
        return db.sql("""
                SELECT c.slug, max(b.updated_at) AS lastmod FROM categories c
                JOIN bulletins b ON b.category_id = c.id AND %s
                GROUP BY c.slug ORDER BY c.slug""".formatted(BulletinCatalog.VISIBLE))
                .map(row -> new Section(row.get("slug", String.class), row.get("lastmod", OffsetDateTime.class)))
                .all();
    }

    private static Entry entry(io.r2dbc.spi.Readable row) {
        return new Entry(row.get("id", UUID.class), row.get("slug", String.class), row.get("title", String.class),
                row.get("language", String.class), row.get("published_at", OffsetDateTime.class),
                row.get("updated_at", OffsetDateTime.class));
    }
}
