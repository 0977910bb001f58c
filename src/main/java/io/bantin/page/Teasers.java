package io.bantin.page;

import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.bantin.bulletin.Bulletin;
import io.bantin.web.Cursor;

/** The models of bulletins in lists (with a thumbnail) and of the pager under them. */
final class Teasers {

    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm");

    private Teasers() {
    }

    /** One bulletin in a list: link, title, lead, category, date and its first photo. */
    static Map<String, Object> of(Bulletin b) {
        Map<String, Object> model = new HashMap<>();
        model.put("url", "/bulletins/" + b.slug());
        model.put("title", b.title());
        model.put("summary", b.summary());
        model.put("category", b.category() == null ? null
                : Map.of("url", "/categories/" + b.category().slug(), "name", b.category().name()));
        model.put("date", DATE.format(b.publishedAt()));
        model.put("datetime", b.publishedAt().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        if (!b.images().isEmpty()) {
            model.put("image", PagePhoto.of(b.images().get(0), PagePhoto.THUMBNAIL, 300, 200, true));
            // The front page's lead story shows it across the column, on the first screen.
            model.put("lead", PagePhoto.of(b.images().get(0), PagePhoto.COLUMN, 960, 540, false));
        }
        return model;
    }

    /**
     * The list and its pager.
     *
     * @param path the listing's own path, where the pager's first page link goes
     * @param paged true when this is an older page (then a link to the first page is shown)
     * @param next the next older page's path, null when none
     */
    static Map<String, Object> list(List<Bulletin> items, String empty, String path, boolean paged, String next) {
        Map<String, Object> model = new HashMap<>();
        model.put("hasItems", !items.isEmpty());
        model.put("items", items.stream().map(Teasers::of).toList());
        model.put("empty", empty);
        model.put("first", paged ? path : null);
        model.put("next", next);
        model.put("hasPager", paged || next != null);
        return model;
    }

    /** The path of the page after one ending with {@code last}: {@code path?cursor=…}. */
    static String next(String path, Bulletin last) {
        return path + "?cursor=" + new Cursor(last.publishedAt().toInstant(), last.id()).encode();
    }
}
