package io.bantin.media;

import static io.bantin.media.MediaUploads.fixture;
import static io.bantin.media.MediaUploads.pixels;
import static io.bantin.media.MediaUploads.post;
import static io.bantin.media.MediaUploads.red;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.exif.ExifDirectoryBase;
import com.drew.metadata.exif.GpsDirectory;
import com.drew.metadata.icc.IccDirectory;
import com.drew.metadata.xmp.XmpDirectory;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/** Uploads against the real PostgreSQL: what is kept, what is served, and what is refused with nothing kept. */
@IntegrationTest
class MediaUploadTest {

    static final String PUBLIC = "https://tin.example.vn";
    static final String CAPTION = "Các đại biểu dự Hội nghị lần thứ 12 – Ban Chấp hành Đảng bộ tỉnh Đắk Lắk";

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient db;

    @LocalServerPort
    int port;

    String publisher;

    @BeforeEach
    void token() {
        // A token per test: each stays within the upload burst (bantin.media.burst), which one test is about.
        publisher = Api.issueToken(client, "publisher");
    }

    private String upload(String fixture, String type, String query) {
        return post(client, publisher, fixture(fixture), type, query).expectStatus().isCreated()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
    }

    private byte[] served(String url) {
        assertThat(url).startsWith(PUBLIC + "/media/");
        return client.get().uri(url.substring(PUBLIC.length())).exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
    }

