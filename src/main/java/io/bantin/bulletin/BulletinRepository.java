package io.bantin.bulletin;

import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import io.bantin.system.BantinProperties;
import io.bantin.system.BoundedReads;

/** Reads and writes bulletins with hand-written SQL; writes run inside the caller's transaction. */
@Repository
class BulletinRepository {

    /**
     * Rows per query of an export. Each chunk is a short LIMIT query down the (published_at, id)
     * index from where the last one stopped: the first row comes at once, memory holds about one
     * chunk, and no connection or snapshot is held while a slow client reads.
     */
    static final int EXPORT_CHUNK = 500;

    private final DatabaseClient db;
    private final BulletinRows rows;
    private final JsonMapper json;

    BulletinRepository(DatabaseClient db, BantinProperties properties, JsonMapper json) {
        this.db = db;
        this.json = json;
        this.rows = new BulletinRows(properties, json);
    }

    Mono<BulletinRows.Stored> findById(UUID id) {
        return db.sql(BulletinRows.SELECT + " WHERE b.id = :id").bind("id", id).map(rows::map).one();
    }

    /** The id of the bulletin called {@code slug}, whatever its status. */
    Mono<UUID> findIdBySlug(String slug) {
        return db.sql("SELECT id FROM bulletins WHERE slug = :slug").bind("slug", slug)
                .map(row -> row.get("id", UUID.class)).one();
    }

    Mono<BulletinRows.Stored> findBySlug(String slug) {
        return db.sql(BulletinRows.SELECT + " WHERE b.slug = :slug").bind("slug", slug).map(rows::map).one();
    }

    /** Every visible bulletin matching the query (up to its limit, if any), newest first, chunk by chunk. */
    Flux<Bulletin> export(BulletinQuery query) {
        // Each chunk is read whole even when the client goes away meanwhile (see BoundedReads).
        Flux<Bulletin> all = BoundedReads.whole(list(query.withLimit(EXPORT_CHUNK)))
                .expand(chunk -> chunk.size() < EXPORT_CHUNK ? Mono.empty()
                        : BoundedReads.whole(list(query.after(chunk.get(chunk.size() - 1)).withLimit(EXPORT_CHUNK))))
                .concatMapIterable(chunk -> chunk, 1); // one chunk ahead, however slow the client
        return query.limit() == null ? all : all.take(query.limit(), true);
    }

    /** Visible bulletins, newest first, at most {@code query.limit()}. */
    Flux<Bulletin> list(BulletinQuery query) {
        StringBuilder sql = new StringBuilder(BulletinRows.SELECT).append(" WHERE ");
        Map<String, Object> binds = new HashMap<>();
        if (query.statuses() == null) {
            sql.append(BulletinRows.VISIBLE);
        }
        else {
            sql.append("b.withdrawn_at IS NULL AND ").append(BulletinRows.SHOWN_STATUS).append(" = ANY(:statuses)");
            binds.put("statuses", query.statuses().stream().map(Status::name).toArray(String[]::new));
        }
        if (query.category() != null) {
            sql.append(" AND b.category_id = (SELECT id FROM categories WHERE slug = :category)");
            binds.put("category", query.category());
        }
        if (query.tag() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM bulletin_tags bt JOIN tags t ON t.id = bt.tag_id")
                    .append(" WHERE bt.bulletin_id = b.id AND t.slug = :tag)");
            binds.put("tag", query.tag());
        }
        if (query.author() != null) {
            sql.append(" AND b.author_slug = :author");
            binds.put("author", query.author());
        }
        if (query.q() != null) {
            sql.append(" AND b.search @@ plainto_tsquery('simple', bantin_fold(:q))");
            binds.put("q", query.q());
        }
        if (query.since() != null) {
            sql.append(" AND b.published_at >= :since");
            binds.put("since", query.since());
        }
        if (query.until() != null) {
            sql.append(" AND b.published_at <= :until");
            binds.put("until", query.until());
        }
        if (query.after() != null) {
            sql.append(" AND (b.published_at, b.id) < (:afterAt, :afterId)");
            binds.put("afterAt", query.after().publishedAt().atOffset(ZoneOffset.UTC));
            binds.put("afterId", query.after().id());
        }
        sql.append(" ORDER BY b.published_at DESC, b.id DESC");
        sql.append(" LIMIT :limit");
        binds.put("limit", query.limit());
        return db.sql(sql.toString()).bindValues(binds).map(rows::map).all().map(BulletinRows.Stored::bulletin);
    }

