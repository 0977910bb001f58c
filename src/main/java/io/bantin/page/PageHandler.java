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
import io.bantin.bulletin.Slugs;
import io.bantin.feed.CachedResponses;
import io.bantin.feed.FeedLinks;
import io.bantin.web.Cursor;
import io.bantin.web.ProblemException;

/** Server-rendered reader pages: home, one category, tag or author, one bulletin; cached like feeds. */
@Component
class PageHandler {

    static final int PAGE_SIZE = 20;
    static final MediaType HTML = MediaType.parseMediaType("text/html;charset=utf-8");
    private static final PageFrame.Crumb HOME = new PageFrame.Crumb("Trang chủ", "/");

    private final BulletinCatalog catalog;
    private final PageTemplates templates;
    private final PageFrame frame;
    private final ArticleMetadata article;
    private final FeedLinks feeds;
    private final CachedResponses responses;

    PageHandler(BulletinCatalog catalog, PageTemplates templates, PageFrame frame, ArticleMetadata article,
            FeedLinks feeds, CachedResponses responses) {
        this.catalog = catalog;
        this.templates = templates;
        this.frame = frame;
        this.article = article;
        this.feeds = feeds;
        this.responses = responses;
    }

    Mono<ServerResponse> home(ServerRequest request) {
        Cursor after = cursor(request);
        String path = "/" + (after == null ? "" : "?cursor=" + after.encode());
        return responses.serve(request, "page:" + path, HTML, generation -> Mono.zip(
                catalog.latest(null, null, null, after, PAGE_SIZE + 1).collectList(), catalog.sections().collectList())
                .map(t -> {
                    List<Bulletin> found = t.getT1();
                    boolean more = found.size() > PAGE_SIZE;
                    List<Bulletin> items = more ? found.subList(0, PAGE_SIZE) : found;
                    String next = more ? Teasers.next("/", items.get(items.size() - 1)) : null;
                    Map<String, Object> model = new HashMap<>();
                    boolean top = after == null && !items.isEmpty();
                    model.put("top", top ? Teasers.of(items.get(0)) : null);
                    model.put("teasers", templates.render("teasers", Teasers.list(top ? items.subList(1, items.size()) : items,
                            top ? "" : "Chưa có bản tin nào.", "/", after != null, next)));
                    String title = PageFrame.SITE + " – Tin mới nhất";
                    PageFrame.Page page = new PageFrame.Page("vi", title, "Tin mới nhất của " + PageFrame.SITE, path,
                            next, frame.website(title, path), List.of(), feeds.of(null), null,
                            List.of(new PageFrame.Crumb("Trang chủ", null)), null);
                    return frame.render(page, t.getT2(), templates.render("home", model));
                }));
    }

    Mono<ServerResponse> category(ServerRequest request) {
        return listing(request, "categories");
    }

    Mono<ServerResponse> tag(ServerRequest request) {
        return listing(request, "tags");
    }

    Mono<ServerResponse> author(ServerRequest request) {
        return listing(request, "authors");
    }

    /**
     * The bulletins of one category, tag or author, newest first, paged with {@code ?cursor=}. A slug
     * that names nothing, or only bulletins readers may not see yet, is a 404.
     */
    private Mono<ServerResponse> listing(ServerRequest request, String segment) {
        String slug = request.pathVariable("slug");
        Cursor after = cursor(request);
        String base = "/" + segment + "/" + slug;
        String path = base + (after == null ? "" : "?cursor=" + after.encode());
        ProblemException missing = ProblemException.notFound("Nothing is published under " + base + ".");
        Mono<Bulletin.Term> term = switch (segment) {
            case "categories" -> catalog.category(slug);
            case "tags" -> catalog.tag(slug);
            default -> catalog.author(slug);
        };
        return responses.serve(request, "page:" + path, HTML, generation -> term
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
                            return frame.render(page, t.getT2(), templates.render("listing", model));
                        })))
                .onErrorResume(ProblemException.class, problem -> readerError(request, problem));
    }

    Mono<ServerResponse> bulletin(ServerRequest request) {
        String slug = request.pathVariable("slug");
        return responses.serve(request, "page:/bulletins/" + slug, HTML, generation -> catalog.bySlug(slug)
                .switchIfEmpty(Mono.error(() -> ProblemException.notFound("No bulletin is called " + slug + ".")))
                .map(found -> switch (found.visibility()) {
                    case WITHDRAWN -> throw new ProblemException(HttpStatus.GONE, "Bulletin " + slug + " was withdrawn.");
                    case HIDDEN -> throw ProblemException.notFound("No bulletin is called " + slug + ".");
                    case VISIBLE -> found.bulletin();
                })
                .zipWith(catalog.sections().collectList())
                .map(t -> bulletinPage(t.getT1(), t.getT2())))
                .onErrorResume(ProblemException.class, problem -> readerError(request, problem));
    }

    private byte[] bulletinPage(Bulletin b, List<Bulletin.Term> sections) {
        Map<String, Object> model = Teasers.of(b);
        model.put("body", b.body());
        String authorSlug = Slugs.of(b.author());
        model.put("author", b.author().isBlank() ? null
                : Map.of("name", b.author(), "url", authorSlug.isEmpty() ? "" : "/authors/" + authorSlug));
        // A photo the body already shows (the lead photo usually is) is not shown twice.
        model.put("images", b.images().stream().filter(i -> !b.body().contains("\"" + i.url() + "\""))
                .map(i -> Map.of("url", i.url(), "caption", i.caption())).toList());
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
                ArticleMetadata.description(b), "/bulletins/" + b.slug(), null, article.openGraph(b),
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

    private static Cursor cursor(ServerRequest request) {
        return request.queryParam("cursor").filter(s -> !s.isEmpty()).map(Cursor::decode).orElse(null);
    }

}
