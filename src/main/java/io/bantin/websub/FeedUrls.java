package io.bantin.websub;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.springframework.stereotype.Component;

import io.bantin.change.Scopes;
import io.bantin.system.BantinProperties;

/**
 * The feeds of a change's scopes, as the absolute URLs hubs know them by (the topics): the site's, a
 * category's, a tag's and an author's, every one in the three formats (API.md, "Feeds").
 */
@Component
class FeedUrls {

    private static final List<String> FILES = List.of("rss.xml", "atom.xml", "feed.json");
    private static final List<String[]> DIRECTORIES = List.of(
            new String[] {Scopes.category(""), "/feeds/categories/"},
            new String[] {Scopes.tag(""), "/feeds/tags/"},
            new String[] {Scopes.author(""), "/feeds/authors/"});

    private final BantinProperties properties;

    FeedUrls(BantinProperties properties) {
        this.properties = properties;
    }

    /** Adds to {@code urls} the feeds of {@code scopes}; scopes without feeds (a bulletin, the taxonomy) add none. */
    void addTopics(Collection<String> scopes, Set<String> urls) {
        for (String scope : scopes) {
            if (scope.equals(Scopes.SITE)) {
                add(urls, "/feeds/");
            }
            for (String[] directory : DIRECTORIES) {
                if (scope.startsWith(directory[0]) && scope.length() > directory[0].length()) {
                    add(urls, directory[1] + scope.substring(directory[0].length()) + "/");
                }
            }
        }
    }

    private void add(Set<String> urls, String directory) {
        FILES.forEach(file -> urls.add(properties.url(directory + file)));
    }
}
