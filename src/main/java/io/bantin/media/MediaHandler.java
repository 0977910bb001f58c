package io.bantin.media;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.bantin.answer.Answer;
import io.bantin.answer.PublicUrls;
import io.bantin.security.TokenPrincipal;
import io.bantin.system.BantinProperties;
import io.bantin.web.Cursor;
import io.bantin.web.ProblemException;

/** The media endpoints: upload, read, list and delete photos (publisher token), and their public files. */
@Component
class MediaHandler {

    private static final int MAX_IDEMPOTENCY_KEY = 255;
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final MediaLibrary library;
    private final MediaRepository media;
    private final MediaFiles files;
    private final UploadReader uploads;
    private final BantinProperties properties;

    MediaHandler(MediaLibrary library, MediaRepository media, MediaFiles files, MediaProperties limits,
            BantinProperties properties) {
        this.properties = properties;
        this.library = library;
        this.media = media;
        this.files = files;
        this.uploads = new UploadReader(limits.maxBytes().toBytes());
    }

    Mono<ServerResponse> upload(ServerRequest request) {
        String key = request.headers().firstHeader("Idempotency-Key");
        if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY)) {
            return Mono.error(ProblemException.badRequest(
                    "Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters."));
        }
        return token(request).flatMap(token -> library.upload(uploads.read(request), token.id(), key))
                .flatMap(stored -> ServerResponse.created(URI.create(self(stored.media())))
                        .headers(h -> {
                            if (stored.replayed()) {
                                h.set("Idempotent-Replayed", "true");
                            }
                        })
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(stored.media()));
    }

    Mono<ServerResponse> get(ServerRequest request) {
        UUID id = id(request);
        return media.find(id)
                .switchIfEmpty(Mono.error(() -> ProblemException.notFound("No photo has the id " + id + ".")))
                .flatMap(found -> ServerResponse.ok().cacheControl(CacheControl.noCache().cachePrivate())
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(found));
    }

    Mono<ServerResponse> list(ServerRequest request) {
        int limit = limit(request);
        Cursor after = request.queryParam("cursor").map(Cursor::decode).orElse(null);
        return media.page(after, limit + 1).collectList().flatMap(found -> {
            List<Media> items = found.size() > limit ? found.subList(0, limit) : found;
            String next = found.size() > limit
                    ? new Cursor(items.get(limit - 1).createdAt().toInstant(), items.get(limit - 1).id()).encode() : null;
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("items", items);
            page.put("next", next);
            return ServerResponse.ok().cacheControl(CacheControl.noCache().cachePrivate())
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(page);
        });
    }

    Mono<ServerResponse> delete(ServerRequest request) {
        UUID id = id(request);
        return library.delete(id).flatMap(deletion -> {
            if (deletion instanceof MediaRepository.Deletion.Deleted) {
                return ServerResponse.noContent().build();
            }
            if (deletion instanceof MediaRepository.Deletion.InUse) {
                return Mono.error(new ProblemException(HttpStatus.CONFLICT, "Photo " + id + " is used by a bulletin "
                        + "readers can see (or will at its time): take it out of that bulletin first."));
            }
            return Mono.error(ProblemException.notFound("No photo has the id " + id + "."));
        });
    }

    /** A photo's file, through the same front door as the direct route. */
    Mono<ServerResponse> file(ServerRequest request) {
        HttpHeaders headers = request.headers().asHttpHeaders();
        Answer.Asked asked = new Answer.Asked(headers.getOrEmpty(HttpHeaders.IF_NONE_MATCH),
                headers.getFirst(HttpHeaders.IF_MODIFIED_SINCE), false);
        return files.answer(request.path(), asked, request.method() == HttpMethod.HEAD).flatMap(MediaHandler::response);
    }

    static Mono<ServerResponse> response(Answer answer) {
        ServerResponse.BodyBuilder builder = ServerResponse.status(answer.status()).headers(h -> {
            String[] pairs = answer.headers();
            for (int i = 0; i < pairs.length; i += 2) {
                h.add(pairs[i], pairs[i + 1]);
            }
        });
        byte[] body = answer.body();
        return body == null ? builder.build() : builder.body(BodyInserters.fromDataBuffers(
                Mono.fromSupplier(() -> DefaultDataBufferFactory.sharedInstance.wrap(body))));
    }

    private String self(Media m) {
        return properties.url(PublicUrls.media(m.id()));
    }

    private static int limit(ServerRequest request) {
        String text = request.queryParam("limit").orElse(null);
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        }
        catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT + ".");
    }

    private static UUID id(ServerRequest request) {
        String text = request.pathVariable("id");
        try {
            if (text.length() == 36) {
                return UUID.fromString(text);
            }
        }
        catch (IllegalArgumentException e) {
            // answered below
        }
        throw ProblemException.notFound("No photo has the id " + text + ".");
    }

    private static Mono<TokenPrincipal> token(ServerRequest request) {
        return request.principal().cast(Authentication.class).map(a -> (TokenPrincipal) a.getPrincipal());
    }
}
