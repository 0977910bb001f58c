package io.bantin.bulletin;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

import io.bantin.change.Scopes;

/**
 * The scopes a write touches: the bulletin itself, and for each of its states before and after that readers
 * see (published), the site, its category, tags and author; the taxonomy too when counts can change.
 */
final class ChangeScopes {

    private ChangeScopes() {
    }

    /** {@code before} is null for a new bulletin, {@code after} null for a withdrawn one. */
    static Set<String> of(Bulletin before, Bulletin after) {
        Set<String> scopes = new LinkedHashSet<>();
        scopes.add(Scopes.bulletin((after != null ? after : before).id()));
        boolean was = visible(before);
        boolean is = visible(after);
        if (was) {
            addFeeds(scopes, before);
        }
        if (is) {
            addFeeds(scopes, after);
        }
        if (was != is || was && !(Objects.equals(before.category(), after.category())
                && before.tags().equals(after.tags()))) {
            scopes.add(Scopes.TAXONOMY);
        }
        return scopes;
    }

    private static void addFeeds(Set<String> scopes, Bulletin bulletin) {
        scopes.add(Scopes.SITE);
        if (bulletin.category() != null) {
            scopes.add(Scopes.category(bulletin.category().slug()));
        }
        bulletin.tags().forEach(tag -> scopes.add(Scopes.tag(tag.slug())));
        // The same slug the repository stores as author_slug; a bulletin without an author has no author scope.
        String author = Slugs.of(bulletin.author() == null ? "" : bulletin.author());
        if (!author.isEmpty()) {
            scopes.add(Scopes.author(author));
        }
    }

    private static boolean visible(Bulletin bulletin) {
        return bulletin != null && bulletin.status() == Status.published;
    }
}
