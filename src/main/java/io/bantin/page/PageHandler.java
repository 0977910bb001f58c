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
import io.bantin.bulletin.Slugs;
import io.bantin.change.Scopes;
import io.bantin.feed.FeedLinks;
import io.bantin.web.Cursor;
import io.bantin.web.ProblemException;

/**
 * Server-rendered reader pages: home, one category, tag or author, one bulletin; cached reads like feeds. Each
 * page is made of its own scope and of the taxonomy (the section navigation on every page).
 */
@Component
class PageHandler {

    static final int PAGE_SIZE = 20;
    static final MediaType HTML = MediaType.parseMediaType("text/html;charset=utf-8");
    private static final String HTML_TYPE = HTML.toString();
    private static final PageFrame.Crumb HOME = new PageFrame.Crumb("Trang chủ", "/");

    private final BulletinCatalog catalog;
    private final PageTemplates templates;
    private final PageFrame frame;
    private final ArticleMetadata article;
    private final FeedLinks feeds;
    private final Answers answers;
    private final String[] headers;

    PageHandler(BulletinCatalog catalog, PageTemplates templates, PageFrame frame, ArticleMetadata article,
            FeedLinks feeds, Answers answers, PageSecurityHeaders security) {
        this.catalog = catalog;
        this.templates = templates;
        this.frame = frame;
        this.article = article;
        this.feeds = feeds;
        this.answers = answers;
        this.headers = new String[] {PageSecurityHeaders.HEADER, security.policy()};
        answers.register(Route.HOME, (variables, query) -> home(cursor(query)));
        answers.register(Route.BULLETIN_PAGE, (variables, query) -> bulletin(variables.get("slug")));
        answers.register(Route.CATEGORY_PAGE, (variables, query) -> listing("categories", variables.get("slug"), cursor(query)));
        answers.register(Route.TAG_PAGE, (variables, query) -> listing("tags", variables.get("slug"), cursor(query)));
        answers.register(Route.AUTHOR_PAGE, (variables, query) -> listing("authors", variables.get("slug"), cursor(query)));
    }

    Mono<ServerResponse> home(ServerRequest request) {
        return answers.serve(Route.HOME, request);
    }

    private Target home(Cursor after) {
        String path = "/" + (after == null ? "" : "?cursor=" + after.encode());
        return Target.of(path, HTML_TYPE, List.of(Scopes.SITE, Scopes.TAXONOMY), version -> Mono.zip(
                catalog.latest(null, null, null, after, PAGE_SIZE + 1).collectList(), catalog.sections().collectList())
                .map(t -> {
                    List<Bulletin> found = t.getT1();
                    boolean more = found.size() > PAGE_SIZE;
                    List<Bulletin> items = more ? found.subList(0, PAGE_SIZE) : found;
                    String next = more ? Teasers.next("/", items.get(items.size() - 1)) : null;
                    Map<String, Object> model = new HashMap<>();
                    boolean top = after == null && !items.isEmpty();
                    model.put("top", top ? Teasers.of(items.get(0)) : null);
                    // A fresh install: an empty list would leave the operator guessing, so say what to do first.
                    // The answer is made of the site scope, so the first publish replaces this page.
                    boolean firstRun = after == null && items.isEmpty();
                    model.put("firstRun", firstRun ? Map.of("bulletins", frame.url("/api/v1/bulletins")) : null);
                    model.put("teasers", firstRun ? null : templates.render("teasers", Teasers.list(
                            top ? items.subList(1, items.size()) : items, top ? "" : "Chưa có bản tin nào.", "/", after != null, next)));
                    String title = PageFrame.SITE + " – Tin mới nhất";
                    PageFrame.Page page = new PageFrame.Page("vi", title, "Tin mới nhất của " + PageFrame.SITE, path,
                            next, frame.website(title, path), List.of(), feeds.of(null), null,
                            List.of(new PageFrame.Crumb("Trang chủ", null)), null);
                    return Target.Body.of(frame.render(page, t.getT2(), templates.render("home", model)));
                }), headers);
    }

    Mono<ServerResponse> category(ServerRequest request) {
        return page(Route.CATEGORY_PAGE, request);
    }

    Mono<ServerResponse> tag(ServerRequest request) {
        return page(Route.TAG_PAGE, request);
    }

    Mono<ServerResponse> author(ServerRequest request) {
        return page(Route.AUTHOR_PAGE, request);
    }

    Mono<ServerResponse> bulletin(ServerRequest request) {
        return page(Route.BULLETIN_PAGE, request);
    }

    private Mono<ServerResponse> page(Route route, ServerRequest request) {
        return answers.serve(route, request).onErrorResume(ProblemException.class, problem -> readerError(request, problem));
    }

