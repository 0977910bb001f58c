package io.bantin.bulletin;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;

import io.bantin.web.Cursor;
import io.bantin.web.Problem.FieldError;
import io.bantin.web.ProblemException;

/** Reads the query parameters of {@code GET /api/v1/bulletins} into a {@link BulletinQuery}. */
final class ListParameters {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final Function<String, Optional<String>> request;
    private final ZoneId zone;
    private final List<FieldError> errors = new ArrayList<>();

    private ListParameters(Function<String, Optional<String>> request, ZoneId zone) {
        this.request = request;
        this.zone = zone;
    }

    /** The query; {@code forStream} lifts the page cap (NDJSON returns every match unless a limit is given). */
    static BulletinQuery read(ServerRequest request, ZoneId zone, boolean forStream) {
        return new ListParameters(request::queryParam, zone).query(forStream);
    }

    /** The query of a JSON page, from the decoded query parameters (the first value of each counts). */
    static BulletinQuery read(Map<String, List<String>> query, ZoneId zone) {
        return new ListParameters(name -> {
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
        }, zone).query(false);
    }

    private BulletinQuery query(boolean forStream) {
        String category = slug("category");
        String tag = slug("tag");
        String author = slug("author");
        String q = request.apply("q").map(PlainText::clean).map(String::strip).filter(s -> !s.isEmpty())
                .orElse(null);
        if (q != null && q.length() > 200) {
            errors.add(new FieldError("q", "must be at most 200 characters"));
        }
        OffsetDateTime since = time("since", day -> day.atStartOfDay(zone).toOffsetDateTime());
        OffsetDateTime until = time("until", day -> day.plusDays(1).atStartOfDay(zone).minusNanos(1000).toOffsetDateTime());
        Integer limit = limit(forStream);
        Cursor after = request.apply("cursor").filter(s -> !s.isEmpty()).map(Cursor::decode).orElse(null);
        java.util.Set<Status> statuses = statuses();
        if (!errors.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "The query has invalid parameters.", errors);
        }
        return new BulletinQuery(category, tag, author, q, since, until, after, limit, statuses);
    }

    /** {@code status=draft,scheduled} (or {@code all}): a token holder's list, hidden bulletins included. */
    private java.util.Set<Status> statuses() {
        String value = request.apply("status").filter(s -> !s.isBlank()).orElse(null);
        if (value == null) {
            return null;
        }
        java.util.Set<Status> statuses = java.util.EnumSet.noneOf(Status.class);
        for (String name : value.split(",")) {
            String status = name.strip();
            if (status.equals("all")) {
                statuses.addAll(java.util.EnumSet.allOf(Status.class));
                continue;
            }
            try {
                statuses.add(Status.valueOf(status));
            }
            catch (IllegalArgumentException e) {
                errors.add(new FieldError("status", "must be draft, scheduled, published or all, comma separated"));
                return null;
            }
        }
        return statuses;
    }

    private String slug(String name) {
        return request.apply(name).filter(s -> !s.isBlank()).map(value -> {
            String slug = Slugs.of(PlainText.clean(value));
            return slug.isEmpty() ? "-" : slug; // matches nothing, as a name without letters should
        }).orElse(null);
    }

    private OffsetDateTime time(String name, Function<LocalDate, OffsetDateTime> ofDay) {
        String value = request.apply(name).filter(s -> !s.isBlank()).orElse(null);
        if (value == null) {
            return null;
        }
        try {
            // An unencoded '+' in a query string arrives as a space: read it as the offset sign it was.
            OffsetDateTime time = value.length() == 10 ? ofDay.apply(LocalDate.parse(value))
                    : OffsetDateTime.parse(value.strip().replace(' ', '+'));
            if (time.getYear() < 1 || time.getYear() > 9999) {
                errors.add(new FieldError(name, "must be between the years 1 and 9999"));
                return null;
            }
            return time;
        }
        catch (java.time.DateTimeException e) {
            errors.add(new FieldError(name, "must be a date (2021-01-07) or a date and time with an offset "
                    + "such as 2021-01-07T17:00:00+07:00"));
            return null;
        }
    }

    private Integer limit(boolean forStream) {
        String value = request.apply("limit").orElse(null);
        if (value == null) {
            return forStream ? null : DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit < 1) {
                errors.add(new FieldError("limit", "must be at least 1"));
                return null;
            }
            return forStream ? limit : Math.min(limit, MAX_LIMIT);
        }
        catch (NumberFormatException e) {
            errors.add(new FieldError("limit", "must be a whole number"));
            return null;
        }
    }
}
