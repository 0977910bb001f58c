package io.bantin.feed;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

import javax.xml.parsers.DocumentBuilderFactory;

import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Test helpers: fetch feeds, parse them back, and wait (boundedly) for what another instance learns a moment later. */
public final class Feeds {

    private Feeds() {
    }

    /** The client with a generous timeout: the 2 shared cores of the build machine are often busy. */
    public static WebTestClient patient(WebTestClient client) {
        return client.mutate().responseTimeout(java.time.Duration.ofSeconds(30)).build();
    }

    public static EntityExchangeResult<byte[]> get(WebTestClient client, String uri) {
        return client.get().uri(uri).exchange().expectStatus().isOk().expectBody(byte[].class).returnResult();
    }

    public static byte[] body(WebTestClient client, String uri) {
        return get(client, uri).getResponseBody();
    }

    /** Fetches until {@code ok} holds, for at most 6 s: another instance's writes reach feeds by LISTEN/NOTIFY. */
    public static <T> T eventually(Supplier<T> fetch, Predicate<T> ok) {
        return io.bantin.support.Eventually.eventually(java.time.Duration.ofSeconds(6), fetch, ok);
    }

    public static SyndFeed syndFeed(byte[] xml) {
        try {
            return new SyndFeedInput().build(new InputSource(new ByteArrayInputStream(xml)));
        }
        catch (Exception e) {
            throw new AssertionError("feed does not parse: " + e.getMessage(), e);
        }
    }

    public static Document dom(byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        }
        catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage(), e);
        }
    }

    public static byte[] gunzip(byte[] gzipped) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Vietnamese bulletin as the API takes it. */
    public static Map<String, Object> bulletin(String title, String category, List<String> tags, String author,
            String caption, String body) {
        return Map.of("title", title,
                "summary", "Sáng nay, Ban Dân vận Tỉnh ủy tổng kết một năm thực hiện “dân vận khéo” ở cơ sở.",
                "body", body,
                "author", author,
                "category", category,
                "tags", tags,
                "images", List.of(
                        Map.of("url", "https://anh.example.vn/2024/12/dai-bieu.jpg", "caption", caption),
                        Map.of("url", "https://anh.example.vn/2024/12/hoi-truong.png", "caption", "Toàn cảnh hội trường")),
                "language", "vi");
    }
}
