package io.bantin.page;

import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.bantin.bulletin.Bulletin;
import io.bantin.bulletin.BulletinCatalog;
import io.bantin.feed.CachedResponses;
import io.bantin.feed.FeedLinks;
import io.bantin.web.Cursor;
import io.bantin.web.ProblemException;

/** Server-rendered reader pages: the latest bulletins and one bulletin, cached like feeds. */
@Component
class PageHandler {

    static final int PAGE_SIZE = 20;
    static final String SITE = "Bantin";
    private static final MediaType HTML = MediaType.parseMediaType("text/html;charset=utf-8");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm");

    private final BulletinCatalog catalog;
    private final PageTemplates templates;
    private final FeedLinks feeds;
    private final CachedResponses responses;

    PageHandler(BulletinCatalog catalog, PageTemplates templates, FeedLinks feeds, CachedResponses responses) {
        this.catalog = catalog;
        this.templates = templates;
        this.feeds = feeds;
        this.responses = responses;
    }

    Mono<ServerResponse> home(ServerRequest request) {
        Cursor after = request.queryParam("cursor").filter(s -> !s.isEmpty()).map(Cursor::decode).orElse(null);
        String key = "page:/" + (after == null ? "" : "?cursor=" + after.encode());
        return responses.serve(request, key, HTML, generation -> catalog.latest(null, null, null, after, PAGE_SIZE + 1)
                .collectList()
                .map(found -> {
                    boolean more = found.size() > PAGE_SIZE;
                    List<Bulletin> items = more ? found.subList(0, PAGE_SIZE) : found;
                    Map<String, Object> model = new HashMap<>();
                    model.put("head", head(SITE + " – Tin mới nhất", null));
                    model.put("site", SITE);
                    model.put("items", items.stream().map(PageHandler::summary).toList());
                    if (more) {
                        Bulletin last = items.get(items.size() - 1);
                        model.put("next", "/?cursor=" + new Cursor(last.publishedAt().toInstant(), last.id()).encode());
                    }
                    return bytes(templates.home(model));
                }));
    }

    Mono<ServerResponse> bulletin(ServerRequest request) {
        String slug = request.pathVariable("slug");
        return responses.serve(request, "page:/bulletins/" + slug, HTML, generation -> catalog.bySlug(slug)
                .switchIfEmpty(Mono.error(() -> ProblemException.notFound("No bulletin is called " + slug + ".")))
                .map(found -> switch (found.visibility()) {
                    case WITHDRAWN -> throw new ProblemException(HttpStatus.GONE, "Bulletin " + slug + " was withdrawn.");
                    case HIDDEN -> throw ProblemException.notFound("No bulletin is called " + slug + ".");
                    case VISIBLE -> bytes(templates.bulletin(page(found.bulletin())));
                }))
                .onErrorResume(ProblemException.class, problem -> readerError(request, problem));
    }

    /**
     * A browser asking for a missing or withdrawn page gets a readable page with the same status;
     * other clients keep the problem+json every API error has.
     */
    private Mono<ServerResponse> readerError(ServerRequest request, ProblemException problem) {
        boolean browser = request.headers().accept().stream()
                .anyMatch(type -> type.getType().equals("text") && type.getSubtype().equals("html"));
        if (!browser || (problem.status() != HttpStatus.NOT_FOUND && problem.status() != HttpStatus.GONE)) {
            return Mono.error(problem);
        }
        boolean gone = problem.status() == HttpStatus.GONE;
        Map<String, Object> model = Map.of("head", head(SITE, null), "site", SITE,
                "heading", gone ? "Bản tin đã được gỡ" : "Không tìm thấy bản tin",
                "message", gone ? "Bản tin này đã bị tòa soạn gỡ xuống." : "Địa chỉ này không dẫn tới bản tin nào.");
        return ServerResponse.status(problem.status()).contentType(HTML).bodyValue(bytes(templates.error(model)));
    }

    private Map<String, Object> page(Bulletin b) {
        Map<String, Object> model = summary(b);
        model.put("head", head(b.title() + " – " + SITE, b.category()));
        model.put("site", SITE);
        model.put("language", b.language());
        model.put("body", b.body());
        model.put("author", b.author());
        // A photo the body already shows (the lead photo usually is) is not shown twice.
        model.put("images", b.images().stream().filter(i -> !b.body().contains("\"" + i.url() + "\""))
                .map(i -> Map.of("url", i.url(), "caption", i.caption())).toList());
        if (b.version() > 1) { // edited after it was written: ingest time alone is no update
            model.put("updated", Map.of("date", DATE.format(b.updatedAt()),
                    "datetime", b.updatedAt().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
        }
        return model;
    }

    private static Map<String, Object> summary(Bulletin b) {
        Map<String, Object> model = new HashMap<>();
        model.put("url", "/bulletins/" + b.slug());
        model.put("title", b.title());
        model.put("summary", b.summary());
        model.put("category", b.category() == null ? null : b.category().name());
        model.put("date", DATE.format(b.publishedAt()));
        model.put("datetime", b.publishedAt().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        return model;
    }

    private String head(String title, Bulletin.Term category) {
        return templates.head(Map.of("title", title, "feeds", feeds.of(category).stream()
                .map(link -> Map.of("type", link.type(), "label", link.label(), "href", link.href())).toList()));
    }

    private static byte[] bytes(String html) {
        return html.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
