package io.bantin.bulletin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

import io.bantin.system.BantinProperties;

/**
 * The JPEG photos the server itself serves under {@code /demo/} with their size in bytes and pixels, read
 * once at start-up: the demo bulletins give feeds a real RSS enclosure length, and pages give chat apps
 * {@code og:image:width} and {@code og:image:height}.
 */
@Component
public class DemoPhotos {

    /** Where the files are on the classpath, and their path under the public URL. */
    static final String LOCATION = "classpath:static/demo/*.jpg";
    static final String PATH = "/demo/";

    /** One served photo: its size in bytes, media type, and size in pixels. */
    public record Photo(long length, String type, int width, int height) {
    }

    private final Map<String, Photo> byUrl = new LinkedHashMap<>();

    DemoPhotos(BantinProperties properties) {
        try {
            // Start-up, on the main thread, before any request: reading the jar here blocks no event loop.
            for (Resource file : new PathMatchingResourcePatternResolver().getResources(LOCATION)) {
                byUrl.put(properties.url(PATH + file.getFilename()), read(file));
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("demo: unable to read the photos in " + LOCATION, e);
        }
    }

    /** The photo at {@code url} when the server serves it; empty for anyone else's. */
    public Optional<Photo> of(String url) {
        return Optional.ofNullable(byUrl.get(url));
    }

    private static Photo read(Resource file) throws IOException {
        try (InputStream in = file.getInputStream(); ImageInputStream image = ImageIO.createImageInputStream(in)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(image);
            if (!readers.hasNext()) {
                throw new IOException(file.getFilename() + " is not an image ImageIO reads");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(image, true, true);
                return new Photo(file.contentLength(), "image/jpeg", reader.getWidth(0), reader.getHeight(0));
            }
            finally {
                reader.dispose();
            }
        }
    }
}
