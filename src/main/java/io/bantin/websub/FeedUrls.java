package io.bantin.websub;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.springframework.stereotype.Component;

import io.bantin.answer.PublicUrls;
import io.bantin.change.Scopes;
import io.bantin.system.BantinProperties;

/**
 * The feeds of a change's scopes, as the absolute URLs hubs know them by (the topics): the site's, a
 * category's, a tag's and an author's, every one in the three formats (API.md, "Feeds").
 */
@Component
class FeedUrls {

    // A scope's prefix, and the kind of feed directory its slug names (PublicUrls#feed).
    private static final List<String[]> KINDS = List.of(
            new String[] {Scopes.category(""), "categories"},
            new String[] {Scopes.tag(""), "tags"},
            new String[] {Scopes.author(""), "authors"});

    private final BantinProperties properties;

    FeedUrls(BantinProperties properties) {
        this.properties = properties;
    }

    /** Adds to {@code urls} the feeds of {@code scopes}; scopes without feeds (a bulletin, the taxonomy) add none. */
    void addTopics(Collection<String> scopes, Set<String> urls) {
        String base = properties.url("");
        for (String scope : scopes) {
            if (scope.equals(Scopes.SITE)) {
                urls.addAll(PublicUrls.feedTopics(base, null, null));
            }
            for (String[] kind : KINDS) {
                if (scope.startsWith(kind[0]) && scope.length() > kind[0].length()) {
                    urls.addAll(PublicUrls.feedTopics(base, kind[1], scope.substring(kind[0].length())));
                }
            }
        }
    }
}
