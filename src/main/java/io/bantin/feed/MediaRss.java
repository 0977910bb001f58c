package io.bantin.feed;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.rometools.modules.mediarss.MediaEntryModuleImpl;
import com.rometools.modules.mediarss.types.MediaContent;
import com.rometools.modules.mediarss.types.Metadata;
import com.rometools.modules.mediarss.types.Thumbnail;
import com.rometools.modules.mediarss.types.UrlReference;

import io.bantin.bulletin.Bulletin;
import io.bantin.media.Media;

/**
 * The Media RSS elements of an entry (https://www.rssboard.org/media-rss), the same in RSS and Atom:
 * one {@code media:content} per photo with its caption as {@code media:description} (and, for an
 * uploaded photo, its size in pixels and bytes), and the first photo, its smallest rendition where Bantin holds
 * it, as the entry's {@code media:thumbnail}, where feedparser, newsboat and Miniflux look first.
 */
final class MediaRss {

    private MediaRss() {
    }

    /** The module for these photos; empty when none of them is a usable URI. */
    static Optional<MediaEntryModuleImpl> of(List<Bulletin.Image> images) {
        List<MediaContent> contents = new ArrayList<>();
        Thumbnail thumbnail = null;
        for (Bulletin.Image image : images) {
            URI uri = uri(image.url());
            if (uri == null) {
                continue; // not a URI: it cannot be referenced; the body still shows it
            }
            MediaContent content = new MediaContent(new UrlReference(uri));
            content.setMedium("image");
            content.setType(type(image));
            if (image.length() != null) {
                content.setFileSize(image.length());
            }
            if (image.width() != null) {
                content.setWidth(image.width());
                content.setHeight(image.height());
            }
            Metadata metadata = new Metadata();
            if (!image.caption().isBlank()) {
                metadata.setDescription(image.caption());
            }
            content.setMetadata(metadata);
            contents.add(content);
            if (thumbnail == null) {
                thumbnail = thumbnail(image, uri);
            }
        }
        if (contents.isEmpty()) {
            return Optional.empty();
        }
        MediaEntryModuleImpl media = new MediaEntryModuleImpl();
        media.setMediaContents(contents.toArray(MediaContent[]::new));
        Metadata item = new Metadata();
        item.setThumbnail(new Thumbnail[] {thumbnail});
        media.setMetadata(item);
        return Optional.of(media);
    }

    /** The smallest rendition of an uploaded photo with its size, where readers pick a list's picture; else the photo. */
    private static Thumbnail thumbnail(Bulletin.Image image, URI photo) {
        if (image.renditions() == null || image.renditions().isEmpty()) {
            return new Thumbnail(photo);
        }
        Media.Rendition small = image.renditions().get(0);
        URI uri = uri(small.url());
        return uri == null ? new Thumbnail(photo) : new Thumbnail(uri, small.width(), small.height());
    }

    /** The first photo whose URL is a URI, the one every format offers as the entry's picture. */
    static Optional<Bulletin.Image> first(List<Bulletin.Image> images) {
        return images.stream().filter(MediaRss::usable).findFirst();
    }

    /** Whether a photo's URL can be referenced from a feed at all. */
    static boolean usable(Bulletin.Image image) {
        return uri(image.url()) != null;
    }

    /** A photo's media type: the one its publisher gave, else guessed from its URL. */
    static String type(Bulletin.Image image) {
        return image.type() != null ? image.type() : imageType(image.url());
    }

    /** The media type of a photo guessed from its file extension; JPEG when there is none. */
    static String imageType(String url) {
        String path = url.toLowerCase(Locale.ROOT).replaceAll("[?#].*$", "");
        if (path.endsWith(".png")) {
            return "image/png";
        }
        if (path.endsWith(".gif")) {
            return "image/gif";
        }
        if (path.endsWith(".webp")) {
            return "image/webp";
        }
        if (path.endsWith(".avif")) {
            return "image/avif";
        }
        if (path.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "image/jpeg";
    }

    private static URI uri(String url) {
        try {
            return url.isBlank() ? null : new URI(url);
        }
        catch (URISyntaxException e) {
            return null;
        }
    }
}
