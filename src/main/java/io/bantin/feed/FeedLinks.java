package io.bantin.feed;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import io.bantin.bulletin.Bulletin;
import io.bantin.system.BantinProperties;

/** Absolute URLs of the feeds, for pages that advertise them ({@code <link rel="alternate">}). */
@Component
public class FeedLinks {

    /** One feed a page points to. */
    public record Link(String type, String label, String href) {
    }

    private final BantinProperties properties;

    FeedLinks(BantinProperties properties) {
        this.properties = properties;
    }

    /** The site's feeds, then, when {@code category} is given, that category's. */
    public List<Link> of(Bulletin.Term category) {
        List<Link> links = new ArrayList<>(links(FeedScope.SITE, FeedAssembler.SITE_NAME));
        if (category != null) {
            links.addAll(links(FeedScope.category(category.slug()), FeedAssembler.SITE_NAME + " – " + category.name()));
        }
        return links;
    }

    /** The site's feeds, then those of one category, tag or author ({@code segment}: categories, tags, authors). */
    public List<Link> of(String segment, Bulletin.Term term) {
        List<Link> links = new ArrayList<>(links(FeedScope.SITE, FeedAssembler.SITE_NAME));
        links.addAll(links(new FeedScope(segment, term.slug()), FeedAssembler.SITE_NAME + " – " + term.name()));
        return links;
    }

    private List<Link> links(FeedScope scope, String name) {
        return List.of(
                new Link("application/rss+xml", name + " (RSS)", properties.url(scope.path(FeedFormat.RSS))),
                new Link("application/atom+xml", name + " (Atom)", properties.url(scope.path(FeedFormat.ATOM))),
                new Link("application/feed+json", name + " (JSON Feed)", properties.url(scope.path(FeedFormat.JSON))));
    }
}
