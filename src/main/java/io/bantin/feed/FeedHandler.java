package io.bantin.feed;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.bantin.bulletin.BulletinCatalog;
import io.bantin.system.BantinProperties;
import io.bantin.web.Cursor;
import io.bantin.web.ProblemException;
import io.bantin.websub.WebSubProperties;

/** The feed endpoints: parse the request, then let {@link CachedResponses} answer from the cache. */
@Component
class FeedHandler {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    static final MediaType OPML = MediaType.parseMediaType("text/x-opml;charset=utf-8");

    private final FeedAssembler assembler;
    private final Map<FeedFormat, FeedRenderer> renderers = new EnumMap<>(FeedFormat.class);
    private final OpmlRenderer opml;
    private final BulletinCatalog catalog;
    private final CachedResponses responses;
    private final BantinProperties properties;
    private final WebSubProperties websub;

    FeedHandler(FeedAssembler assembler, List<FeedRenderer> renderers, OpmlRenderer opml, BulletinCatalog catalog,
            CachedResponses responses, BantinProperties properties, WebSubProperties websub) {
        this.assembler = assembler;
        renderers.forEach(renderer -> this.renderers.put(renderer.format(), renderer));
        this.opml = opml;
        this.catalog = catalog;
        this.responses = responses;
        this.properties = properties;
        this.websub = websub;
    }

    Mono<ServerResponse> site(ServerRequest request) {
        return feed(request, FeedScope.SITE);
    }

    Mono<ServerResponse> category(ServerRequest request) {
        return feed(request, FeedScope.category(request.pathVariable("slug")));
    }

    Mono<ServerResponse> tag(ServerRequest request) {
        return feed(request, FeedScope.tag(request.pathVariable("slug")));
    }

    Mono<ServerResponse> author(ServerRequest request) {
        return feed(request, FeedScope.author(request.pathVariable("slug")));
    }

    Mono<ServerResponse> opml(ServerRequest request) {
        return responses.serve(request, "/feeds/" + OpmlRenderer.FILE, OPML, generation -> Mono.zip(
                        catalog.categories().collectList(), catalog.tags().collectList(), catalog.authors().collectList())
                .publishOn(Schedulers.boundedElastic()) // Rome reads its plugin list from the classpath on first use
                .map(t -> opml.render(new OpmlRenderer.Directory(t.getT1(), t.getT2(), t.getT3()),
                        generation.lastModified())));
    }

    private Mono<ServerResponse> feed(ServerRequest request, FeedScope scope) {
        FeedFormat format = FeedFormat.byFile(request.pathVariable("file")).orElseThrow(() -> ProblemException
                .notFound("Feeds are rss.xml, atom.xml and feed.json; not " + request.pathVariable("file") + "."));
        FeedPage page = new FeedPage(limit(request), request.queryParam("before").filter(s -> !s.isEmpty())
                .map(Cursor::decode).orElse(null));
        FeedRenderer renderer = renderers.get(format);
        // WebSub discovery by header too (https://www.w3.org/TR/websub/#discovery); null when WebSub is off.
        String links = websub.linkHeader(properties.url(scope.path(format)));
        String key = scope.path(format) + "?limit=" + page.limit()
                + (page.before() == null ? "" : "&before=" + page.before().encode());
        return responses.serve(request, key, format.mediaType(),
                generation -> assembler.snapshot(scope, page, generation.lastModified()).map(renderer::render),
                headers -> {
                    if (links != null) {
                        headers.add(HttpHeaders.LINK, links);
                    }
                });
    }

    private static int limit(ServerRequest request) {
        String value = request.queryParam("limit").map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (value == null) {
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
