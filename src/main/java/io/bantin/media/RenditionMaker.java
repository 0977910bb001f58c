package io.bantin.media;

import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.imaging.jpeg.JpegSegmentMetadataReader;
import com.drew.metadata.exif.ExifReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import net.coobird.thumbnailator.Thumbnails;

import org.springframework.http.HttpStatus;

import io.bantin.web.ProblemException;

/**
 * Turns an uploaded photo into its renditions: read at reduced resolution where every target is smaller, turned
 * upright by its EXIF orientation, converted to sRGB, resampled to each width and written afresh (JPEG, progressive;
 * PNG where it has transparency) with no metadata at all, so a reporter's GPS position never leaves the newsroom.
 * Blocking and CPU-bound: it runs on the media pool ({@link RenditionPool}), never on an event loop.
 */
final class RenditionMaker {

    /** The widths kept, smallest first; the original's own width stands in for those it is smaller than. */
    static final int[] WIDTHS = {320, 640, 1024, 1600};

    /** Pixels decoded at most, whatever the photo's size: what one decode holds is about four bytes each. */
    static final long DECODE_PIXELS = 4L * 1600 * 1600;

    /** One rendition, ready to keep. */
    record File(int width, int height, String type, String extension, byte[] bytes) {
    }

    /** The longest a decode may take. */
    static final int DECODE_SECONDS = 20;

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "media-decode-deadline");
        thread.setDaemon(true);
        return thread;
    });

    private final long maxPixels;
    private final float quality;

    RenditionMaker(long maxPixels, float quality) {
        this.maxPixels = maxPixels;
        this.quality = quality;
    }

    /** Every rendition of {@code bytes}, smallest first; a problem when they are no image this can keep. */
    List<File> make(byte[] bytes, ImageFormat format) {
        int orientation = format == ImageFormat.JPEG ? orientation(bytes) : 1;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = reader(format);
            AtomicBoolean late = new AtomicBoolean();
            ScheduledFuture<?> deadline = null;
            int uprightWidth;
            int uprightHeight;
            BufferedImage decoded;
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0 || (long) width * height > maxPixels) {
                    throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "The image is " + width + " × " + height
                            + " pixels: at most " + maxPixels + " pixels are accepted (bantin.media.max-pixels).");
                }
                uprightWidth = orientation >= 5 ? height : width;
                uprightHeight = orientation >= 5 ? width : height;
                ImageReadParam param = reader.getDefaultReadParam();
                int step = subsampling(uprightWidth, (long) width * height);
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                // A file made to decode slowly (a progressive JPEG of thousands of scans) would hold a decoder for
                // minutes: past the deadline the reader is told to stop, and the upload is refused.
                deadline = WATCHDOG.schedule(() -> {
                    late.set(true);
                    reader.abort();
                }, DECODE_SECONDS, TimeUnit.SECONDS);
                decoded = reader.read(0, param);
            }
            finally {
                if (deadline != null) {
                    deadline.cancel(false);
                }
                reader.dispose();
            }
            if (late.get() || decoded == null) {
                throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "The image took longer than "
                        + DECODE_SECONDS + " s to decode: save it again as an ordinary JPEG or PNG.");
            }
            return renditions(orient(srgb(decoded), orientation), uprightWidth, uprightHeight);
        }
        catch (IOException | RuntimeException e) {
            if (e instanceof ProblemException problem) {
                throw problem;
            }
            // A colour profile the colour engine refuses (CMMException) counts as an unreadable file too.
            throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT,
                    "The file says it is " + format.type() + " but cannot be read as one: " + e.getMessage());
        }
    }

    /** The renditions of the upright image, sized by the original's proportions (the decoded one may be subsampled). */
    private List<File> renditions(BufferedImage upright, int uprightWidth, int uprightHeight) {
        boolean transparent = transparent(upright);
        List<File> files = new ArrayList<>();
        BufferedImage source = upright;
        List<Integer> widths = new ArrayList<>(widths(Math.min(uprightWidth, upright.getWidth())));
        Collections.reverse(widths);
        for (int width : widths) {
            int height = width == upright.getWidth() ? upright.getHeight()
                    : (int) Math.max(1, Math.round((double) uprightHeight * width / uprightWidth));
            BufferedImage scaled = width == source.getWidth() ? source : resize(source, width, height, transparent);
            files.add(transparent ? png(scaled) : jpeg(scaled));
            source = scaled; // each smaller one from the one before: fewer pixels to filter
        }
        Collections.reverse(files);
        return files;
    }

    /** The widths kept for an upright width: those it exceeds, then its own (at most the largest). */
    static List<Integer> widths(int uprightWidth) {
        int largest = Math.min(uprightWidth, WIDTHS[WIDTHS.length - 1]);
        List<Integer> widths = new ArrayList<>();
        for (int width : WIDTHS) {
            if (width < largest) {
                widths.add(width);
            }
        }
        widths.add(largest);
        return widths;
    }

    /** Every n-th pixel read: as many as the largest rendition needs, and never more than {@link #DECODE_PIXELS}. */
    static int subsampling(int uprightWidth, long pixels) {
        int byWidth = Math.max(1, uprightWidth / WIDTHS[WIDTHS.length - 1]);
        int byMemory = (int) Math.ceil(Math.sqrt((double) pixels / DECODE_PIXELS));
        return Math.max(byWidth, byMemory);
    }

    private static ImageReader reader(ImageFormat format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(format.type());
        ImageReader chosen = null;
        while (readers.hasNext()) {
            ImageReader next = readers.next();
            // TwelveMonkeys' JPEG reader handles CMYK, YCCK and ICC profiles the JDK's gets wrong or refuses.
            if (chosen == null || next.getClass().getName().startsWith("com.twelvemonkeys")) {
                chosen = next;
            }
        }
        if (chosen == null) {
            throw new IllegalStateException("media: no ImageIO reader for " + format.type());
        }
        return chosen;
    }

    /**
     * EXIF orientation 1 to 8 of a JPEG (1 when absent or unreadable: metadata never makes an upload fail), read from
     * its APP1 segments only, each at most 64 KiB: the full metadata readers would also inflate PNG text chunks and
     * parse every maker note, a bomb's way in before any pixel limit is checked.
     */
    static int orientation(byte[] bytes) {
        try {
            Metadata metadata = JpegMetadataReader.readMetadata(new ByteArrayInputStream(bytes),
                    List.<JpegSegmentMetadataReader>of(new ExifReader()));
            ExifIFD0Directory exif = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (exif != null && exif.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                int value = exif.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        catch (Exception unreadable) {
            // no orientation to apply
        }
        return 1;
    }

    /** The image in sRGB, 8 bits a channel, with alpha only where it had some. */
    private static BufferedImage srgb(BufferedImage image) {
        boolean alpha = image.getColorModel().hasAlpha();
        int type = alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        if (image.getType() == type) {
            return image;
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), type);
        ColorSpace space = image.getColorModel().getColorSpace();
        if (space.isCS_sRGB() || image.getType() == BufferedImage.TYPE_BYTE_INDEXED) {
            Graphics2D g = out.createGraphics();
            g.drawImage(image, 0, 0, null);
            g.dispose();
        }
        else {
            new ColorConvertOp(null).filter(image, out); // Adobe RGB, ProPhoto, a camera's profile, grey: to sRGB
        }
        return out;
    }

    /** The image turned as EXIF orientation {@code value} says it is to be shown. */
    static BufferedImage orient(BufferedImage image, int value) {
        if (value == 1) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        // (m00, m10, m01, m11, m02, m12): where each stored pixel goes when shown (EXIF 2.32, tag 0x0112)
        AffineTransform t = switch (value) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);   // mirrored
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);  // upside down
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);   // mirrored upside down
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);    // transposed
            case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);   // turned 90° clockwise
            case 7 -> new AffineTransform(0, -1, -1, 0, h, w);  // transversed
            case 8 -> new AffineTransform(0, -1, 1, 0, 0, w);   // turned 90° counter-clockwise
            default -> null;
        };
        if (t == null) {
            return image;
        }
        boolean swap = value >= 5;
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, image.getType());
        new AffineTransformOp(t, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(image, out);
        return out;
    }

    private static boolean transparent(BufferedImage image) {
        if (!image.getColorModel().hasAlpha()) {
            return false;
        }
        int[] row = new int[image.getWidth()];
        for (int y = 0; y < image.getHeight(); y++) {
            image.getRGB(0, y, row.length, 1, row, 0, row.length);
            for (int argb : row) {
                if (argb >>> 24 != 0xff) {
                    return true;
                }
            }
        }
        return false;
    }

    private static BufferedImage resize(BufferedImage source, int width, int height, boolean alpha) {
        try {
            return Thumbnails.of(source).forceSize(width, height)
                    .imageType(alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB).asBufferedImage();
        }
        catch (IOException e) {
            throw new UncheckedIOException("media: unable to resize in memory", e);
        }
    }

    private File jpeg(BufferedImage image) {
        BufferedImage rgb = image;
        if (image.getType() != BufferedImage.TYPE_INT_RGB) {
            rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = rgb.createGraphics();
            g.drawImage(image, 0, 0, null);
            g.dispose();
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(rgb.getWidth() * rgb.getHeight() / 4);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(rgb, null, null), param); // no metadata: a bare JFIF header
        }
        catch (IOException e) {
            throw new UncheckedIOException("media: unable to write a JPEG in memory", e);
        }
        finally {
            writer.dispose();
        }
        return new File(rgb.getWidth(), rgb.getHeight(), "image/jpeg", "jpg", bytes.toByteArray());
    }

    private static File png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(image.getWidth() * image.getHeight());
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageIO.write(image, "png", out);
        }
        catch (IOException e) {
            throw new UncheckedIOException("media: unable to write a PNG in memory", e);
        }
        return new File(image.getWidth(), image.getHeight(), "image/png", "png", bytes.toByteArray());
    }
}
