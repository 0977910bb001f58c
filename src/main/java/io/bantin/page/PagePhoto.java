package io.bantin.page;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import io.bantin.bulletin.Bulletin;
import io.bantin.media.Media;

/**
 * The model of one {@code <img>}: for a photo uploaded to Bantin, every rendition as a {@code srcset} with the
 * photo's size in pixels (so the browser picks the smallest file that fills the slot and lays the page out before
 * it arrives); for a photo elsewhere, its URL and the slot's usual size.
 */
final class PagePhoto {

    /** The slot of an article photo and of the front-page lead: the page column, at most 62rem (head.mustache). */
    static final String COLUMN = "(max-width: 62rem) 100vw, 60rem";

    /** The slot of a list thumbnail: a third of the column, the whole width on a phone (head.mustache). */
    static final String THUMBNAIL = "(max-width: 30em) 100vw, 20rem";

    private PagePhoto() {
    }

    /**
     * @param slot the {@code sizes} attribute: how wide the photo is shown
     * @param fallbackWidth the width to reserve for a photo whose size Bantin does not know
     * @param fallbackHeight its height
     * @param lazy whether the browser may wait until the photo nears the screen (not for the first screen)
     */
    static Map<String, Object> of(Bulletin.Image image, String slot, int fallbackWidth, int fallbackHeight,
            boolean lazy) {
        Map<String, Object> model = new HashMap<>();
        model.put("caption", image.caption());
        model.put("alt", image.altText());
        model.put("lazy", lazy);
        if (image.renditions() == null || image.renditions().isEmpty() || image.width() == null) {
            model.put("src", image.url());
            model.put("width", fallbackWidth);
            model.put("height", fallbackHeight);
            return model;
        }
        // The src is for browsers without srcset: a size that serves a phone and a laptop alike.
        model.put("src", image.atLeast(1024).url());
        model.put("srcset", image.renditions().stream().map(PagePhoto::candidate).collect(Collectors.joining(", ")));
        model.put("sizes", slot);
        model.put("width", image.width());
        model.put("height", image.height());
        return model;
    }

    private static String candidate(Media.Rendition rendition) {
        return rendition.url() + " " + rendition.width() + "w";
    }
}
