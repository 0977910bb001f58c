package io.bantin.feed;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.zip.CRC32;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.bantin.change.ScopeVersions;
import io.bantin.change.Scopes;
import io.bantin.web.EntityTags;

/**
 * Answers GETs of rendered, publicly cacheable resources (feeds, reader pages): validators from the
 * feed generation, 304 straight from memory, the render cache, gzip when the client accepts it.
 */
@Component
public class CachedResponses {

    /** Lets a CDN or reader hold a copy briefly; validators make the next poll cheap. */
    static final CacheControl CACHE_CONTROL = CacheControl.maxAge(Duration.ofSeconds(60)).cachePublic();

    /** IMF-fixdate (RFC 9110 5.6.7), as Spring writes it. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** Until answers name their own scopes, each depends on the whole site. */
    static final Set<String> SITE = Set.of(Scopes.SITE);

    private final ScopeVersions generations;
    private final RenderCache cache;
    private final Counter notModified;
    private final Counter full;

    CachedResponses(ScopeVersions generations, RenderCache cache, MeterRegistry registry) {
        this.generations = generations;
        this.cache = cache;
        // bantin_feed_responses_total{status="304"} over all of them is the share of polls that cost nothing.
        this.notModified = Counter.builder("bantin.feed.responses").tag("status", "304")
                .description("Feed and page answers by status").register(registry);
        this.full = Counter.builder("bantin.feed.responses").tag("status", "200")
                .description("Feed and page answers by status").register(registry);
    }

    /**
     * Serves {@code key} (the path and every query parameter that changes the bytes) as {@code type},
     * calling {@code render} only when the current generation has no copy yet.
     */
    public Mono<ServerResponse> serve(ServerRequest request, String key, MediaType type,
            Function<ScopeVersions.Version, Mono<byte[]>> render) {
        return serve(request, key, type, render, headers -> { });
    }

    /** As above, with {@code extra} headers on the 200 and the 304 alike (a 304 repeats what a 200 would send). */
    Mono<ServerResponse> serve(ServerRequest request, String key, MediaType type,
            Function<ScopeVersions.Version, Mono<byte[]>> render, Consumer<HttpHeaders> extra) {
        // Never answered within the dispatching call: LaterTurnWebFilter starts every request on a later turn.
        return generations.current(SITE).flatMap(generation -> {
            String etag = etag(generation, key);
            HttpHeaders asked = request.headers().asHttpHeaders();
            if (notModified(asked.getOrEmpty(HttpHeaders.IF_NONE_MATCH), asked.getFirst(HttpHeaders.IF_MODIFIED_SINCE),
                    etag, generation)) {
                counted(true);
                return ServerResponse.status(HttpStatus.NOT_MODIFIED).headers(h -> {
                    validators(h::set, etag, generation);
                    extra.accept(h);
                }).build();
            }
            counted(false);
            boolean gzip = acceptsGzip(asked.getOrEmpty(HttpHeaders.ACCEPT_ENCODING));
            return cache.get(key, generation.id(), () -> render.apply(generation)).flatMap(rendered -> {
                byte[] bytes = gzip ? rendered.gzip() : rendered.identity();
                return ServerResponse.ok()
                        .headers(h -> {
                            validators(h::set, etag, generation);
                            extra.accept(h);
                            if (gzip) {
                                h.set(HttpHeaders.CONTENT_ENCODING, "gzip");
                            }
                            h.setContentLength(bytes.length);
                        })
                        .contentType(type)
                        // Ready bytes go straight out: no codec lookup, no copy (the array is never written to).
                        .body(BodyInserters.fromDataBuffers(Mono.fromSupplier(
                                () -> DefaultDataBufferFactory.sharedInstance.wrap(bytes))));
            });
        });
    }

    /** Counts an answer in {@code bantin.feed.responses}: a 304, or a 200 with the body. */
    void counted(boolean notModified) {
        (notModified ? this.notModified : full).increment();
    }

    /** Weak: the gzip and identity forms share it (RFC 9110 8.8.1); it changes with every write. */
    static String etag(ScopeVersions.Version generation, String key) {
        return "W/\"" + generation.id() + "." + crc(key) + "\"";
    }

    /** The validators and caching headers, the same on a 200 and a 304, whichever web layer answers. */
    static void validators(BiConsumer<String, String> header, String etag, ScopeVersions.Version generation) {
        header.accept(HttpHeaders.ETAG, etag);
        header.accept(HttpHeaders.LAST_MODIFIED, HTTP_DATE.format(generation.lastModified()));
        header.accept(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL.getHeaderValue());
        header.accept(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
        if (generation.stale()) {
            // The database is out of reach: this is the last copy rendered (RFC 7234 5.5.1).
            header.accept(HttpHeaders.WARNING, "110 - \"Response is Stale\"");
        }
    }

    /** If-None-Match wins; If-Modified-Since counts only without it (RFC 9110 13.1.3). */
    static boolean notModified(List<String> ifNoneMatch, String ifModifiedSince, String etag,
            ScopeVersions.Version generation) {
        if (!ifNoneMatch.isEmpty()) {
            return EntityTags.notModified(ifNoneMatch, etag);
        }
        long since = epochMillis(ifModifiedSince);
        return since >= 0 && generation.lastModified().toEpochMilli() <= since;
    }

    private static long epochMillis(String httpDate) {
        if (httpDate == null) {
            return -1;
        }
        try {
            return ZonedDateTime.parse(httpDate.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        }
        catch (DateTimeParseException e) {
            return -1; // an unreadable date validates nothing
        }
    }

    static boolean acceptsGzip(List<String> acceptEncoding) {
        for (String value : acceptEncoding) {
            for (String coding : value.split(",")) {
                String[] parts = coding.strip().split(";");
                String name = parts[0].strip().toLowerCase(Locale.ROOT);
                boolean refused = parts.length > 1 && parts[1].strip().matches("q\\s*=\\s*0(\\.0*)?");
                if ((name.equals("gzip") || name.equals("x-gzip")) && !refused) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String crc(String key) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return Long.toString(crc.getValue(), 36);
    }
}
