package io.bantin.bulletin;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/** Categories and tags: created on first use, listed with the number of visible bulletins in each. */
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

    Flux<Counted> categories() {
        return db.sql("""
                SELECT c.slug, c.name, count(b.id) AS n
                FROM categories c LEFT JOIN bulletins b ON b.category_id = c.id AND %s
                GROUP BY c.id ORDER BY c.name""".formatted(BulletinRows.VISIBLE))
                .map(row -> new Counted(row.get("slug", String.class), row.get("name", String.class),
                        row.get("n", Long.class)))
                .all();
    }

    Flux<Counted> tags() {
        return db.sql("""
                SELECT t.slug, t.name, count(b.id) AS n
                FROM tags t
                LEFT JOIN bulletin_tags bt ON bt.tag_id = t.id
                LEFT JOIN bulletins b ON b.id = bt.bulletin_id AND %s
                GROUP BY t.id ORDER BY t.name""".formatted(BulletinRows.VISIBLE))
                .map(row -> new Counted(row.get("slug", String.class), row.get("name", String.class),
                        row.get("n", Long.class)))
                .all();
    }
}
