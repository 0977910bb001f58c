package io.bantin.bulletin;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import io.bantin.answer.Answers;
import io.bantin.answer.PublicUrls;
import io.bantin.answer.PublicUrls.Route;
import io.bantin.answer.Target;
import io.bantin.change.Scopes;
import io.bantin.system.BantinProperties;
import io.bantin.web.Cursor;
import io.bantin.web.ProblemException;

/**
 * The JSON reads apps make, as cached reads: list pages for any filters, one bulletin, the category and tag
 * lists. Each request is canonicalised (known parameters only, in one order, values normalised, limit
 * clamped), so every spelling of one answer shares one copy.
 */
@Component
class BulletinReads {

    private static final String JSON = MediaType.APPLICATION_JSON_VALUE;

    /** One page of a list: {@code next} is the cursor of the following page, null on the last. */
    record Page(List<Object> items, String next) {
    }

    private final BulletinRepository bulletins;
    private final TaxonomyRepository taxonomy;
    private final JsonMapper json;
    private final BantinProperties properties;
    private final BulletinCatalog catalog;

    BulletinReads(BulletinRepository bulletins, TaxonomyRepository taxonomy, JsonMapper json,
            BantinProperties properties, BulletinCatalog catalog, Answers answers) {
        this.bulletins = bulletins;
        this.catalog = catalog;
        this.taxonomy = taxonomy;
        this.json = json;
        this.properties = properties;
        answers.register(Route.BULLETINS, (variables, query) -> list(query));
        answers.register(Route.BULLETIN, (variables, query) -> one(variables.get("idOrSlug"), Fields.of(query)));
        answers.register(Route.CATEGORIES, (variables, query) -> Target.of(Route.CATEGORIES.pattern(), JSON,
                List.of(Scopes.TAXONOMY), version -> taxonomy.categories().collectList().map(this::body)));
        answers.register(Route.TAGS, (variables, query) -> Target.of(Route.TAGS.pattern(), JSON,
                List.of(Scopes.TAXONOMY), version -> taxonomy.tags().collectList().map(this::body)));
    }

    private Target list(Map<String, List<String>> parameters) {
        BulletinQuery query = ListParameters.read(parameters, properties.zone());
        if (query.statuses() != null) {
            // A token holder's own list (BulletinHandler) is never cached: no cached answer may stand for it.
            throw new IllegalArgumentException("status lists are answered for their token alone");
        }
        Fields fields = Fields.of(parameters);
        return Target.of(key(query, fields), JSON, scopes(query),
                version -> page(query, fields).map(this::body));
    }

    /** One page of {@code query}, each bulletin cut to {@code fields}. */
    Mono<Page> page(BulletinQuery query, Fields fields) {
        return bulletins.list(query.withLimit(query.limit() + 1)).collectList().map(found -> {
            boolean more = found.size() > query.limit();
            List<Bulletin> items = more ? found.subList(0, query.limit()) : found;
            Bulletin last = more ? items.get(items.size() - 1) : null;
            String next = last == null ? null : new Cursor(last.publishedAt().toInstant(), last.id()).encode();
            return new Page(items.stream().map(b -> Fields.project(fields, b, json)).toList(), next);
        });
    }

    private Target one(String idOrSlug, Fields fields) {
        UUID id = BulletinHandler.uuidOrNull(idOrSlug);
        String key = PublicUrls.bulletin(idOrSlug) + (fields == null ? "" : "?fields=" + fields.canonical());
        Mono<List<String>> scopes = id != null ? Mono.just(List.of(Scopes.bulletin(id))) : catalog.scopes(idOrSlug);
        Mono<BulletinRows.Stored> found = id != null ? bulletins.findById(id) : bulletins.findBySlug(idOrSlug);
        return new Target(key, JSON, scopes, version -> found
                .switchIfEmpty(Mono.error(() -> ProblemException.notFound("No bulletin is called " + idOrSlug + ".")))
                .map(stored -> {
                    // A bulletin readers never saw is unknown to them, withdrawn or not: a 410 would confirm it existed.
                    switch (stored.visibility()) {
                        case WITHDRAWN -> throw new ProblemException(HttpStatus.GONE, "Bulletin " + idOrSlug + " was withdrawn.");
                        case HIDDEN -> throw ProblemException.notFound("No bulletin is called " + idOrSlug + ".");
                        case VISIBLE -> { }
                    }
                    return new Target.Body(document(Fields.project(fields, stored.bulletin(), json)),
                            etag(stored.bulletin(), fields));
                }));
    }

    /** The bulletin's own tag ({@code "<version>"}, what If-Match takes) for the whole; a weak one per fieldset. */
    static String etag(Bulletin bulletin, Fields fields) {
        return fields == null ? bulletin.etag()
                : "W/\"" + bulletin.version() + "-" + fields.canonical().replace(',', '.') + "\""; // commas separate tags
    }

    private Target.Body body(Object value) {
        return Target.Body.of(document(value));
    }

    /** A JSON document ending with a newline, as every JSON answer here does (whichever route sends it). */
    private byte[] document(Object value) {
        byte[] document = json.writeValueAsBytes(value);
        byte[] ended = Arrays.copyOf(document, document.length + 1);
        ended[document.length] = '\n';
        return ended;
    }

    /** The filters' scopes: a page of one category and one tag moves with either; searches and dates with the site. */
    static List<String> scopes(BulletinQuery query) {
        if (query.q() != null || query.since() != null || query.until() != null) {
            return List.of(Scopes.SITE);
        }
        List<String> scopes = new ArrayList<>(3);
        if (query.category() != null) {
            scopes.add(Scopes.category(query.category()));
        }
        if (query.tag() != null) {
            scopes.add(Scopes.tag(query.tag()));
        }
        if (query.author() != null) {
            scopes.add(Scopes.author(query.author()));
        }
        return scopes.isEmpty() ? List.of(Scopes.SITE) : List.copyOf(scopes);
    }

    /** The canonical key of a page: known parameters only, in alphabetical order, each value normalised. */
    static String key(BulletinQuery query, Fields fields) {
        StringBuilder key = new StringBuilder(Route.BULLETINS.pattern()).append('?');
        param(key, "author", query.author());
        param(key, "category", query.category());
        param(key, "cursor", query.after() == null ? null : query.after().encode());
        param(key, "fields", fields == null ? null : fields.canonical());
        param(key, "limit", Integer.toString(query.limit()));
        param(key, "q", query.q());
        param(key, "since", instant(query.since()));
        param(key, "tag", query.tag());
        param(key, "until", instant(query.until()));
        return key.substring(0, key.length() - 1);
    }

    private static void param(StringBuilder key, String name, String value) {
        if (value != null) {
            key.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&');
        }
    }

    private static String instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant().toString();
    }
}