    /**
     * The bulletins of one category, tag or author, newest first, paged with {@code ?cursor=}. A slug
     * that names nothing, or only bulletins readers may not see yet, is a 404.
     */
    private Target listing(String segment, String slug, Cursor after) {
        String base = "/" + segment + "/" + slug;
        String path = base + (after == null ? "" : "?cursor=" + after.encode());
        ProblemException missing = ProblemException.notFound("Nothing is published under " + base + ".");
        Mono<Bulletin.Term> term = switch (segment) {
            case "categories" -> catalog.category(slug);
            case "tags" -> catalog.tag(slug);
            default -> catalog.author(slug);
        };
        String scope = switch (segment) {
            case "categories" -> Scopes.category(slug);
            case "tags" -> Scopes.tag(slug);
            default -> Scopes.author(slug);
        };
        return Target.of(path, HTML_TYPE, List.of(scope, Scopes.TAXONOMY), version -> term
                .switchIfEmpty(Mono.error(missing))
                .flatMap(found -> Mono.zip(catalog.latest(segment.equals("categories") ? slug : null,
                                segment.equals("tags") ? slug : null, segment.equals("authors") ? slug : null,
                                after, PAGE_SIZE + 1).collectList(), catalog.sections().collectList())
                        .map(t -> {
                            List<Bulletin> all = t.getT1();
                            if (all.isEmpty() && after == null) {
                                throw missing;
                            }
                            boolean more = all.size() > PAGE_SIZE;
                            List<Bulletin> items = more ? all.subList(0, PAGE_SIZE) : all;
                            String next = more ? Teasers.next(base, items.get(items.size() - 1)) : null;
                            String heading = switch (segment) {
                                case "categories" -> found.name();
                                case "tags" -> "Thẻ: " + found.name();
                                default -> "Tác giả: " + found.name();
                            };
                            Map<String, Object> model = new HashMap<>();
                            model.put("heading", heading);
                            model.put("teasers", templates.render("teasers", Teasers.list(items,
                                    "Không còn bản tin cũ hơn.", base, after != null, next)));
                            String title = heading + " – " + PageFrame.SITE;
                            PageFrame.Page page = new PageFrame.Page("vi", title,
                                    "Tin mới nhất của " + PageFrame.SITE + ": " + found.name(), path, next,
                                    frame.website(title, path), List.of(), feeds.of(segment, found), null,
                                    List.of(HOME, new PageFrame.Crumb(heading, null)),
                                    segment.equals("categories") ? slug : null);
                            return Target.Body.of(frame.render(page, t.getT2(), templates.render("listing", model)));
                        })), headers);
    }

    private Target bulletin(String slug) {
        Mono<List<String>> scopes = catalog.scopes(slug).map(own -> {
            List<String> all = new java.util.ArrayList<>(own);
            all.add(Scopes.TAXONOMY);
            return List.copyOf(all);
        });
        return new Target(PublicUrls.page(slug), HTML_TYPE, scopes, version -> catalog.bySlug(slug)
                .switchIfEmpty(Mono.error(() -> ProblemException.notFound("No bulletin is called " + slug + ".")))
                .map(found -> switch (found.visibility()) {
                    case WITHDRAWN -> throw new ProblemException(HttpStatus.GONE, "Bulletin " + slug + " was withdrawn.");
                    case HIDDEN -> throw ProblemException.notFound("No bulletin is called " + slug + ".");
                    case VISIBLE -> found.bulletin();
                })
                .zipWith(catalog.sections().collectList())
                .map(t -> Target.Body.of(bulletinPage(t.getT1(), t.getT2()))), headers);
    }

    byte[] bulletinPage(Bulletin b, List<Bulletin.Term> sections) {
        Map<String, Object> model = Teasers.of(b);
        model.put("body", b.body());
        String authorSlug = Slugs.of(b.author());
        model.put("author", b.author().isBlank() ? null
                : Map.of("name", b.author(), "url", authorSlug.isEmpty() ? "" : "/authors/" + authorSlug));
        // A photo the body already shows (the lead photo usually is) is not shown twice.
        List<Bulletin.Image> shown = b.images().stream().filter(i -> !b.body().contains("\"" + i.url() + "\""))
                .toList();
        // The first photo sits under the lead, on the first screen: only the ones after it may load lazily.
        model.put("images", java.util.stream.IntStream.range(0, shown.size())
                .mapToObj(i -> PagePhoto.of(shown.get(i), PagePhoto.COLUMN, 960, 640, i > 0)).toList());
        model.put("hasTags", !b.tags().isEmpty());
        model.put("tags", b.tags().stream().map(t -> Map.of("url", "/tags/" + t.slug(), "name", t.name())).toList());
        if (b.version() > 1) { // edited after it was written: the ingest time alone is no update
            model.put("updated", Map.of("date", Teasers.DATE.format(b.updatedAt()),
                    "datetime", b.updatedAt().format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
        }
        List<PageFrame.Crumb> crumbs = b.category() == null ? List.of(HOME, new PageFrame.Crumb(b.title(), null))
                : List.of(HOME, new PageFrame.Crumb(b.category().name(), "/categories/" + b.category().slug()),
                        new PageFrame.Crumb(b.title(), null));
        PageFrame.Page page = new PageFrame.Page(b.language(), b.title() + " – " + PageFrame.SITE,
                ArticleMetadata.description(b), PublicUrls.page(b.slug()), null, article.openGraph(b),
                article.twitterCard(b), feeds.of(b.category()), article.jsonLd(b), crumbs,
                b.category() == null ? null : b.category().slug());
        return frame.render(page, sections, templates.render("bulletin", model));
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
        String heading = gone ? "Bản tin đã được gỡ" : "Không tìm thấy trang";
        Map<String, Object> model = Map.of("heading", heading,
                "message", gone ? "Bản tin này đã bị tòa soạn gỡ xuống." : "Không tìm thấy bản tin hay chuyên mục nào ở địa chỉ này.");
        PageFrame.Page page = new PageFrame.Page("vi", heading + " – " + PageFrame.SITE, null, null, null, List.of(),
                List.of(Map.of("name", "robots", "content", "noindex")), feeds.of(null), null,
                List.of(HOME, new PageFrame.Crumb(heading, null)), null);
        return ServerResponse.status(problem.status()).contentType(HTML)
                .bodyValue(frame.render(page, List.of(), templates.render("error", model)));
    }

    private static Cursor cursor(Map<String, List<String>> query) {
        List<String> values = query.get("cursor");
        return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : Cursor.decode(values.get(0));
    }

}
