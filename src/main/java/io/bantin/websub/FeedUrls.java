package io.bantin.websub;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.stereotype.Component;

import io.bantin.bulletin.Bulletin;
import io.bantin.bulletin.Slugs;
import io.bantin.system.BantinProperties;

/**
 * The feeds a bulletin appears in, as the absolute URLs hubs know them by (the topics): the site's, its
 * category's, each tag's and its author's, every one in the three formats (API.md, "Feeds").
 */
@Component
class FeedUrls {

    private static final List<String> FILES = List.of("rss.xml", "atom.xml", "feed.json");

    private final BantinProperties properties;

    FeedUrls(BantinProperties properties) {
        this.properties = properties;
    }

    /**
     * The feeds a write changed: those the bulletin was in before it, and those it is in after it. A bulletin
     * that is not published (draft, scheduled, withdrawn: null) is in no feed.
     */
    Set<String> changed(Bulletin before, Bulletin after) {
        Set<String> urls = new LinkedHashSet<>();
        if (inFeeds(before)) {
            urls.addAll(of(before));
        }
        if (inFeeds(after)) {
            urls.addAll(of(after));
        }
        return urls;
    }

    Set<String> of(Bulletin bulletin) {
        Set<String> urls = new LinkedHashSet<>();
        add(urls, "/feeds/");
        if (bulletin.category() != null) {
            add(urls, "/feeds/categories/" + bulletin.category().slug() + "/");
        }
        bulletin.tags().forEach(tag -> add(urls, "/feeds/tags/" + tag.slug() + "/"));
        // The same slug the repository stores as author_slug; a bulletin without an author has no author feed.
        String author = Slugs.of(bulletin.author() == null ? "" : bulletin.author());
        if (!author.isEmpty()) {
            add(urls, "/feeds/authors/" + author + "/");
        }
        return urls;
    }

    private void add(Set<String> urls, String directory) {
        FILES.forEach(file -> urls.add(properties.url(directory + file)));
    }

    private static boolean inFeeds(Bulletin bulletin) {
        return bulletin != null && "published".equals(bulletin.status());
    }
}
