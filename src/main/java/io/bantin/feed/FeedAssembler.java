package io.bantin.feed;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.stereotype.Component;

import io.bantin.answer.PublicUrls;
import io.bantin.bulletin.Bulletin;
import io.bantin.bulletin.BulletinCatalog;
import io.bantin.system.BantinProperties;
import io.bantin.web.ProblemException;
import io.bantin.websub.WebSubProperties;

/** Reads the bulletins of a feed scope and turns them into a {@link FeedSnapshot}. */
@Component
class FeedAssembler {

    static final String SITE_NAME = "Bantin";
    private static final String DEFAULT_LANGUAGE = "vi";

    private final BulletinCatalog catalog;
    private final BantinProperties properties;
    private final WebSubProperties websub;

    FeedAssembler(BulletinCatalog catalog, BantinProperties properties, WebSubProperties websub) {
        this.catalog = catalog;
        this.properties = properties;
        this.websub = websub;
    }

    /**
     * One page of a scope's feed: its {@code page.limit()} newest bulletins older than the page's cursor; a 404
     * problem when the category, tag or author does not exist. The HTML work runs on a worker thread.
     */
    Mono<FeedSnapshot> snapshot(FeedScope scope, FeedPage page, Instant siteUpdated) {
        return term(scope)
                .switchIfEmpty(Mono.error(() -> ProblemException.notFound(
                        "No " + scope.noun() + " is called " + scope.slug()
                                + "; see /feeds/opml.xml for every feed.")))
                .flatMap(term -> catalog.latest(category(scope), tag(scope), author(scope), page.before(), page.limit() + 1)
                        .collectList()
                        .publishOn(Schedulers.boundedElastic())
                        .map(found -> build(scope, term.orElse(null), page, found, siteUpdated)));
    }

    private Mono<Optional<Bulletin.Term>> term(FeedScope scope) {
        if (scope.site()) {
            return Mono.just(Optional.empty());
        }
        Mono<Bulletin.Term> found = switch (scope.segment()) {
            case "categories" -> catalog.category(scope.slug());
            case "tags" -> catalog.tag(scope.slug());
            default -> catalog.author(scope.slug());
        };
        return found.map(Optional::of);
    }

    private FeedSnapshot build(FeedScope scope, Bulletin.Term term, FeedPage page, List<Bulletin> found,
            Instant siteUpdated) {
        boolean more = found.size() > page.limit();
        List<Bulletin> bulletins = more ? found.subList(0, page.limit()) : found;
        String title = term == null ? SITE_NAME : SITE_NAME + " – " + XmlText.clean(term.name());
        String description = term == null ? "Tin mới nhất của " + SITE_NAME
                : "Tin mới nhất của " + SITE_NAME + ": " + XmlText.clean(term.name());
        Map<FeedFormat, String> self = new EnumMap<>(FeedFormat.class);
        for (FeedFormat format : FeedFormat.values()) {
            self.put(format, properties.url(scope.path(format)));
        }
        List<FeedSnapshot.Entry> entries = bulletins.stream().map(this::entry).toList();
        // An empty older page dates itself by its cursor: its bytes (and so its entity tag) never follow the site.
        Instant empty = page.before() == null ? siteUpdated : page.before().publishedAt();
        OffsetDateTime updated = entries.stream().map(FeedSnapshot.Entry::updated).max(OffsetDateTime::compareTo)
                .orElse(empty.atZone(properties.zone()).toOffsetDateTime());
        String language = bulletins.isEmpty() ? DEFAULT_LANGUAGE : bulletins.get(0).language();
        String next = more ? page.older(bulletins.get(bulletins.size() - 1)).query() : null;
        return new FeedSnapshot(title, description, properties.url(scope.htmlPath()), Map.copyOf(self), language,
                updated, entries, websub.hub(), page.before() == null ? null : page.query(), next);
    }

    private FeedSnapshot.Entry entry(Bulletin b) {
        // Relative links resolve against the bulletin's own page, as a browser reading that page resolves
        // them: the same targets in every output, and a fragment link stays on the bulletin.
        String base = properties.url(PublicUrls.page(b.slug()));
        return new FeedSnapshot.Entry(b.id(), base, XmlText.clean(b.title()),
                XmlText.clean(b.summary()), BodyHtml.absolute(b.body(), base), XmlText.clean(b.author()),
                b.category() == null ? null : clean(b.category()),
                b.tags().stream().map(FeedAssembler::clean).toList(),
                b.images().stream().map(i -> new Bulletin.Image(BodyHtml.absoluteUrl(XmlText.clean(i.url()), base),
                        XmlText.clean(i.caption()), i.length(), i.type(), i.media(),
                        i.alt() == null ? null : XmlText.clean(i.alt()), i.width(), i.height(), i.renditions())).toList(),
                b.language(), b.publishedAt(), b.updatedAt());
    }

    private static Bulletin.Term clean(Bulletin.Term term) {
        return new Bulletin.Term(term.slug(), XmlText.clean(term.name()));
    }

    private static String category(FeedScope scope) {
        return "categories".equals(scope.segment()) ? scope.slug() : null;
    }

    private static String tag(FeedScope scope) {
        return "tags".equals(scope.segment()) ? scope.slug() : null;
    }

    private static String author(FeedScope scope) {
        return "authors".equals(scope.segment()) ? scope.slug() : null;
    }
}
