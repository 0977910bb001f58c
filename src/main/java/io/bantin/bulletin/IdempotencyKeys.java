package io.bantin.bulletin;

import java.util.Arrays;
import java.time.Duration;
import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * Remembers which bulletin a create with an {@code Idempotency-Key} made, per token. Claiming a key
 * inserts its row in the create's transaction: a concurrent retry waits on that row and then finds
 * the first request's bulletin, so two retries never make two bulletins.
 */
@Repository
class IdempotencyKeys {

    /** What a key already stands for; {@code bulletinId} is null while the first request is in flight. */
    record Previous(byte[] requestHash, UUID bulletinId) {

        boolean sameRequest(byte[] hash) {
            return Arrays.equals(requestHash, hash);
        }
    }

    private final DatabaseClient db;

    IdempotencyKeys(DatabaseClient db) {
        this.db = db;
    }

    /** Empty when this request claimed the key; otherwise what the earlier request left. */
    Mono<Previous> claim(UUID tokenId, String key, byte[] requestHash) {
        return db.sql("""
                INSERT INTO idempotency_keys (token_id, key, request_hash) VALUES (:token, :key, :hash)
                ON CONFLICT DO NOTHING RETURNING true AS claimed""")
                .bind("token", tokenId).bind("key", key).bind("hash", requestHash)
                .map(row -> true).one()
                .hasElement()
                .flatMap(claimed -> claimed ? Mono.empty() : db.sql("""
                        SELECT request_hash, bulletin_id FROM idempotency_keys WHERE token_id = :token AND key = :key""")
                        .bind("token", tokenId).bind("key", key)
                        .map(row -> new Previous(row.get("request_hash", byte[].class), row.get("bulletin_id", UUID.class)))
                        .one());
    }

    /** Forgets keys older than {@code age}: a retry comes within minutes, not days. */
    Mono<Long> deleteOlderThan(Duration age) {
        return db.sql("DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => :seconds)")
                .bind("seconds", (double) age.toSeconds()).fetch().rowsUpdated();
    }

    Mono<Void> complete(UUID tokenId, String key, UUID bulletinId) {
        return db.sql("UPDATE idempotency_keys SET bulletin_id = :bulletin WHERE token_id = :token AND key = :key")
                .bind("bulletin", bulletinId).bind("token", tokenId).bind("key", key).then();
    }
}
