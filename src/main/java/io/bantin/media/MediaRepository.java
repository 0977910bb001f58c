package io.bantin.media;

import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import io.bantin.answer.PublicUrls;
import io.bantin.system.BantinProperties;
import io.bantin.web.Cursor;

/** Reads and writes photos and their files with hand-written SQL; writes run inside the caller's transaction. */
@Repository
class MediaRepository {

    private static final String SELECT = """
            SELECT m.id, m.key, m.alt, m.caption, m.credit, m.created_at,
                   array_agg(f.width ORDER BY f.width) AS widths, array_agg(f.height ORDER BY f.width) AS heights,
                   array_agg(f.type ORDER BY f.width) AS types, array_agg(f.length ORDER BY f.width) AS lengths
            FROM media m JOIN media_files f ON f.media_id = m.id
            """;

    /** Shown to readers or about to be: a photo such a bulletin uses stays. */
    private static final String IN_USE = """
            EXISTS (SELECT 1 FROM bulletin_images i JOIN bulletins b ON b.id = i.bulletin_id
                    WHERE i.media_id = m.id AND b.withdrawn_at IS NULL AND b.status <> 'draft')""";

    /** A rendition's bytes and what its answer says of them. */
    record StoredFile(UUID mediaId, String type, byte[] bytes, OffsetDateTime createdAt) {
    }

    private final DatabaseClient db;
    private final BantinProperties properties;

    MediaRepository(DatabaseClient db, BantinProperties properties) {
        this.db = db;
        this.properties = properties;
    }

    Mono<Void> insert(UUID id, String key, MediaLibrary.Words words, UUID tokenId, List<RenditionMaker.File> files) {
        DatabaseClient.GenericExecuteSpec insert = db.sql("""
                INSERT INTO media (id, key, alt, caption, credit, token_id) VALUES (:id, :key, :alt, :caption, :credit, :token)""")
                .bind("id", id).bind("key", key).bind("alt", words.alt()).bind("caption", words.caption())
                .bind("credit", words.credit());
        // The demo's photos are the server's own: no token uploaded them.
        Mono<Void> media = (tokenId == null ? insert.bindNull("token", UUID.class) : insert.bind("token", tokenId)).then();
        return media.thenMany(Flux.fromIterable(files).concatMap(file -> db.sql("""
                        INSERT INTO media_files (media_id, width, height, type, length, bytes)
                        VALUES (:id, :width, :height, :type, :length, :bytes)""")
                        .bind("id", id).bind("width", file.width()).bind("height", file.height())
                        .bind("type", file.type()).bind("length", file.bytes().length)
                        .bind("bytes", ByteBuffer.wrap(file.bytes())).then()))
                .then();
    }

    Mono<Media> find(UUID id) {
        return db.sql(SELECT + " WHERE m.id = :id GROUP BY m.id").bind("id", id).map(this::map).one();
    }

    Flux<Media> findAll(Collection<UUID> ids) {
        // Locked for share until the caller's transaction ends: a delete (which locks for update) waits for the
        // bulletin naming them to commit, then sees it and answers 409, never leaving a bulletin without its photo.
        return db.sql("SELECT id FROM media WHERE id = ANY(:ids) FOR SHARE").bind("ids", ids.toArray(UUID[]::new))
                .map(row -> row.get("id", UUID.class)).all()
                .thenMany(db.sql(SELECT + " WHERE m.id = ANY(:ids) GROUP BY m.id").bind("ids", ids.toArray(UUID[]::new))
                        .map(this::map).all());
    }

    /** A page of photos, newest first, after {@code after} when given. */
    Flux<Media> page(Cursor after, int limit) {
        String where = after == null ? "" : " WHERE (m.created_at, m.id) < (:at, :id)";
        DatabaseClient.GenericExecuteSpec spec = db.sql(SELECT + where
                + " GROUP BY m.id ORDER BY m.created_at DESC, m.id DESC LIMIT :limit").bind("limit", limit);
        if (after != null) {
            spec = spec.bind("at", after.publishedAt().atOffset(java.time.ZoneOffset.UTC)).bind("id", after.id());
        }
        return spec.map(this::map).all();
    }

