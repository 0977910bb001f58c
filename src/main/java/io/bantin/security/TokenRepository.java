package io.bantin.security;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import io.bantin.system.BantinProperties;

/** API tokens, stored as hashes; revoked tokens stay listed so an audit can see them. */
@Repository
class TokenRepository {

    /** A token as listed to admins: never its secret. */
    record TokenView(UUID id, String name, String role, OffsetDateTime createdAt, OffsetDateTime revokedAt) {
    }

    private final DatabaseClient db;
    private final ZoneId zone;

    TokenRepository(DatabaseClient db, BantinProperties properties) {
        this.db = db;
        this.zone = properties.zone();
    }

    /** The active token with this hash, looked up fresh on every request so a revocation applies at once. */
    Mono<TokenPrincipal> findActive(byte[] hash) {
        return db.sql("SELECT id, name, role, token_hash FROM api_tokens WHERE token_hash = :hash AND revoked_at IS NULL")
                .bind("hash", hash)
                .map(row -> Map.entry(row.get("token_hash", byte[].class), new TokenPrincipal(row.get("id", UUID.class),
                        row.get("name", String.class), row.get("role", String.class))))
                .one()
                .filter(found -> Tokens.same(found.getKey(), hash))
                .map(Map.Entry::getValue);
    }

    Mono<TokenView> insert(String name, String role, byte[] hash) {
        return db.sql("""
                INSERT INTO api_tokens (id, name, role, token_hash) VALUES (gen_random_uuid(), :name, :role, :hash)
                ON CONFLICT (token_hash) DO NOTHING
                RETURNING id, name, role, created_at, revoked_at""")
                .bind("name", name).bind("role", role).bind("hash", hash)
                .map(this::view).one();
    }

    Flux<TokenView> all() {
        return db.sql("SELECT id, name, role, created_at, revoked_at FROM api_tokens ORDER BY created_at, id")
                .map(this::view).all();
    }

    /** True when an active token was revoked. */
    Mono<Boolean> revoke(UUID id) {
        return db.sql("UPDATE api_tokens SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL")
                .bind("id", id).fetch().rowsUpdated().map(n -> n > 0);
    }

    /** Serializes first-admin generation across instances until the caller's transaction ends. */
    Mono<Void> lockAdminBootstrap() {
        return db.sql("SELECT pg_advisory_xact_lock(hashtext('bantin.admin-token'))").then();
    }

    Mono<Boolean> anyAdminEver() {
        return db.sql("SELECT 1 FROM api_tokens WHERE role = 'admin' LIMIT 1").map(row -> 1).one().hasElement();
    }

    private TokenView view(Readable row) {
        return new TokenView(row.get("id", UUID.class), row.get("name", String.class), row.get("role", String.class),
                local(row.get("created_at", OffsetDateTime.class)), local(row.get("revoked_at", OffsetDateTime.class)));
    }

    private OffsetDateTime local(OffsetDateTime at) {
        return at == null ? null : at.atZoneSameInstant(zone).toOffsetDateTime().truncatedTo(ChronoUnit.SECONDS);
    }
}
