package io.bantin.bulletin;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import io.bantin.web.Problem.FieldError;
import io.bantin.web.ProblemException;

/**
 * Turns a request's JSON into a {@link BulletinDraft}, collecting every invalid field at once so a
 * publisher can fix them all in one go. Unknown fields (such as {@code id} or {@code links} from a
 * bulletin fetched for editing) are ignored.
 */
final class BulletinDraftReader {

    static final int MAX_TITLE = 300;
    static final int MAX_SUMMARY = 2_000;
    static final int MAX_AUTHOR = 200;
    static final int MAX_TERM_NAME = 100;
    static final int MAX_TAGS = 20;
    static final int MAX_IMAGES = 20;
    static final int MAX_IMAGE_TYPE = 100;
    private static final Pattern IMAGE_TYPE = Pattern.compile("image/[a-z0-9][a-z0-9!#$&^_.+-]*");
    static final int MAX_URL = 2_000;
    static final int MAX_CAPTION = 1_000;

    private static final Pattern LANGUAGE = Pattern.compile("[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,3}");
    private static final OffsetDateTime EARLIEST = OffsetDateTime.parse("1900-01-01T00:00:00Z");
    private static final OffsetDateTime LATEST = OffsetDateTime.parse("9999-12-31T00:00:00Z");

    private final JsonNode root;
    private final List<FieldError> errors = new ArrayList<>();

    private BulletinDraftReader(JsonNode root) {
        this.root = root;
    }