    private long kept() {
        return db.sql("SELECT (SELECT count(*) FROM media) + (SELECT count(*) FROM media_files)")
                .map(row -> row.get(0, Long.class)).one().block(Duration.ofSeconds(10));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aJpegIsKeptInFourSizesWhoseAnnouncedSizesAreThoseOfTheServedBytes() {
        String query = "?caption=" + CAPTION + "&alt=Hội trường đông kín đại biểu&credit=Hương Lan";
        WebTestClient.ResponseSpec created = post(client, publisher, fixture("photo.jpg"), "image/jpeg", query);
        String body = created.expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody();
        String id = JsonPath.read(body, "$.id");
        created.expectHeader().valueEquals(HttpHeaders.LOCATION, PUBLIC + "/api/v1/media/" + id);
        assertThat((String) JsonPath.read(body, "$.caption")).isEqualTo(CAPTION);
        assertThat((String) JsonPath.read(body, "$.alt")).isEqualTo("Hội trường đông kín đại biểu");
        assertThat((String) JsonPath.read(body, "$.credit")).isEqualTo("Hương Lan");
        List<Map<String, Object>> renditions = JsonPath.read(body, "$.renditions");
        // Never upscaled: the 1200 px original is the largest size, in place of 1600.
        assertThat(renditions).extracting(r -> r.get("width")).containsExactly(320, 640, 1024, 1200);
        for (Map<String, Object> rendition : renditions) {
            byte[] bytes = served((String) rendition.get("url"));
            BufferedImage image = pixels(bytes);
            assertThat(bytes.length).isEqualTo(((Number) rendition.get("length")).intValue());
            assertThat(image.getWidth()).isEqualTo(rendition.get("width"));
            assertThat(image.getHeight()).isEqualTo(rendition.get("height"));
            assertThat(image.getHeight()).isEqualTo(Math.round(image.getWidth() * 800 / 1200f));
            assertThat(rendition.get("type")).isEqualTo("image/jpeg");
            assertThat(progressive(bytes)).as("progressive JPEG (SOF2)").isTrue();
            assertThat(red(image, image.getWidth() / 20, image.getHeight() / 20)).isTrue();
        }
        Map<String, Object> largest = renditions.get(renditions.size() - 1);
        assertThat((String) JsonPath.read(body, "$.url")).isEqualTo(largest.get("url"));
        assertThat((Integer) JsonPath.read(body, "$.width")).isEqualTo(1200);
        assertThat((Integer) JsonPath.read(body, "$.height")).isEqualTo(800);
        assertThat(((Number) JsonPath.read(body, "$.length")).longValue())
                .isEqualTo(((Number) largest.get("length")).longValue());

        String read = client.get().uri("/api/v1/media/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat((String) JsonPath.read(read, "$.caption")).isEqualTo(CAPTION);
        assertThat((List<Object>) JsonPath.read(read, "$.renditions")).hasSize(4);
        String list = client.get().uri("/api/v1/media?limit=50").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat((List<String>) JsonPath.read(list, "$.items[*].id")).contains(id);
    }

    @Test
    void aLargePhotoIsKeptAt1600AndBelowDecodedAtReducedResolution() throws IOException {
        // 4000 × 2000: decoded at half size (2000 px is enough for 1600), then each width once.
        BufferedImage large = new BufferedImage(4000, 2000, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = large.createGraphics();
        g.setColor(java.awt.Color.BLUE);
        g.fillRect(0, 0, 4000, 2000);
        g.setColor(java.awt.Color.RED);
        g.fillRect(0, 0, 400, 200);
        g.dispose();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(large, "jpeg", jpeg);
        String body = post(client, publisher, jpeg.toByteArray(), "image/jpeg", "").expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat((List<Integer>) JsonPath.read(body, "$.renditions[*].width")).containsExactly(320, 640, 1024, 1600);
        assertThat((List<Integer>) JsonPath.read(body, "$.renditions[*].height")).containsExactly(160, 320, 512, 800);
        BufferedImage kept = pixels(served(JsonPath.read(body, "$.url")));
        assertThat(kept.getWidth()).isEqualTo(1600);
        assertThat(red(kept, 20, 20)).isTrue();
        assertThat(red(kept, 1500, 700)).isFalse();
    }

    @Test
    void aClientThatWaitsFor100ContinueGetsItAndThen201OnAConnectionKeptOpen() throws Exception {
        // curl asks "Expect: 100-continue" before sending any body over 1 MiB, as most photos are.
        byte[] photo = fixture("small.png");
        String answer = raw("Content-Length: " + photo.length + "\r\nExpect: 100-continue\r\n", out -> out.write(photo),
                "image/png");
        assertThat(answer).startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201").doesNotContainIgnoringCase("connection: close");
    }

    @Test
    void aServedFileIsImmutableWithValidatorsHeadAnd304() {
        String body = upload("small.png", "image/png", "");
        String url = JsonPath.read(body, "$.url");
        String path = url.substring(PUBLIC.length());
        // A photo without transparency is a photo: kept as JPEG, at its own size (300 px, never upscaled).
        assertThat(path).matches("/media/[0-9a-f]{32}/300\\.jpg");
        WebTestClient.ResponseSpec ok = client.get().uri(path).exchange().expectStatus().isOk();
        ok.expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "public, max-age=31536000, immutable")
                .expectHeader().contentType("image/jpeg")
                .expectHeader().valueMatches("Surrogate-Key", "media media:[0-9a-f-]{36}")
                .expectHeader().valueMatches("Content-Security-Policy", ".*sandbox.*")
                .expectHeader().exists(HttpHeaders.LAST_MODIFIED);
        String etag = ok.returnResult(byte[].class).getResponseHeaders().getETag();
        assertThat(etag).startsWith("\"");
        client.get().uri(path).header(HttpHeaders.IF_NONE_MATCH, etag).exchange().expectStatus().isNotModified()
                .expectHeader().valueEquals(HttpHeaders.ETAG, etag)
                .expectBody().isEmpty();
        long length = ((Number) JsonPath.read(body, "$.length")).longValue();
        client.head().uri(path).exchange().expectStatus().isOk()
                .expectHeader().contentLength(length)
                .expectBody().isEmpty();
        client.get().uri(path.replace("/300.jpg", "/640.jpg")).exchange().expectStatus().isNotFound();
        client.get().uri("/media/" + "0".repeat(32) + "/300.jpg").exchange().expectStatus().isNotFound();
    }

    @Test
    void anExifRotatedPhotoComesOutUprightAndAPhotoWithGpsWithNoMetadataAtAll() throws Exception {
        // rotated.jpg is stored 800 × 1200 with EXIF Orientation 6; shown upright it is 1200 × 800, red top left.
        String rotated = upload("rotated.jpg", "image/jpeg", "");
        BufferedImage upright = pixels(served(JsonPath.read(rotated, "$.url")));
        assertThat(upright.getWidth()).isEqualTo(1200);
        assertThat(upright.getHeight()).isEqualTo(800);
        assertThat(red(upright, 40, 40)).isTrue();
        assertThat(red(upright, 1160, 760)).isFalse();
        assertThat(red(upright, 1160, 40)).isFalse();
        assertThat(red(upright, 40, 760)).isFalse();

        byte[] original = fixture("gps.jpg");
        assertThat(new String(original, StandardCharsets.ISO_8859_1)).contains("Exif");
        assertThat(ImageMetadataReader.readMetadata(new ByteArrayInputStream(original))
                .getFirstDirectoryOfType(GpsDirectory.class)).isNotNull();
        String gps = upload("gps.jpg", "image/jpeg", "");
        List<String> urls = JsonPath.read(gps, "$.renditions[*].url");
        for (String url : urls) {
            byte[] bytes = served(url);
            assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain("Exif").doesNotContain("http://ns.adobe.com/xap");
            for (Directory directory : ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes)).getDirectories()) {
                assertThat(directory).isNotInstanceOf(ExifDirectoryBase.class).isNotInstanceOf(XmpDirectory.class)
                        .isNotInstanceOf(IccDirectory.class);
            }
        }
    }

