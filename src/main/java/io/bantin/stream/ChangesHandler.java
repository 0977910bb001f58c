package io.bantin.stream;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.bantin.bulletin.Slugs;
import io.bantin.change.EventLog;
import io.bantin.web.ProblemException;

/**
 * {@code GET /api/v1/changes?after=&limit=}: the stream's events as a finite page, for apps that cannot hold a
 * stream open (background refresh). Items are the stream's NDJSON lines; {@code next} is where to go on.
 */
@Component
class ChangesHandler {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;

    private final EventLog eventLog;

    ChangesHandler(EventLog eventLog) {
        this.eventLog = eventLog;
    }

    Mono<ServerResponse> changes(ServerRequest request) {
        Long after = number(request, "after", 0, Long.MAX_VALUE);
        Long asked = number(request, "limit", 1, MAX_LIMIT);
        int limit = asked == null ? DEFAULT_LIMIT : asked.intValue();
        StreamRequest filter = new StreamRequest(after, slug(request, "category"), slug(request, "tag"));
        return eventLog.bounds().flatMap(kept -> {
            if (after == null) {
                return Mono.just(page(List.of(), kept.newest())); // a starting point, as a live stream starts at the end
            }
            // As the stream: a cursor just before the oldest kept event has missed nothing, one further back has.
            if (after < kept.oldest() - 1 || after > kept.newest()) {
                StreamEvent reset = StreamEvent.control(kept.newest(), StreamSource.RESET,
                        "{\"lastEventId\":" + kept.newest() + "}");
                return Mono.just(page(List.of(reset), kept.newest()));
            }
            return eventLog.after(after, limit).map(StreamEvent::of).collectList().map(events -> page(
                    events.stream().map(filter::view).filter(e -> e != null).toList(),
                    events.isEmpty() ? after : events.get(events.size() - 1).seq()));
        }).flatMap(body -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .bodyValue(body));
    }

    /** {@code {"items":[…],"next":"…"}}: each item the stream's NDJSON line, {@code next} the last event id read. */
    private static String page(List<StreamEvent> events, long next) {
        StringBuilder json = new StringBuilder("{\"items\":[");
        for (int i = 0; i < events.size(); i++) {
            StreamEvent event = events.get(i);
            json.append(i == 0 ? "" : ",").append("{\"id\":").append(event.seq()).append(",\"event\":\"")
                    .append(event.kind()).append("\",\"data\":").append(event.payload()).append('}');
        }
        return json.append("],\"next\":\"").append(next).append("\"}\n").toString();
    }

    private static Long number(ServerRequest request, String name, long min, long max) {
        String value = request.queryParam(name).orElse(null);
        if (value == null) {
            return null;
        }
        try {
            long number = Long.parseLong(value.strip());
            if (number >= min && number <= max) {
                return number;
            }
        }
        catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest(name.equals("after")
                ? "after must be an event id (a whole number from 0), not '" + value + "'."
                : "limit must be a whole number from 1 to " + MAX_LIMIT + ", not '" + value + "'.");
    }

    private static String slug(ServerRequest request, String name) {
        return request.queryParam(name).map(Slugs::of).filter(slug -> !slug.isEmpty()).orElse(null);
    }
}
