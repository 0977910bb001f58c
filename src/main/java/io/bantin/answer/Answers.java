package io.bantin.answer;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.bantin.change.ScopeVersions;
import io.bantin.web.EntityTags;

/**
 * The one front door of every cacheable read: from a request's route and query to status, headers and bytes,
 * served from {@link AnswerCache} while the answer's scopes have not changed. Spring's handlers
 * ({@link #serve}) and the direct Netty route ({@link #now}) are adapters over {@link #answer}.
 */
@Component
public class Answers {

    /** Lets a CDN or reader hold a copy a minute, keep serving it while it revalidates, and through outages. */
    public static final String CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=60, stale-if-error=86400";

    /** An answer made for one client (who may see drafts): no shared cache may keep it. */
    static final String PRIVATE = "private, no-cache";

    /** IMF-fixdate (RFC 9110 5.6.7), as Spring writes it. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** Turns a route's path variables and query into its canonical {@link Target}; throws a problem for bad input. */
    @FunctionalInterface
    public interface Targets {
        Target of(Map<String, String> variables, Map<String, List<String>> query);
    }

    private final Map<PublicUrls.Route, Targets> targets = new EnumMap<>(PublicUrls.Route.class);
    private final ScopeVersions versions;
    private final AnswerCache cache;
    private final Counter notModified;
    private final Counter full;

    Answers(ScopeVersions versions, AnswerCache cache, MeterRegistry registry) {
        this.versions = versions;
        this.cache = cache;
        // bantin_cache_responses_total{status="304"} over all of them is the share of reads that cost nothing.
        this.notModified = Counter.builder("bantin.cache.responses").tag("status", "304")
                .description("Cacheable answers by status").register(registry);
        this.full = Counter.builder("bantin.cache.responses").tag("status", "200")
                .description("Cacheable answers by status").register(registry);
    }

    /** Makes {@code route} a cached read: each feature registers its own at start-up. */
    public void register(PublicUrls.Route route, Targets of) {
        targets.put(route, of);
    }

    /**
     * Spring's adapter: answers {@code route}. A request with credentials is rendered for itself, neither served
     * from the cache nor kept in it.
     */
    public Mono<ServerResponse> serve(PublicUrls.Route route, ServerRequest request) {
        return Mono.defer(() -> serve(request, targets.get(route).of(request.pathVariables(), request.queryParams())));
    }

    /** As above, for a target no {@link PublicUrls.Route} names (answered through Spring only). */
    public Mono<ServerResponse> serve(ServerRequest request, Target target) {
        return Mono.defer(() -> {
            HttpHeaders headers = request.headers().asHttpHeaders();
            Answer.Asked asked = new Answer.Asked(headers.getOrEmpty(HttpHeaders.IF_NONE_MATCH),
                    headers.getFirst(HttpHeaders.IF_MODIFIED_SINCE),
                    acceptsGzip(headers.getOrEmpty(HttpHeaders.ACCEPT_ENCODING)));
            return (anonymous(request) ? answer(target, asked) : uncached(target, asked)).flatMap(Answers::response);
        });
    }

    /** The answer to {@code target} rendered now, for one client only. */
    public Mono<Answer> uncached(Target target, Answer.Asked asked) {
        return target.scopes().flatMap(of -> versions.current(of).flatMap(version -> render(target, version, of)
                .map(rendered -> answer(rendered, version, asked, PRIVATE))));
    }

    /** Whether a request may be answered from the cache: one with credentials may see drafts. */
    public static boolean anonymous(ServerRequest request) {
        return !request.headers().asHttpHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
    }

    /**
     * The answer to {@code target}: the cached copy while its scopes' version is current (a 304 when the client
     * holds it), else rendered once for the current version and kept.
     */
    public Mono<Answer> answer(Target target, Answer.Asked asked) {
        Rendered copy = cache.peek(target.key());
        Mono<List<String>> scopes = copy != null ? Mono.just(copy.scopes()) : target.scopes();
        return scopes.flatMap(of -> versions.current(of).flatMap(version -> {
            if (copy != null && copy.version().equals(version.id())) {
                cache.hit();
                return Mono.just(answer(copy, version, asked));
            }
            return cache.get(target.key(), version.id(), () -> render(target, version, of))
                    .map(rendered -> answer(rendered, version, asked));
        }));
    }