    /** The bytes of the {@code width} rendition of the photos whose files hash to {@code key}. */
    Mono<StoredFile> file(String key, int width) {
        return db.sql("""
                SELECT m.id, f.type, f.bytes, m.created_at FROM media m JOIN media_files f ON f.media_id = m.id
                WHERE m.key = :key AND f.width = :width LIMIT 1""")
                .bind("key", key).bind("width", width)
                .map(row -> new StoredFile(row.get("id", UUID.class), row.get("type", String.class),
                        bytes(row.get("bytes", ByteBuffer.class)), row.get("created_at", OffsetDateTime.class)))
                .one();
    }

    /** What deleting found: nothing by that id, a photo a visible bulletin uses (kept), or its key (deleted). */
    sealed interface Deletion {
        record Missing() implements Deletion { }
        record InUse() implements Deletion { }
        record Deleted(String key) implements Deletion { }
    }

    Mono<Deletion> delete(UUID id) {
        // The lock first, in a statement of its own: the check after it sees whatever a publish holding the photo
        // committed while this waited (under READ COMMITTED each statement sees what was committed before it began).
        return db.sql("SELECT id FROM media WHERE id = :id FOR UPDATE").bind("id", id).map(row -> true).all()
                .then(db.sql("DELETE FROM media m WHERE m.id = :id AND NOT " + IN_USE + " RETURNING m.key")
                .bind("id", id).map(row -> (Deletion) new Deletion.Deleted(row.get("key", String.class))).one()
                .switchIfEmpty(db.sql("SELECT 1 FROM media WHERE id = :id").bind("id", id).map(row -> true).one()
                        .map(exists -> (Deletion) new Deletion.InUse())
                        .defaultIfEmpty(new Deletion.Missing())));
    }

    /** The photo an earlier upload with this key made, with the hash of that request; empty when none. */
    Mono<MediaLibrary.Previous> previous(UUID tokenId, String key) {
        return db.sql("SELECT request_hash, media_id FROM idempotency_keys WHERE token_id = :token AND key = :key")
                .bind("token", tokenId).bind("key", "media:" + key)
                .map(row -> new MediaLibrary.Previous(row.get("request_hash", byte[].class), row.get("media_id", UUID.class)))
                .one();
    }

    /** Claims the key for the photo just written; false when a concurrent retry claimed it first. */
    Mono<Boolean> claim(UUID tokenId, String key, byte[] requestHash, UUID mediaId) {
        return db.sql("""
                INSERT INTO idempotency_keys (token_id, key, request_hash, media_id) VALUES (:token, :key, :hash, :media)
                ON CONFLICT DO NOTHING RETURNING true AS claimed""")
                .bind("token", tokenId).bind("key", "media:" + key).bind("hash", requestHash).bind("media", mediaId)
                .map(row -> true).one().defaultIfEmpty(false);
    }

    private Media map(Readable row) {
        String key = row.get("key", String.class);
        Integer[] widths = row.get("widths", Integer[].class);
        Integer[] heights = row.get("heights", Integer[].class);
        String[] types = row.get("types", String[].class);
        Integer[] lengths = row.get("lengths", Integer[].class);
        List<Media.Rendition> renditions = new ArrayList<>(widths.length);
        for (int i = 0; i < widths.length; i++) {
            renditions.add(new Media.Rendition(properties.url(PublicUrls.mediaFile(key, widths[i], extension(types[i]))),
                    types[i], widths[i], heights[i], lengths[i]));
        }
        Media.Rendition largest = renditions.get(renditions.size() - 1);
        return new Media(row.get("id", UUID.class), largest.url(), largest.type(), largest.width(), largest.height(),
                largest.length(), row.get("alt", String.class), row.get("caption", String.class),
                row.get("credit", String.class), List.copyOf(renditions),
                row.get("created_at", OffsetDateTime.class).atZoneSameInstant(properties.zone()).toOffsetDateTime());
    }

    static String extension(String type) {
        return type.equals("image/png") ? "png" : "jpg";
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
