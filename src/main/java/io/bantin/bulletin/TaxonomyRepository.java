package io.bantin.bulletin;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * Categories and tags: created on first use, listed with the number of visible bulletins in each.
 * One used only by drafts, scheduled or withdrawn bulletins is not listed: its name may be embargoed.
 */
@Repository
class TaxonomyRepository {

    /** A category or tag with how many visible bulletins carry it. */
    record Counted(String slug, String name, long count) {
    }

    private final DatabaseClient db;

    TaxonomyRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<Long> categoryId(Bulletin.Term category) {
        // DO UPDATE (not DO NOTHING) so RETURNING also answers when the category already exists.
        return db.sql("""
                INSERT INTO categories (slug, name) VALUES (:slug, :name)
                ON CONFLICT (slug) DO UPDATE SET name = categories.name RETURNING id""")
                .bind("slug", category.slug()).bind("name", category.name())
                .map(row -> row.get("id", Long.class)).one();
    }

    /** The ids of the tags, in the order given, creating the missing ones. */
    Mono<List<Long>> tagIds(List<Bulletin.Term> tags) {
        if (tags.isEmpty()) {
            return Mono.just(List.of());
        }
        // Upserting in slug order keeps row locks in one order, so concurrent writers cannot deadlock.
        List<Bulletin.Term> bySlug = tags.stream().sorted(Comparator.comparing(Bulletin.Term::slug)).toList();
        return Flux.fromIterable(bySlug)
                .concatMap(tag -> db.sql("""
                        INSERT INTO tags (slug, name) VALUES (:slug, :name)
                        ON CONFLICT (slug) DO UPDATE SET name = tags.name RETURNING id""")
                        .bind("slug", tag.slug()).bind("name", tag.name())
                        .map(row -> row.get("id", Long.class)).one()
                        .map(id -> Map.entry(tag.slug(), id)))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .map(ids -> tags.stream().map(tag -> ids.get(tag.slug())).toList());
    }

    /** The category of that slug, if at least one visible bulletin is in it. */
    Mono<Bulletin.Term> shownCategory(String slug) {
        return db.sql("""
                SELECT c.slug, c.name FROM categories c
                WHERE c.slug = :slug AND EXISTS (SELECT 1 FROM bulletins b WHERE b.category_id = c.id AND %s)"""
                .formatted(BulletinRows.VISIBLE))
                .bind("slug", slug).map(TaxonomyRepository::term).one();
    }

    /** The tag of that slug, if at least one visible bulletin carries it. */
    Mono<Bulletin.Term> shownTag(String slug) {
        return db.sql("""
                SELECT t.slug, t.name FROM tags t
                WHERE t.slug = :slug AND EXISTS (SELECT 1 FROM bulletin_tags bt JOIN bulletins b ON b.id = bt.bulletin_id
                                                 WHERE bt.tag_id = t.id AND %s)""".formatted(BulletinRows.VISIBLE))
                .bind("slug", slug).map(TaxonomyRepository::term).one();
    }

    /** An author with at least one visible bulletin; the name is the one on their newest. */
    Mono<Bulletin.Term> shownAuthor(String slug) {
        return db.sql("""
                SELECT b.author_slug AS slug, b.author AS name FROM bulletins b
                WHERE b.author_slug = :slug AND %s ORDER BY b.published_at DESC LIMIT 1""".formatted(BulletinRows.VISIBLE))
                .bind("slug", slug).map(TaxonomyRepository::term).one();
    }

    /** Every author with a visible bulletin, by name. */
    Flux<Bulletin.Term> authors() {
        return db.sql("""
                SELECT DISTINCT ON (b.author_slug) b.author_slug AS slug, b.author AS name
                FROM bulletins b WHERE b.author_slug <> '' AND %s
                ORDER BY b.author_slug, b.published_at DESC""".formatted(BulletinRows.VISIBLE))
                .map(TaxonomyRepository::term)
                .all()
                .sort((a, b) -> a.name().compareTo(b.name()));
    }

    private static Bulletin.Term term(io.r2dbc.spi.Readable row) {
        return new Bulletin.Term(row.get("slug", String.class), row.get("name", String.class));
    }

    Flux<Counted> categories() {
        return db.sql("""
                SELECT c.slug, c.name, count(b.id) AS n
                FROM categories c JOIN bulletins b ON b.category_id = c.id AND %s
                GROUP BY c.id ORDER BY c.name""".formatted(BulletinRows.VISIBLE))
                .map(row -> new Counted(row.get("slug", String.class), row.get("name", String.class),
                        row.get("n", Long.class)))
                .all();
    }

    Flux<Counted> tags() {
        return db.sql("""
                SELECT t.slug, t.name, count(b.id) AS n
                FROM tags t
                JOIN bulletin_tags bt ON bt.tag_id = t.id
                JOIN bulletins b ON b.id = bt.bulletin_id AND %s
                GROUP BY t.id ORDER BY t.name""".formatted(BulletinRows.VISIBLE))
                .map(row -> new Counted(row.get("slug", String.class), row.get("name", String.class),
                        row.get("n", Long.class)))
                .all();
    }
}