    /** Whether no bulletin at all exists yet (withdrawn ones count). */
    Mono<Boolean> none() {
        return db.sql("SELECT NOT EXISTS (SELECT 1 FROM bulletins) AS none").map(row -> row.get("none", Boolean.class))
                .one();
    }

    /**
     * Flips up to {@code batch} due scheduled bulletins to {@code published}, inside the caller's transaction,
     * and answers their ids. A row another instance (or a concurrent edit) holds is skipped, not waited for;
     * once that transaction commits the row is no longer 'scheduled', so nobody publishes it twice.
     */
    Flux<UUID> promoteDue(int batch) {
        return db.sql("""
                UPDATE bulletins SET status = 'published'
                WHERE id IN (SELECT id FROM bulletins
                             WHERE status = 'scheduled' AND published_at <= now() AND withdrawn_at IS NULL
                             ORDER BY published_at LIMIT :batch
                             FOR UPDATE SKIP LOCKED)
                RETURNING id""")
                .bind("batch", batch)
                .map(row -> row.get("id", UUID.class)).all();
    }

    /** The bulletin as stored, with its row locked until commit: what a write checks and announces against. */
    Mono<BulletinRows.Stored> lock(UUID id) {
        return db.sql(BulletinRows.SELECT + " WHERE b.id = :id FOR UPDATE OF b").bind("id", id).map(rows::map).one();
    }

    /**
     * A free slug for {@code base}: the base itself, or else the base with the lowest free number among 2
     * and one more than each numeric suffix in use (so normally one more than the highest). The candidates
     * are checked, never assumed free: a suffix that looks like a number of another title (say
     * {@code zeta-999999999999}) cannot make every later {@code zeta} collide. Serialized per base so two
     * equal titles never race.
     */
    Mono<String> claimSlug(String base) {
        return db.sql("SELECT pg_advisory_xact_lock(hashtext('bantin.slug:' || :base))").bind("base", base).then()
                .then(db.sql("""
                        SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM bulletins WHERE slug = :base) THEN :base
                               ELSE coalesce(
                                   (SELECT :base || '-' || min(n) FROM (
                                        SELECT 2::bigint AS n
                                        UNION ALL
                                        SELECT CAST(substr(slug, length(:base) + 2) AS bigint) + 1
                                        FROM bulletins
                                        WHERE slug LIKE :base || '-%' AND substr(slug, length(:base) + 2) ~ '^[0-9]{1,18}$'
                                    ) candidates
                                    WHERE NOT EXISTS (SELECT 1 FROM bulletins WHERE slug = :base || '-' || n)),
                                   :base || '-' || replace(CAST(gen_random_uuid() AS text), '-', ''))
                               END AS s""").bind("base", base).map(row -> row.get("s", String.class)).one());
    }

    /** Inserts the row and answers with the status it was stored with. */
    Mono<Status> insert(UUID id, String slug, BulletinDraft draft, Long categoryId) {
        return bindDraft(db.sql("""
                INSERT INTO bulletins (id, slug, title, summary, body, body_text, author, author_slug, category_id,
                                       language, status, published_at, updated_at, version)
                VALUES (:id, :slug, :title, :summary, :body, :bodyText, :author, :authorSlug, :categoryId, :language,
                        CASE WHEN :draft THEN 'draft'
                             WHEN COALESCE(:publishedAt, now()) > now() THEN 'scheduled'
                             ELSE 'published' END,
                        COALESCE(:publishedAt, date_trunc('second', now())), date_trunc('second', now()), 1)
                RETURNING status"""), draft, categoryId)
                .bind("id", id).bind("slug", slug)
                .map(row -> Status.valueOf(row.get("status", String.class))).one();
    }

    /** Replaces the content (the slug stays, so links keep working) and answers with the new status. */
    Mono<Status> update(UUID id, BulletinDraft draft, Long categoryId) {
        // A draft published without a date is published now; otherwise an omitted date is kept.
        return bindDraft(db.sql("""
                UPDATE bulletins SET title = :title, summary = :summary, body = :body, body_text = :bodyText,
                       author = :author, author_slug = :authorSlug, category_id = :categoryId, language = :language,
                       published_at = COALESCE(:publishedAt,
                           CASE WHEN status = 'draft' THEN date_trunc('second', now()) ELSE published_at END),
                       status = CASE WHEN :draft THEN 'draft'
                           WHEN COALESCE(:publishedAt,
                               CASE WHEN status = 'draft' THEN now() ELSE published_at END) > now() THEN 'scheduled'
                           ELSE 'published' END,
                       updated_at = date_trunc('second', now()), version = version + 1
                WHERE id = :id
                RETURNING status"""), draft, categoryId)
                .bind("id", id)
                .map(row -> Status.valueOf(row.get("status", String.class))).one();
    }

