package io.bantin.feed;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.bantin.answer.Answers;
import io.bantin.answer.PublicUrls;
import io.bantin.answer.PublicUrls.Route;
import io.bantin.answer.Target;
import io.bantin.bulletin.BulletinCatalog;
import io.bantin.change.Scopes;
import io.bantin.system.BantinProperties;
import io.bantin.web.Cursor;
import io.bantin.web.Digests;
import io.bantin.web.ProblemException;
import io.bantin.websub.WebSubProperties;

/** The feeds and the OPML directory as cached reads: each request canonicalised to a {@link Target}. */
@Component
class FeedHandler {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    static final String OPML = "text/x-opml;charset=utf-8";

    private final FeedAssembler assembler;
    private final Map<FeedFormat, FeedRenderer> renderers = new EnumMap<>(FeedFormat.class);
    private final OpmlRenderer opml;
    private final BulletinCatalog catalog;
    private final Answers answers;
    private final BantinProperties properties;
    private final WebSubProperties websub;

    FeedHandler(FeedAssembler assembler, List<FeedRenderer> renderers, OpmlRenderer opml, BulletinCatalog catalog,
            Answers answers, BantinProperties properties, WebSubProperties websub) {
        this.assembler = assembler;
        renderers.forEach(renderer -> this.renderers.put(renderer.format(), renderer));
        this.opml = opml;
        this.catalog = catalog;
        this.answers = answers;
        this.properties = properties;
        this.websub = websub;
        answers.register(Route.OPML, (variables, query) -> opml());
        answers.register(Route.SITE_FEED, (variables, query) -> feed(FeedScope.SITE, variables, query));
        answers.register(Route.CATEGORY_FEED,
                (variables, query) -> feed(FeedScope.category(variables.get("slug")), variables, query));
        answers.register(Route.TAG_FEED, (variables, query) -> feed(FeedScope.tag(variables.get("slug")), variables, query));
        answers.register(Route.AUTHOR_FEED,
                (variables, query) -> feed(FeedScope.author(variables.get("slug")), variables, query));
    }

    Mono<ServerResponse> site(ServerRequest request) {
        return answers.serve(Route.SITE_FEED, request);
    }

    Mono<ServerResponse> category(ServerRequest request) {
        return answers.serve(Route.CATEGORY_FEED, request);
    }

    Mono<ServerResponse> tag(ServerRequest request) {
        return answers.serve(Route.TAG_FEED, request);
    }

    Mono<ServerResponse> author(ServerRequest request) {
        return answers.serve(Route.AUTHOR_FEED, request);
    }

    Mono<ServerResponse> opml(ServerRequest request) {
        return answers.serve(Route.OPML, request);
    }

    /** Made of the taxonomy and of the site too: it lists authors, whom an edit can add or rename without a count moving. */
    private Target opml() {
        return Target.of(PublicUrls.OPML, OPML, List.of(Scopes.TAXONOMY, Scopes.SITE), version -> Mono.zip(
                        catalog.categories().collectList(), catalog.tags().collectList(), catalog.authors().collectList())
                .publishOn(Schedulers.boundedElastic()) // Rome reads its plugin list from the classpath on first use
                .map(t -> Target.Body.of(opml.render(new OpmlRenderer.Directory(t.getT1(), t.getT2(), t.getT3()),
                        version.lastModified()))));
    }

    private Target feed(FeedScope scope, Map<String, String> variables, Map<String, List<String>> query) {
        String file = variables.get("file");
        FeedFormat format = FeedFormat.byFile(file).orElseThrow(() -> ProblemException
                .notFound("Feeds are rss.xml, atom.xml and feed.json; not " + file + "."));
        List<String> before = query.get("before");
        FeedPage page = new FeedPage(limit(query), before == null || before.isEmpty() || before.get(0).isEmpty() ? null
                : Cursor.decode(before.get(0)));
        FeedRenderer renderer = renderers.get(format);
        String path = scope.path(format);
        // WebSub discovery by header too (https://www.w3.org/TR/websub/#discovery); null when WebSub is off.
        String links = websub.linkHeader(properties.url(path));
        String[] headers = links == null ? new String[0] : new String[] {HttpHeaders.LINK, links};
        String key = path + (page.before() == null ? "" : "?before=" + page.before().encode())
                + (page.limit() == DEFAULT_LIMIT ? "" : (page.before() == null ? "?" : "&") + "limit=" + page.limit());
        if (page.before() == null) {
            return Target.of(key, format.mediaType().toString(), List.of(scope.scope()), version -> assembler
                    .snapshot(scope, page, version.lastModified()).map(renderer::render).map(Target.Body::of), headers);
        }
        return Target.of(key, format.mediaType().toString(), archivedScopes(scope, page), version -> assembler
                .snapshot(scope, page, version.lastModified()).map(renderer::render).map(FeedHandler::archived), headers);
    }

    /**
     * An older page changes only with its scope's archive (see {@link Scopes#archive}); one whose cursor is so
     * recent that a publish at the head could still land below it moves with every write to the scope as well.
     */
    static List<String> archivedScopes(FeedScope scope, FeedPage page) {
        String archive = Scopes.archive(scope.scope());
        boolean recent = page.before().publishedAt().isAfter(Instant.now().minus(Scopes.HEAD));
        return recent ? List.of(archive, scope.scope()) : List.of(archive);
    }

    /**
     * An older page's entity tag is its bytes' digest: the same on every instance and after every re-render
     * (a write elsewhere in the scope re-renders it), so a reader's If-None-Match holds until the page differs.
     */
    static Target.Body archived(byte[] bytes) {
        byte[] digest = Digests.sha256(bytes);
        return new Target.Body(bytes, "W/\"p." + HexFormat.of().formatHex(digest, 0, 12) + "\"");
    }

    /** The limit asked for, clamped to {@link #MAX_LIMIT}: every larger one is the same answer. */
    private static int limit(Map<String, List<String>> query) {
        List<String> values = query.get("limit");
        String value = values == null || values.isEmpty() ? null : values.get(0).strip();
        if (value == null || value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit < 1) {
                throw ProblemException.badRequest("limit must be at least 1.");
            }
            return Math.min(limit, MAX_LIMIT);
        }
        catch (NumberFormatException e) {
            throw ProblemException.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT + ".");
        }
    }
}
