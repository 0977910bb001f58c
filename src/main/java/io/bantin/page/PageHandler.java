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

import io.bantin.answer.Answers;
import io.bantin.answer.PublicUrls;
import io.bantin.answer.PublicUrls.Route;
import io.bantin.answer.Target;
import io.bantin.bulletin.Bulletin;
import io.bantin.bulletin.BulletinCatalog;
import io.bantin.change.Scopes;
import io.bantin.feed.FeedLinks;
import io.bantin.web.Cursor;
import io.bantin.web.ProblemException;

/** Server-rendered reader pages: the latest bulletins and one bulletin, cached reads like feeds. */
@Component
class PageHandler {

    static final int PAGE_SIZE = 20;
    static final String SITE = "Bantin";
    private static final MediaType HTML = MediaType.parseMediaType("text/html;charset=utf-8");
    private static final String HTML_TYPE = HTML.toString();
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm");

    private final BulletinCatalog catalog;
    private final PageTemplates templates;
    private final FeedLinks feeds;
    private final Answers answers;
    private final String[] headers;

    PageHandler(BulletinCatalog catalog, PageTemplates templates, FeedLinks feeds, Answers answers,
            PageSecurityHeaders security) {
        this.catalog = catalog;
        this.templates = templates;
        this.feeds = feeds;
        this.answers = answers;
        this.headers = new String[] {PageSecurityHeaders.HEADER, security.policy()};
        answers.register(Route.HOME, (variables, query) -> home(cursor(query)));
        answers.register(Route.BULLETIN_PAGE, (variables, query) -> bulletin(variables.get("slug")));
    }

    Mono<ServerResponse> home(ServerRequest request) {
        return answers.serve(Route.HOME, request);
    }

    Mono<ServerResponse> bulletin(ServerRequest request) {
        return answers.serve(Route.BULLETIN_PAGE, request)
                .onErrorResume(ProblemException.class, problem -> readerError(request, problem));
    }

    private static Cursor cursor(Map<String, List<String>> query) {
        List<String> values = query.get("cursor");
        return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : Cursor.decode(values.get(0));
    }

    private Target home(Cursor after) {
        String key = "/" + (after == null ? "" : "?cursor=" + after.encode());
        return Target.of(key, HTML_TYPE, List.of(Scopes.SITE), version -> catalog.latest(null, null, null, after, PAGE_SIZE + 1)
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
                    return Target.Body.of(bytes(templates.home(model)));
                }), headers);
    }

    private Target bulletin(String slug) {
        return new Target(PublicUrls.page(slug), HTML_TYPE, catalog.scopes(slug), version -> catalog.bySlug(slug)
                .switchIfEmpty(Mono.error(() -> ProblemException.notFound("No bulletin is called " + slug + ".")))
                .map(found -> switch (found.visibility()) {
                    case WITHDRAWN -> throw new ProblemException(HttpStatus.GONE, "Bulletin " + slug + " was withdrawn.");
                    case HIDDEN -> throw ProblemException.notFound("No bulletin is called " + slug + ".");
                    case VISIBLE -> Target.Body.of(bytes(templates.bulletin(page(found.bulletin()))));
                }), headers);
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
        model.put("images", b.images().stream().map(i -> Map.of("url", i.url(), "caption", i.caption())).toList());
        if (b.updatedAt().isAfter(b.publishedAt().plusMinutes(1))) {
            model.put("updated", DATE.format(b.updatedAt()));
        }
        return model;
    }

    private static Map<String, Object> summary(Bulletin b) {
        Map<String, Object> model = new HashMap<>();
        model.put("url", PublicUrls.page(b.slug()));
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
