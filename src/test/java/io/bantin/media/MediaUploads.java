package io.bantin.media;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Test photos from src/test/resources/media, uploads of them, and reading served bytes back as pixels. */
final class MediaUploads {

    private MediaUploads() {
    }

    static byte[] fixture(String name) {
        try (InputStream in = MediaUploads.class.getResourceAsStream("/media/" + name)) {
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Posts raw bytes with a Content-Type as a publisher; the exchange, for the caller's expectations. */
    static WebTestClient.ResponseSpec post(WebTestClient client, String token, byte[] bytes, String type, String query) {
        WebTestClient.RequestBodySpec request = client.post().uri("/api/v1/media" + query)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        if (type != null) {
            request = request.contentType(MediaType.parseMediaType(type));
        }
        return request.bodyValue(bytes).exchange();
    }

    static BufferedImage pixels(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new AssertionError("ImageIO reads no image from " + bytes.length + " bytes");
            }
            return image;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the pixel at (x, y) is clearly red, as the fixtures' marker in their top-left corner is. */
    static boolean red(BufferedImage image, int x, int y) {
        int rgb = image.getRGB(x, y);
        return ((rgb >> 16) & 0xff) > 180 && ((rgb >> 8) & 0xff) < 90 && (rgb & 0xff) < 90;
    }

    /**
     * A well-formed PNG of about a hundred bytes whose header claims {@code width} × {@code height} pixels: the
     * decompression bomb that a decoder which trusts the header would allocate gigabytes for.
     */
    static byte[] pngClaiming(int width, int height) {
        ByteBuffer png = ByteBuffer.allocate(128);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", ihdr.array());
        // One zlib-compressed run of zero bytes: a few bytes that would inflate to the whole claimed image.
        chunk(png, "IDAT", new byte[] {0x78, (byte) 0xda, 0x63, 0x60, 0x18, 0x05, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(png, "IEND", new byte[0]);
        byte[] out = new byte[png.position()];
        png.flip().get(out);
        return out;
    }

    private static void chunk(ByteBuffer png, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        png.putInt(data.length).put(name).put(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        png.putInt((int) crc.getValue());
    }
}