    static BulletinDraft read(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw ProblemException.invalid(List.of(new FieldError("$", "must be a JSON object")));
        }
        return new BulletinDraftReader(root).draft();
    }

    private BulletinDraft draft() {
        String title = text("title", MAX_TITLE, true);
        if (title != null && title.isBlank()) {
            errors.add(new FieldError("title", "must not be blank"));
        }
        String summary = text("summary", MAX_SUMMARY, false);
        String body = text("body", Integer.MAX_VALUE, false);
        String author = text("author", MAX_AUTHOR, false);
        Bulletin.Term category = term("category", root.get("category"));
        List<Bulletin.Term> tags = tags();
        List<Bulletin.Image> images = images();
        String language = text("language", 35, false);
        if (language != null && !LANGUAGE.matcher(language).matches()) {
            errors.add(new FieldError("language", "must be a language tag such as vi or en-US"));
        }
        OffsetDateTime publishedAt = publishedAt();
        boolean draft = status();
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new BulletinDraft(title.strip(), orEmpty(summary).strip(), HtmlSanitizer.sanitize(orEmpty(body)),
                orEmpty(author).strip(), category, tags, images, language == null ? "vi" : language, publishedAt,
                draft);
    }

    private String text(String field, int max, boolean required) {
        JsonNode node = root.get(field);
        return text(field, node, max, required);
    }

    private String text(String field, JsonNode node, int max, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        if (!node.isString()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        // Plain text is kept as written (a '<' is a word like any other) and escaped by every output.
        String value = PlainText.clean(node.stringValue());
        if (value.codePointCount(0, value.length()) > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
            return null;
        }
        return value;
    }

    private Bulletin.Term term(String field, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        JsonNode name = node.isObject() ? node.get("name") : node;
        if (name == null || !name.isString()) {
            errors.add(new FieldError(field, "must be a name, or an object with a name"));
            return null;
        }
        String value = text(field, name, MAX_TERM_NAME, true);
        if (value == null) {
            return null;
        }
        value = value.strip();
        String slug = Slugs.of(value);
        if (slug.isEmpty()) {
            errors.add(new FieldError(field, "must contain a letter or a digit"));
            return null;
        }
        return new Bulletin.Term(slug, value);
    }

    private List<Bulletin.Term> tags() {
        JsonNode node = root.get("tags");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            errors.add(new FieldError("tags", "must be an array"));
            return List.of();
        }
        if (node.size() > MAX_TAGS) {
            errors.add(new FieldError("tags", "must hold at most " + MAX_TAGS + " tags"));
            return List.of();
        }
        Map<String, Bulletin.Term> bySlug = new LinkedHashMap<>();
        for (int i = 0; i < node.size(); i++) {
            if (node.get(i).isNull()) {
                errors.add(new FieldError("tags[" + i + "]", "must be a name, or an object with a name"));
                continue;
            }
            Bulletin.Term tag = term("tags[" + i + "]", node.get(i));
            if (tag != null) {
                bySlug.putIfAbsent(tag.slug(), tag);
            }
        }
        return List.copyOf(bySlug.values());
    }

    private List<Bulletin.Image> images() {
        JsonNode node = root.get("images");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            errors.add(new FieldError("images", "must be an array"));
            return List.of();
        }
        if (node.size() > MAX_IMAGES) {
            errors.add(new FieldError("images", "must hold at most " + MAX_IMAGES + " images"));
            return List.of();
        }
        List<Bulletin.Image> images = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String field = "images[" + i + "]";
            JsonNode image = node.get(i);
            if (!image.isObject()) {
                errors.add(new FieldError(field, "must be an object with url and caption"));
                continue;
            }
            JsonNode media = image.get("media");
            String caption = text(field + ".caption", image.get("caption"), MAX_CAPTION, false);
            if (media != null && !media.isNull()) {
                UUID id = mediaId(field + ".media", media);
                String alt = text(field + ".alt", image.get("alt"), MAX_CAPTION, false);
                if (id != null) {
                    // Filled in from the photo when written (BulletinPublisher): only the id, caption and alt count here.
                    images.add(new Bulletin.Image(null, caption == null ? null : caption.strip(), null, null, id,
                            alt == null ? null : alt.strip(), null, null, null));
                }
                continue;
            }
            String url = text(field + ".url", image.get("url"), MAX_URL, true);
            if (url != null && !isWebUrl(url.strip())) {
                errors.add(new FieldError(field + ".url", "must be an absolute http or https URL"));
            }
            else if (url != null) {
                images.add(new Bulletin.Image(url.strip(), orEmpty(caption).strip(), length(field + ".length",
                        image.get("length")), imageType(field + ".type", image.get("type"))));
            }
        }
        return images;
    }

    /** The id of a photo uploaded to Bantin ({@code POST /api/v1/media}). */
    private UUID mediaId(String field, JsonNode node) {
        String text = node.isString() ? node.stringValue() : null;
        try {
            if (text != null && text.length() == 36) {
                return UUID.fromString(text);
            }
        }
        catch (IllegalArgumentException e) {
            // reported below
        }
        errors.add(new FieldError(field, "must be the id of an uploaded photo"));
        return null;
    }

    /** A photo's optional size in bytes: a whole number from 1 (RSS's enclosure length). */
    private Long length(String field, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 1) {
            errors.add(new FieldError(field, "must be the photo's size in bytes, a whole number from 1"));
            return null;
        }
        return node.longValue();
    }

    /** A photo's optional media type, an {@code image/} one (e.g. {@code image/jpeg}). */
    private String imageType(String field, JsonNode node) {
        String value = text(field, node, MAX_IMAGE_TYPE, false);
        if (value == null) {
            return null;
        }
        value = value.strip().toLowerCase(java.util.Locale.ROOT);
        if (!IMAGE_TYPE.matcher(value).matches()) {
            errors.add(new FieldError(field, "must be an image media type such as image/jpeg"));
            return null;
        }
        return value;
    }

    private OffsetDateTime publishedAt() {
        String value = text("publishedAt", 64, false);
        if (value == null) {
            return null;
        }
        try {
            OffsetDateTime at = OffsetDateTime.parse(value.strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .truncatedTo(ChronoUnit.MICROS); // PostgreSQL keeps microseconds
            if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
                errors.add(new FieldError("publishedAt", "must be between the years 1900 and 9999"));
                return null;
            }
            return at;
        }
        catch (DateTimeParseException e) {
            errors.add(new FieldError("publishedAt",
                    "must be an ISO-8601 date and time with an offset, such as 2021-01-07T17:00:00+07:00"));
            return null;
        }
    }

    /** Whether the draft is to stay a draft; publishedAt alone decides between published and scheduled. */
    private boolean status() {
        String value = text("status", 20, false);
        if (value == null) {
            return false;
        }
        for (Status status : Status.values()) {
            if (status.name().equals(value)) {
                return status == Status.draft;
            }
        }
        errors.add(new FieldError("status", "must be draft, scheduled or published"));
        return false;
    }

    private static boolean isWebUrl(String url) {
        try {
            URI uri = new URI(url);
            return uri.isAbsolute() && uri.getHost() != null
                    && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
        }
        catch (URISyntaxException e) {
            return false;
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