    @Test
    void cmykAndAdobeRgbJpegsComeOutAsSrgb() throws Exception {
        for (String fixture : List.of("cmyk.jpg", "adobergb.jpg")) {
            String body = upload(fixture, "image/jpeg", "");
            byte[] bytes = served(JsonPath.read(body, "$.url"));
            BufferedImage image = pixels(bytes);
            assertThat(image.getColorModel().getColorSpace().isCS_sRGB()).as(fixture).isTrue();
            assertThat(image.getColorModel().getNumColorComponents()).isEqualTo(3);
            assertThat(image.getWidth()).isEqualTo(600);
            assertThat(red(image, 20, 20)).as(fixture + ": its red stays red").isTrue();
            // No embedded profile: the pixels themselves are sRGB, as every browser assumes of an untagged JPEG.
            assertThat(ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes))
                    .getFirstDirectoryOfType(IccDirectory.class)).isNull();
        }
    }

    @Test
    void aTransparentPngStaysAPngWithItsTransparency() {
        String body = upload("transparent.png", "image/png", "");
        assertThat((String) JsonPath.read(body, "$.type")).isEqualTo("image/png");
        List<String> urls = JsonPath.read(body, "$.renditions[*].url");
        assertThat(urls).allMatch(url -> url.endsWith(".png"));
        assertThat((List<Integer>) JsonPath.read(body, "$.renditions[*].width")).containsExactly(320, 500);
        BufferedImage image = pixels(served(urls.get(urls.size() - 1)));
        assertThat(image.getColorModel().hasAlpha()).isTrue();
        assertThat(image.getRGB(5, 5) >>> 24).as("alpha of the transparent corner").isZero();
    }

    @Test
    void aMultipartFormUploadCarriesItsWords() {
        // Written out as a browser's form sends it (the client's own multipart writer draws its boundary from
        // SecureRandom, a blocking read BlockHound refuses on the event loop).
        String boundary = "----bantin7MA4YWxkTrZu0gW";
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\n" + CAPTION
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\nHội trường\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"hội-nghị.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        form.writeBytes(fixture("photo.jpg"));
        form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        String body = client.post().uri("/api/v1/media").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .contentType(MediaType.parseMediaType("multipart/form-data; boundary=" + boundary))
                .bodyValue(form.toByteArray()).exchange().expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat((String) JsonPath.read(body, "$.caption")).isEqualTo(CAPTION);
        assertThat((String) JsonPath.read(body, "$.alt")).isEqualTo("Hội trường");
        assertThat((Integer) JsonPath.read(body, "$.width")).isEqualTo(1200);
    }

    @Test
    void aRetriedUploadWithTheSameIdempotencyKeyKeepsOnePhoto() {
        long before = kept();
        byte[] photo = fixture("small.png");
        String first = client.post().uri("/api/v1/media").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .header("Idempotency-Key", "anh-hoi-nghi-1").contentType(MediaType.IMAGE_PNG).bodyValue(photo)
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody();
        long afterFirst = kept();
        client.post().uri("/api/v1/media").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .header("Idempotency-Key", "anh-hoi-nghi-1").contentType(MediaType.IMAGE_PNG).bodyValue(photo)
                .exchange().expectStatus().isCreated().expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody().jsonPath("$.id").isEqualTo(JsonPath.read(first, "$.id"));
        assertThat(afterFirst).isGreaterThan(before);
        assertThat(kept()).isEqualTo(afterFirst);
        client.post().uri("/api/v1/media").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .header("Idempotency-Key", "anh-hoi-nghi-1").contentType(MediaType.IMAGE_JPEG).bodyValue(fixture("photo.jpg"))
                .exchange().expectStatus().isEqualTo(422);
        assertThat(kept()).isEqualTo(afterFirst);
    }

    @Test
    void aTokenUploadingFasterThanItsRateGets429WithRetryAfter() {
        // Each upload costs a decode: past the burst (20 by default) a token waits, whatever its general write rate.
        int status = 0;
        String retryAfter = null;
        for (int i = 0; i < 40 && status != 429; i++) {
            WebTestClient.ResponseSpec answer = post(client, publisher, new byte[0], "image/png", "");
            var result = answer.returnResult(String.class);
            status = result.getStatus().value();
            retryAfter = result.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER);
        }
        assertThat(status).isEqualTo(429);
        assertThat(Integer.parseInt(retryAfter)).isPositive();
    }

    @Test
    void aTokenWithTwoUploadsInProgressWaitsForOneBeforeAThird() throws Exception {
        // Two uploads that declare a photo and send only its first bytes: each holds its place until it ends.
        String head = "POST /api/v1/media HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + publisher
                + "\r\nContent-Type: image/jpeg\r\nContent-Length: 100000\r\n\r\n";
        try (Socket one = new Socket("127.0.0.1", port); Socket two = new Socket("127.0.0.1", port)) {
            for (Socket slow : List.of(one, two)) {
                slow.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                slow.getOutputStream().write(Arrays.copyOf(fixture("photo.jpg"), 1000));
                slow.getOutputStream().flush();
            }
            io.bantin.support.Eventually.eventually(java.time.Duration.ofSeconds(10),
                    () -> post(client, publisher, fixture("small.png"), "image/png", "").returnResult(String.class)
                            .getStatus().value(), status -> status == 429);
        }
        // Once they are gone, the token uploads again.
        io.bantin.support.Eventually.eventually(java.time.Duration.ofSeconds(10),
                () -> post(client, publisher, fixture("small.png"), "image/png", "").returnResult(String.class)
                        .getStatus().value(), status -> status == 201);
    }

    @Test
    void aPngWhoseTextChunkWouldInflateTo200MegabytesIsKeptWithoutInflatingIt() throws IOException {
        byte[] png = fixture("small.png");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.writeBytes("Comment\0\0".getBytes(StandardCharsets.ISO_8859_1));
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(9);
        byte[] zeros = new byte[1 << 20];
        byte[] out = new byte[64 * 1024];
        for (int i = 0; i < 200; i++) {
            deflater.setInput(zeros);
            while (!deflater.needsInput()) {
                text.write(out, 0, deflater.deflate(out));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            text.write(out, 0, deflater.deflate(out));
        }
        // zTXt right after IHDR (8-byte signature + 25-byte IHDR chunk), as an encoder may write it.
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        bomb.write(png, 0, 33);
        byte[] data = text.toByteArray();
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update("zTXt".getBytes(StandardCharsets.US_ASCII));
        crc.update(data);
        bomb.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        bomb.writeBytes("zTXt".getBytes(StandardCharsets.US_ASCII));
        bomb.writeBytes(data);
        bomb.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        bomb.write(png, 33, png.length - 33);
        assertThat(bomb.size()).isLessThan(1 << 20);
        String body = post(client, publisher, bomb.toByteArray(), "image/png", "").expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat((Integer) JsonPath.read(body, "$.width")).isEqualTo(300);
    }

    @Test
    void onlyPublishersUpload() {
        client.post().uri("/api/v1/media").contentType(MediaType.IMAGE_JPEG).bodyValue(fixture("photo.jpg"))
                .exchange().expectStatus().isUnauthorized();
        client.get().uri("/api/v1/media").exchange().expectStatus().isUnauthorized();
    }

    static Stream<Arguments> refused() {
        byte[] jpeg = fixture("photo.jpg");
        return Stream.of(
                Arguments.of("a 60,000 × 60,000 PNG bomb", MediaUploads.pngClaiming(60_000, 60_000), "image/png", 422),
                Arguments.of("a truncated JPEG", Arrays.copyOf(jpeg, jpeg.length / 2), "image/jpeg", 422),
                Arguments.of("an SVG", ("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">"
                        + "<script>alert(1)</script></svg>").getBytes(StandardCharsets.UTF_8), "image/svg+xml", 415),
                Arguments.of("HTML sent as a JPEG", "<!doctype html><html><body><script>alert(1)</script></body></html>"
                        .getBytes(StandardCharsets.UTF_8), "image/jpeg", 415),
                Arguments.of("a GIF/HTML polyglot", polyglotGif(), "image/gif", 422),
                Arguments.of("an empty body", new byte[0], "image/jpeg", 400),
                Arguments.of("a PNG that says it is a JPEG", fixture("small.png"), "image/jpeg", 415),
                Arguments.of("a JPEG without a Content-Type", jpeg, null, 415));
    }

    @ParameterizedTest(name = "{0} is refused")
    @MethodSource
    void refused(String what, byte[] bytes, String type, int status) {
        long before = kept();
        post(client, publisher, bytes, type, "").expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isNotEmpty();
        assertThat(kept()).as(what + ": nothing kept").isEqualTo(before);
    }

    @Test
    void aBodyPastTheLimitIsRefusedAndNothingIsKept() throws Exception {
        long before = kept();
        byte[] start = Arrays.copyOf(fixture("photo.jpg"), 64 * 1024);
        // Declared past the limit: answered at once, before the body is read at all.
        String declared = raw("Content-Length: " + (20 * 1024 * 1024 + 1) + "\r\n", out -> out.write(start));
        assertThat(declared).startsWith("HTTP/1.1 413").contains("application/problem+json").contains("max-bytes");
        // Sent in chunks with no length: read up to the limit, then refused, never buffered past it.
        String chunked = raw("Transfer-Encoding: chunked\r\n", out -> {
            byte[] chunk = new byte[256 * 1024];
            String size = Integer.toHexString(chunk.length) + "\r\n";
            for (int sent = 0; sent <= 21 * 1024 * 1024; sent += chunk.length) {
                out.write(size.getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        });
        assertThat(chunked).startsWith("HTTP/1.1 413").contains("application/problem+json");
        assertThat(kept()).isEqualTo(before);
    }

    interface Body {
        void write(OutputStream out) throws IOException;
    }

    /** An upload over a plain socket, its body written on a thread of its own: the server may answer mid-body. */
    private String raw(String framing, Body body) throws Exception {
        return raw(framing, body, "image/jpeg");
    }

    private String raw(String framing, Body body, String type) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/media HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + publisher
                    + "\r\nContent-Type: " + type + "\r\n" + framing + "\r\n").getBytes(StandardCharsets.US_ASCII));
            Thread writer = new Thread(() -> {
                try {
                    body.write(out);
                    out.flush();
                }
                catch (IOException closed) {
                    // the server answered and hung up before the whole body was sent: what a limit is for
                }
            });
            writer.start();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0 && answer.size() < 64 * 1024; ) {
                    answer.write(buffer, 0, n);
                    if (answer.toString(StandardCharsets.ISO_8859_1).contains("}")) {
                        break; // the whole problem document is in
                    }
                }
            }
            catch (IOException reset) {
                // a reset after the answer arrived
            }
            writer.join(30_000);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    /** A real 1 × 1 GIF with an HTML document in its comment: a browser sniffing it could run the script. */
    static byte[] polyglotGif() {
        byte[] head = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0};
        byte[] comment = "<html><script>alert(document.domain)</script></html>".getBytes(StandardCharsets.US_ASCII);
        byte[] image = {0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b};
        byte[] out = new byte[head.length + 3 + comment.length + 1 + image.length];
        System.arraycopy(head, 0, out, 0, head.length);
        int at = head.length;
        out[at++] = 0x21;
        out[at++] = (byte) 0xfe;
        out[at++] = (byte) comment.length;
        System.arraycopy(comment, 0, out, at, comment.length);
        at += comment.length;
        out[at++] = 0;
        System.arraycopy(image, 0, out, at, image.length);
        return out;
    }

    private static boolean progressive(byte[] jpeg) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xc2) {
                return true;
            }
        }
        return false;
    }
}
