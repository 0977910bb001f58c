package io.bantin.sitemap;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.bantin.answer.Answers;
import io.bantin.answer.Target;
import io.bantin.change.ScopeVersions;
import io.bantin.change.Scopes;
import io.bantin.system.BantinProperties;
import io.bantin.web.Cursor;
import io.bantin.web.ProblemException;

/**
 * robots.txt and the sitemaps: an index, pages of every visible bulletin (keyset, oldest first), the
 * categories, and a Google News sitemap of the last two days. Answered and cached like feeds.
 */
@Component
class SitemapHandler {

    /** Bulletins per sitemap page (the protocol allows 50,000; smaller pages are cheap to re-crawl). */
    static final int PAGE_SIZE = 1000;
    /** Google News takes the last two days' articles, at most 1,000 of them. */
    static final int NEWS_HOURS = 48;
    static final int NEWS_MAX = 1000;
    static final String PUBLICATION = "Bantin";
    static final MediaType XML = MediaType.parseMediaType("application/xml;charset=utf-8");
    static final MediaType TEXT = MediaType.parseMediaType("text/plain;charset=utf-8");

    private final SitemapRepository repository;
    private final SitemapXml xml;
    private final Answers answers;
    private final BantinProperties properties;

    SitemapHandler(SitemapRepository repository, SitemapXml xml, Answers answers,
            BantinProperties properties) {
        this.repository = repository;
        this.xml = xml;
        this.answers = answers;
        this.properties = properties;
    }

    Mono<ServerResponse> robots(ServerRequest request) {
        return serve(request, "/robots.txt", TEXT, generation -> Mono.fromSupplier(() -> ("""
                User-agent: *
                Disallow: /api/
                Disallow: /actuator/

                Sitemap: %s
                """.formatted(properties.url("/sitemap.xml"))).getBytes(StandardCharsets.UTF_8)));
    }

    Mono<ServerResponse> index(ServerRequest request) {
        // Whether it lists the news sitemap moves with the clock too, as that sitemap does.
        return serve(request, "/sitemap.xml?hour=" + hour(), XML, generation -> Mono.zip(
                        repository.chunks(PAGE_SIZE).collectList(), repository.sections().collectList(),
                        repository.recent(NEWS_HOURS, 1).collectList())
                .map(t -> {
                    List<SitemapXml.Location> sitemaps = new ArrayList<>();
                    sitemaps.add(new SitemapXml.Location("/sitemaps/categories.xml", t.getT2().stream()
                            .map(SitemapRepository.Section::lastModified).max(java.util.Comparator.naturalOrder())
                            .orElse(null)));
                    Cursor after = null;
                    for (SitemapRepository.Chunk chunk : t.getT1()) {
                        sitemaps.add(new SitemapXml.Location(bulletinsPath(after), chunk.lastModified()));
                        after = chunk.last();
                    }
                    // The News XSD wants at least one url: the news sitemap is listed while it has one.
                    if (!t.getT3().isEmpty()) {
                        sitemaps.add(new SitemapXml.Location("/sitemaps/news.xml", t.getT3().get(0).updatedAt()));
                    }
                    return xml.index(sitemaps);
                }));
    }

    Mono<ServerResponse> bulletins(ServerRequest request) {
        Cursor after = request.queryParam("after").filter(s -> !s.isEmpty()).map(Cursor::decode).orElse(null);
        return serve(request, bulletinsPath(after), XML, generation -> repository.page(after, PAGE_SIZE)
                .map(e -> new SitemapXml.Location("/bulletins/" + e.slug(), e.updatedAt()))
                .collectList()
                .map(xml::urlset));
    }

    Mono<ServerResponse> categories(ServerRequest request) {
        return serve(request, "/sitemaps/categories.xml", XML, generation -> repository.sections()
                .collectList()
                .map(sections -> {
                    List<SitemapXml.Location> urls = new ArrayList<>();
                    urls.add(new SitemapXml.Location("/", sections.stream().map(SitemapRepository.Section::lastModified)
                            .max(java.util.Comparator.naturalOrder()).orElse(null)));
                    sections.forEach(s -> urls.add(new SitemapXml.Location("/categories/" + s.slug(), s.lastModified())));
                    return xml.urlset(urls);
                }));
    }

    /**
     * The last two days' bulletins; a 404 problem when there are none, as the index then leaves it out: the
     * News XSD wants at least one url, so an empty urlset would be invalid.
     */
    Mono<ServerResponse> news(ServerRequest request) {
        // The window moves with the clock as well as with writes: the hour is part of what the bytes depend on.
        return serve(request, "/sitemaps/news.xml?hour=" + hour(), XML, generation -> repository
                .recent(NEWS_HOURS, NEWS_MAX)
                .map(e -> new SitemapXml.News("/bulletins/" + e.slug(), e.title(), e.language(), e.publishedAt()))
                .collectList()
                .flatMap(items -> items.isEmpty()
                        ? Mono.error(ProblemException.notFound("Nothing was published in the last " + NEWS_HOURS
                                + " hours; /sitemap.xml lists the news sitemap again once something is."))
                        : Mono.just(xml.news(PUBLICATION, items))));
    }

    private static long hour() {
        return Instant.now().truncatedTo(ChronoUnit.HOURS).getEpochSecond() / 3600;
    }

    /** A cached answer through the front door; every sitemap moves with the site's bulletins. */
    private Mono<ServerResponse> serve(ServerRequest request, String key, MediaType type,
            java.util.function.Function<ScopeVersions.Version, Mono<byte[]>> render) {
        return answers.serve(request, Target.of(key, type.toString(), List.of(Scopes.SITE),
                version -> render.apply(version).map(Target.Body::of)));
    }

    private static String bulletinsPath(Cursor after) {
        return "/sitemaps/bulletins.xml" + (after == null ? "" : "?after=" + after.encode());
    }
}
