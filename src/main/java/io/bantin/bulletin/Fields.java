package io.bantin.bulletin;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpStatus;

import io.bantin.web.Problem.FieldError;
import io.bantin.web.ProblemException;

/**
 * A sparse fieldset ({@code fields=id,slug,title}): the top-level fields of a bulletin a client wants, so a
 * list can leave out bodies. Canonical (sorted, once each), so equal sets share one cached answer.
 */
record Fields(List<String> names) {

    /** Every top-level field of a bulletin's JSON (API.md, "Bulletin"), in the order it is written. */
    static final List<String> ALL = List.of("id", "slug", "title", "summary", "body", "author", "category", "tags",
            "images", "language", "status", "publishedAt", "updatedAt", "version", "links");

    /** The fields named by the {@code fields} parameter; null when absent or empty (every field). */
    static Fields of(Map<String, List<String>> query) {
        List<String> values = query.get("fields");
        if (values == null || values.isEmpty() || values.get(0).isBlank()) {
            return null;
        }
        TreeSet<String> names = new TreeSet<>();
        for (String name : values.get(0).split(",")) {
            String field = name.strip();
            if (field.isEmpty()) {
                continue;
            }
            if (!ALL.contains(field)) {
                throw new ProblemException(HttpStatus.BAD_REQUEST,
                        "fields names an unknown field: " + field + ". Allowed: " + String.join(", ", ALL) + ".",
                        List.of(new FieldError("fields", "must be a comma-separated list of " + String.join(", ", ALL))));
            }
            names.add(field);
        }
        return names.isEmpty() ? null : new Fields(List.copyOf(names));
    }

    /** As it goes in a cache key and an entity tag: {@code id,slug,title}. */
    String canonical() {
        return String.join(",", names);
    }

    /** The bulletin as its JSON with only these fields, in their usual order. */
    Object project(Bulletin bulletin, JsonMapper json) {
        ObjectNode node = json.valueToTree(bulletin);
        node.retain(names);
        return node;
    }

    /** {@code fields} applied to {@code bulletin}; the bulletin itself when every field is wanted. */
    static Object project(Fields fields, Bulletin bulletin, JsonMapper json) {
        return fields == null ? bulletin : fields.project(bulletin, json);
    }
}
