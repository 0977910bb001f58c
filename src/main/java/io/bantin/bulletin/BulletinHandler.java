package io.bantin.bulletin;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;
import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.bantin.answer.Answers;
import io.bantin.answer.PublicUrls.Route;
import io.bantin.security.TokenPrincipal;
import io.bantin.system.BantinProperties;
import io.bantin.web.Digests;
import io.bantin.web.EntityTags;
import io.bantin.web.JsonBodies;
import io.bantin.web.Negotiation;
import io.bantin.web.ProblemException;

/** The bulletin endpoints of the JSON API. */
@Component
class BulletinHandler {

    private static final int MAX_IDEMPOTENCY_KEY = 255;
    private static final List<MediaType> LIST_TYPES = List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_NDJSON);

    private final BulletinRepository bulletins;
    private final BulletinPublisher publisher;
    private final JsonBodies bodies;
    private final JsonMapper json;
    private final BantinProperties properties;
    private final Answers answers;
    private final BulletinExport export;
    private final BulletinReads reads;

    BulletinHandler(BulletinRepository bulletins, BulletinPublisher publisher, JsonBodies bodies, JsonMapper json,
            BantinProperties properties, Answers answers, BulletinExport export, BulletinReads reads) {
        this.reads = reads;
        this.bulletins = bulletins;
        this.publisher = publisher;
        this.bodies = bodies;
        this.json = json;
        this.properties = properties;
        this.answers = answers;
        this.export = export;
    }

    Mono<ServerResponse> create(ServerRequest request) {
        String key = request.headers().firstHeader("Idempotency-Key");
        if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY)) {
            return Mono.error(ProblemException.badRequest(
                    "Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters."));
        }
        return bodies.read(request)
                .zipWith(token(request))
                .flatMap(t -> publisher.create(BulletinDraftReader.read(t.getT1().tree()), t.getT2().id(), key,
                        Digests.sha256(t.getT1().bytes())))
                .flatMap(created -> ServerResponse.created(URI.create(created.bulletin().links().self()))
                        .eTag(created.bulletin().etag())
                        .headers(h -> {
                            if (created.replayed()) {
                                h.set("Idempotent-Replayed", "true");
                            }
                        })
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(created.bulletin()));
    }

    Mono<ServerResponse> list(ServerRequest request) {
        boolean ndjson = MediaType.APPLICATION_NDJSON.equals(Negotiation.choose(request.headers().accept(), LIST_TYPES));
        BulletinQuery query = ListParameters.read(request, properties.zone(), ndjson);
        if (query.statuses() != null) {
            // The list a token holder sees, drafts and scheduled ones of every publisher included: for it alone, never
            // cached, one page at a time (an NDJSON Accept gets a page too, not an export).
            return request.principal()
                    .switchIfEmpty(Mono.error(() -> new ProblemException(HttpStatus.UNAUTHORIZED,
                            "status lists hidden bulletins: send a publisher token.")))
                    .then(reads.page(query.limit() == null ? query.withLimit(ListParameters.DEFAULT_LIMIT) : query,
                            Fields.of(request.queryParams())))
                    .flatMap(page -> ServerResponse.ok().cacheControl(CacheControl.noStore())
                            .contentType(MediaType.APPLICATION_JSON).bodyValue(page));
        }
        if (ndjson) {
            return export.respond(request, query);
        }
        return answers.serve(Route.BULLETINS, request);
    }

    Mono<ServerResponse> get(ServerRequest request) {
        if (Answers.anonymous(request)) {
            return answers.serve(Route.BULLETIN, request);
        }
        // A publisher's token sees drafts and scheduled bulletins too: answered for it alone, never cached.
        String key = request.pathVariable("idOrSlug");
        Fields fields = Fields.of(request.queryParams());
        UUID id = uuidOrNull(key);
        Mono<BulletinRows.Stored> found = id != null ? bulletins.findById(id) : bulletins.findBySlug(key);
        return found.switchIfEmpty(Mono.error(() -> ProblemException.notFound("No bulletin is called " + key + ".")))
                .zipWith(request.principal().map(p -> true).defaultIfEmpty(false))
                .flatMap(t -> {
                    BulletinRows.Stored stored = t.getT1();
                    boolean publisher = t.getT2(); // publishers also see drafts and scheduled ones
                    if (stored.withdrawn() && (publisher || stored.visibility() == BulletinCatalog.Visibility.WITHDRAWN)) {
                        return Mono.error(new ProblemException(HttpStatus.GONE, "Bulletin " + key + " was withdrawn."));
                    }
                    if (stored.visibility() != BulletinCatalog.Visibility.VISIBLE && !publisher) {
                        return Mono.error(ProblemException.notFound("No bulletin is called " + key + "."));
                    }
                    Bulletin bulletin = stored.bulletin();
                    String etag = BulletinReads.etag(bulletin, fields);
                    if (EntityTags.notModified(request, etag)) {
                        return ServerResponse.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
                    }
                    return ServerResponse.ok().eTag(etag).cacheControl(CacheControl.noCache().cachePrivate())
                            .contentType(MediaType.APPLICATION_JSON).bodyValue(Fields.project(fields, bulletin, json));
                });
    }

    Mono<ServerResponse> replace(ServerRequest request) {
        UUID id = existingId(request);
        Integer expected = expectedVersion(request);
        return bodies.read(request)
                .flatMap(body -> publisher.replace(id, BulletinDraftReader.read(body.tree()), expected))
                .flatMap(bulletin -> ServerResponse.ok().eTag(bulletin.etag()).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(bulletin));
    }

    Mono<ServerResponse> withdraw(ServerRequest request) {
        return publisher.withdraw(existingId(request), expectedVersion(request))
                .then(ServerResponse.noContent().build());
    }

    private static Mono<TokenPrincipal> token(ServerRequest request) {
        return request.principal().cast(Authentication.class).map(a -> (TokenPrincipal) a.getPrincipal());
    }

    /**
     * The version named by {@code If-Match}: our ETags are {@code "<version>"}; a bare number is
     * accepted too. Null when absent or {@code *} (any current version).
     */
    private static Integer expectedVersion(ServerRequest request) {
        String value = request.headers().firstHeader(HttpHeaders.IF_MATCH);
        if (value == null || value.strip().equals("*")) {
            return null;
        }
        String tag = value.strip();
        tag = tag.startsWith("W/") ? tag.substring(2) : tag;
        tag = tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"") ? tag.substring(1, tag.length() - 1) : tag;
        try {
            return Integer.valueOf(tag);
        }
        catch (NumberFormatException e) {
            throw new ProblemException(HttpStatus.PRECONDITION_FAILED,
                    "If-Match " + value + " names no version of this bulletin.");
        }
    }

    private static UUID existingId(ServerRequest request) {
        String text = request.pathVariable("id");
        UUID id = uuidOrNull(text);
        if (id == null) {
            throw ProblemException.notFound("No bulletin has the id " + text + ".");
        }
        return id;
    }

    static UUID uuidOrNull(String text) {
        if (text.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(text);
        }
        catch (IllegalArgumentException e) {
            return null;
        }
    }
}