    /**
     * The answer to a GET of {@code path} if it is cached for the version of its scopes this instance knows to be
     * current, without waiting on anything; null when only {@link #answer} can tell (or the request is bad).
     */
    public Answer now(String path, Map<String, List<String>> query, Answer.Asked asked) {
        PublicUrls.Match match = PublicUrls.match(path);
        Targets of = match == null ? null : targets.get(match.route());
        if (of == null) {
            return null;
        }
        Target target;
        try {
            target = of.of(match.variables(), query);
        }
        catch (RuntimeException badInput) {
            return null; // Spring answers it with its problem
        }
        Rendered copy = cache.peek(target.key());
        ScopeVersions.Version version = copy == null ? null : versions.fresh(copy.scopes());
        if (version == null || !version.id().equals(copy.version())) {
            return null;
        }
        cache.hit();
        return answer(copy, version, asked);
    }

    private Mono<Rendered> render(Target target, ScopeVersions.Version version, List<String> scopes) {
        return target.render().apply(version).map(body -> new Rendered(body.bytes(), Rendered.gzip(body.bytes()),
                target.contentType(), body.etag() != null ? body.etag() : etag(version, target.key()),
                version.lastModified(), List.copyOf(scopes), target.headers(), version.id()));
    }

    private Answer answer(Rendered rendered, ScopeVersions.Version version, Answer.Asked asked) {
        return answer(rendered, version, asked, CACHE_CONTROL);
    }

    private Answer answer(Rendered rendered, ScopeVersions.Version version, Answer.Asked asked, String cacheControl) {
        boolean unchanged = notModified(asked, rendered);
        (unchanged ? notModified : full).increment();
        List<String> headers = new ArrayList<>(24);
        add(headers, HttpHeaders.ETAG, rendered.etag());
        add(headers, HttpHeaders.LAST_MODIFIED, HTTP_DATE.format(rendered.lastModified()));
        add(headers, HttpHeaders.CACHE_CONTROL, cacheControl);
        add(headers, HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
        // Names the answer's scopes so a CDN can purge by them (Fastly's and others' surrogate keys).
        add(headers, "Surrogate-Key", String.join(" ", rendered.scopes()));
        if (version.stale()) {
            // The database is out of reach: this is the last copy rendered (RFC 7234 5.5.1).
            add(headers, HttpHeaders.WARNING, "110 - \"Response is Stale\"");
        }
        headers.addAll(List.of(rendered.headers()));
        if (unchanged) {
            return new Answer(304, headers.toArray(String[]::new), null);
        }
        byte[] body = asked.gzip() ? rendered.gzip() : rendered.identity();
        if (asked.gzip()) {
            add(headers, HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        add(headers, HttpHeaders.CONTENT_TYPE, rendered.contentType());
        add(headers, HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length));
        return new Answer(200, headers.toArray(String[]::new), body);
    }

    private static void add(List<String> headers, String name, String value) {
        headers.add(name);
        headers.add(value);
    }

    private static Mono<ServerResponse> response(Answer answer) {
        ServerResponse.BodyBuilder builder = ServerResponse.status(answer.status()).headers(h -> {
            String[] pairs = answer.headers();
            for (int i = 0; i < pairs.length; i += 2) {
                h.add(pairs[i], pairs[i + 1]);
            }
        });
        byte[] body = answer.body();
        // Ready bytes go straight out: no codec lookup, no copy (the array is never written to).
        return body == null ? builder.build()
                : builder.body(BodyInserters.fromDataBuffers(Mono.fromSupplier(
                        () -> DefaultDataBufferFactory.sharedInstance.wrap(body))));
    }

    /** Weak: the gzip and identity forms share it (RFC 9110 8.8.1); it moves with the answer's scopes. */
    static String etag(ScopeVersions.Version version, String key) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return "W/\"" + version.id() + "." + Long.toString(crc.getValue(), 36) + "\"";
    }

    /** If-None-Match wins; If-Modified-Since counts only without it (RFC 9110 13.1.3). */
    static boolean notModified(Answer.Asked asked, Rendered rendered) {
        if (!asked.ifNoneMatch().isEmpty()) {
            return EntityTags.notModified(asked.ifNoneMatch(), rendered.etag());
        }
        long since = epochMillis(asked.ifModifiedSince());
        return since >= 0 && rendered.lastModified().toEpochMilli() <= since;
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

    /** Whether {@code Accept-Encoding} admits gzip (q=0 refuses it). */
    public static boolean acceptsGzip(List<String> acceptEncoding) {
        for (String value : acceptEncoding) {
            for (String coding : value.split(",")) {
                String[] parts = coding.strip().split(";", -1); // -1: ";" alone is one empty coding, not none
                String name = parts[0].strip().toLowerCase(Locale.ROOT);
                boolean refused = parts.length > 1 && parts[1].strip().matches("q\\s*=\\s*0(\\.0*)?");
                if ((name.equals("gzip") || name.equals("x-gzip")) && !refused) {
                    return true;
                }
            }
        }
        return false;
    }
}