    Mono<Void> withdraw(UUID id) {
        return db.sql("""
                UPDATE bulletins SET withdrawn_at = now(), updated_at = date_trunc('second', now()),
                       version = version + 1
                WHERE id = :id""").bind("id", id).then();
    }

    Mono<Void> replaceTags(UUID id, List<Long> tagIds) {
        return db.sql("DELETE FROM bulletin_tags WHERE bulletin_id = :id").bind("id", id).then().then(addTags(id, tagIds));
    }

    /** Tags a bulletin that has none yet (a new one: nothing to delete first). */
    Mono<Void> addTags(UUID id, List<Long> tagIds) {
        if (tagIds.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("""
                INSERT INTO bulletin_tags (bulletin_id, tag_id, position)
                SELECT :id, tag_id, position FROM unnest(CAST(:tagIds AS bigint[])) WITH ORDINALITY AS x(tag_id, position)""")
                .bind("id", id).bind("tagIds", tagIds.toArray(Long[]::new)).then();
    }

    Mono<Void> replaceImages(UUID id, List<Bulletin.Image> images) {
        return db.sql("DELETE FROM bulletin_images WHERE bulletin_id = :id").bind("id", id).then().then(addImages(id, images));
    }

    /** Adds the images of a bulletin that has none yet. */
    Mono<Void> addImages(UUID id, List<Bulletin.Image> images) {
        if (images.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("""
                INSERT INTO bulletin_images (bulletin_id, position, url, caption, length, type, media_id, alt, width, height,
                                             renditions)
                SELECT :id, position, url, caption, length, type, media_id, alt, width, height, renditions
                FROM unnest(CAST(:urls AS text[]), CAST(:captions AS text[]), CAST(:lengths AS bigint[]),
                            CAST(:types AS text[]), CAST(:media AS uuid[]), CAST(:alts AS text[]), CAST(:widths AS int[]),
                            CAST(:heights AS int[]), CAST(:renditions AS text[]))
                     WITH ORDINALITY AS x(url, caption, length, type, media_id, alt, width, height, renditions, position)""")
                .bind("id", id)
                .bind("urls", images.stream().map(Bulletin.Image::url).toArray(String[]::new))
                .bind("captions", images.stream().map(i -> i.caption() == null ? "" : i.caption()).toArray(String[]::new))
                .bind("lengths", images.stream().map(Bulletin.Image::length).toArray(Long[]::new))
                .bind("types", images.stream().map(Bulletin.Image::type).toArray(String[]::new))
                .bind("media", images.stream().map(Bulletin.Image::media).toArray(UUID[]::new))
                .bind("alts", images.stream().map(Bulletin.Image::alt).toArray(String[]::new))
                .bind("widths", images.stream().map(Bulletin.Image::width).toArray(Integer[]::new))
                .bind("heights", images.stream().map(Bulletin.Image::height).toArray(Integer[]::new))
                .bind("renditions", images.stream().map(i -> i.renditions() == null ? null
                        : json.writeValueAsString(i.renditions())).toArray(String[]::new))
                .then();
    }

    private static DatabaseClient.GenericExecuteSpec bindDraft(DatabaseClient.GenericExecuteSpec spec,
            BulletinDraft draft, Long categoryId) {
        spec = spec.bind("title", draft.title()).bind("summary", draft.summary()).bind("body", draft.body())
                .bind("bodyText", draft.bodyText()).bind("author", draft.author())
                .bind("authorSlug", Slugs.of(draft.author())).bind("language", draft.language())
                .bind("draft", draft.draft());
        spec = categoryId == null ? spec.bindNull("categoryId", Long.class) : spec.bind("categoryId", categoryId);
        return draft.publishedAt() == null ? spec.bindNull("publishedAt", java.time.OffsetDateTime.class)
                : spec.bind("publishedAt", draft.publishedAt());
    }
}
