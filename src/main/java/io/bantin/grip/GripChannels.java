package io.bantin.grip;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.bantin.change.Change;
import io.bantin.stream.StreamWire;
import io.bantin.stream.StreamWire.Format;

/**
 * The GRIP channels of the stream, per format (SSE and NDJSON frames differ): one for the unfiltered stream, one
 * per category, tag, or category and tag followed, and one of deletions, which every filtered stream also
 * follows (a deletion goes to every filtered stream, as in direct mode). An edit that takes a bulletin out of a
 * filter goes on that filter's channel as a deletion, made by the stream's own view of the event.
 */
final class GripChannels {

    private GripChannels() {
    }

    /** What one channel carries: every event, the deletions, or the other events seen through a category/tag filter. */
    record Filter(String category, String tag, boolean deletions) {

        static final Filter ALL = new Filter(null, null, false);
        static final Filter DELETIONS = new Filter(null, null, true);

        /** The channel's name; slugs are [a-z0-9-], so the separators stay unambiguous and header-safe. */
        String channel(Format format) {
            String key = deletions ? "deleted"
                    : category == null && tag == null ? "all"
                    : category == null ? "t:" + tag
                    : tag == null ? "c:" + category
                    : "c:" + category + ":t:" + tag;
            return "bantin:" + format + ":" + key;
        }

        /** This channel's frame for {@code change}, or null when the channel does not carry it. */
        byte[] frame(StreamWire.Framed framed, Change change, Format format) {
            boolean deletion = change.kind() == Change.Kind.deleted;
            if (deletions) {
                return deletion ? framed.frame(null, null, format) : null;
            }
            if (category == null && tag == null) {
                return framed.frame(null, null, format);
            }
            return deletion ? null : framed.frame(category, tag, format);
        }
    }

    /** The channels a stream with these wants follows. */
    static List<Filter> followed(StreamWire.Wanted wanted) {
        if (wanted.category() == null && wanted.tag() == null) {
            return List.of(Filter.ALL);
        }
        return List.of(new Filter(wanted.category(), wanted.tag(), false), Filter.DELETIONS);
    }

    /**
     * Every filter whose channel may carry {@code change}: any category or tag it has or had, alone or together
     * (the channels whose view of it is empty are left out by {@link Filter#frame}).
     */
    static Set<Filter> touched(Change change) {
        Set<Filter> filters = new LinkedHashSet<>();
        filters.add(Filter.ALL);
        if (change.kind() == Change.Kind.deleted) {
            filters.add(Filter.DELETIONS);
            return filters;
        }
        Set<String> categories = new LinkedHashSet<>();
        Set<String> tags = new LinkedHashSet<>();
        for (Change.Terms side : new Change.Terms[] {change.terms(), change.previous()}) {
            if (side != null) {
                if (side.category() != null) {
                    categories.add(side.category());
                }
                tags.addAll(side.tags());
            }
        }
        categories.forEach(category -> filters.add(new Filter(category, null, false)));
        tags.forEach(tag -> filters.add(new Filter(null, tag, false)));
        for (String category : categories) {
            tags.forEach(tag -> filters.add(new Filter(category, tag, false)));
        }
        return filters;
    }
}
