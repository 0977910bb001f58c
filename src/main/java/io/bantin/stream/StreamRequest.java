package io.bantin.stream;

import java.util.Optional;

import org.springframework.web.reactive.function.server.ServerRequest;

import io.bantin.bulletin.Slugs;
import io.bantin.change.Change;
import io.bantin.web.ProblemException;

/**
 * What a stream request asks for: where to resume (null: start live) and which events it wants.
 * Names are folded to slugs as everywhere else, so {@code ?category=Dân vận} works.
 */
record StreamRequest(Long resumeAfter, String category, String tag) {

    static StreamRequest of(ServerRequest request) {
        String resume = Optional.ofNullable(request.headers().firstHeader("Last-Event-ID"))
                .orElseGet(() -> request.queryParam("lastEventId").orElse(null));
        return new StreamRequest(parseSeq(resume), slug(request, "category"), slug(request, "tag"));
    }

    private static Long parseSeq(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long seq = Long.parseLong(value.trim());
            if (seq >= 0) {
                return seq;
            }
        }
        catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest("Last-Event-ID (or lastEventId) must be an event id from this stream, not '"
                + value + "'.");
    }

    private static String slug(ServerRequest request, String name) {
        return request.queryParam(name).map(Slugs::of).filter(slug -> !slug.isEmpty()).orElse(null);
    }

    /**
     * What this subscriber gets of {@code event}: the event itself; a deletion when an edit has taken the
     * bulletin out of the category or tag followed (the client's list must lose it); or null. A deletion
     * always goes out, as its bulletin's terms may have changed since the client saw it.
     */
    StreamEvent view(StreamEvent event) {
        if (event.kind().equals(Change.Kind.deleted.name()) || follows(event.terms())) {
            return event;
        }
        return event.previous() != null && follows(event.previous()) ? event.departure() : null;
    }

    private boolean follows(Change.Terms terms) {
        return (category == null || category.equals(terms.category())) && (tag == null || terms.tags().contains(tag));
    }
}
