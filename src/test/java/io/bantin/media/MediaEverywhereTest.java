package io.bantin.media;

import static io.bantin.media.MediaUploads.fixture;
import static io.bantin.media.MediaUploads.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import com.rometools.modules.mediarss.MediaEntryModule;
import com.rometools.modules.mediarss.types.MediaContent;
import com.rometools.modules.mediarss.types.Thumbnail;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import com.rometools.rome.io.XmlReader;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.BantinApplication;
import io.bantin.stream.StreamClient;
import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;
import io.bantin.support.PlainTestClient;

/**
 * A bulletin that names an uploaded photo, read in every form: the API and the stream, RSS and Atom parsed back
 * with Rome and with python3-feedparser, JSON Feed, the reader page and its previews; and a second instance.
 */
@IntegrationTest
class MediaEverywhereTest {

    static final String PUBLIC = "https://tin.example.vn";
    static final String CAPTION = "Người dân đi bộ qua cầu treo trong ngày khánh thành";
    static final String ALT = "Cầu treo dây văng bắc qua sông Krông Nô, hai bên là rừng";

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    String publisher;
    String photo;
    Map<String, Object> media;
    JsonNode bulletin;
    ConfigurableApplicationContext secondInstance;

    @BeforeAll
    void publishAPhotographedBulletin() {
        publisher = Api.issueToken(client, "publisher");
        photo = post(client, publisher, fixture("photo.jpg"), "image/jpeg", "?alt=" + ALT).expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody();
        media = JsonPath.read(photo, "$");
        Flux<ServerSentEvent<String>> stream = StreamClient.sse(client, "/api/v1/stream");
        bulletin = json.readTree(Api.create(client, publisher, """
                {"title": "Khánh thành cầu treo dân sinh nối hai bờ sông Krông Nô", "category": "Kinh tế",
                 "summary": "Cây cầu dài 120 m giúp hơn 2.000 hộ dân đi lại thuận tiện.",
                 "body": "<p>Công trình có tổng vốn đầu tư 8,5 tỷ đồng.</p>",
                 "images": [{"media": "%s", "caption": "%s"}]}""".formatted(media.get("id"), CAPTION)));
        StepVerifier.create(stream.filter(event -> "published".equals(event.event())).map(ServerSentEvent::data))
                .assertNext(data -> assertImage(json.readTree(data).get("images").get(0)))
                .thenCancel().verify(Duration.ofSeconds(20));
    }

    @AfterAll
    void stopSecondInstance() {
        if (secondInstance != null) {
            secondInstance.close();
        }
    }

    private void assertImage(JsonNode image) {
        assertThat(image.get("media").stringValue()).isEqualTo(media.get("id"));
        assertThat(image.get("url").stringValue()).isEqualTo(media.get("url"));
        assertThat(image.get("type").stringValue()).isEqualTo("image/jpeg");
        assertThat(image.get("width").intValue()).isEqualTo(1200);
        assertThat(image.get("height").intValue()).isEqualTo(800);
        assertThat(image.get("length").longValue()).isEqualTo(((Number) media.get("length")).longValue());
        assertThat(image.get("caption").stringValue()).isEqualTo(CAPTION); // the bulletin's own wins
        assertThat(image.get("alt").stringValue()).isEqualTo(ALT); // the photo's, as the bulletin gave none
        assertThat(image.get("renditions").size()).isEqualTo(4);
        assertThat(image.get("renditions").get(0).get("width").intValue()).isEqualTo(320);
        assertThat(image.get("renditions").get(0).get("height").intValue()).isEqualTo(213);
    }

    private String get(String path) {
        return client.get().uri(path).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
    }

    private Map<String, Object> rendition(int index) {
        return ((List<Map<String, Object>>) media.get("renditions")).get(index);
    }

    @Test
    void theApiShowsEveryImageWithItsSizesAndRenditions() {
        assertImage(bulletin.get("images").get(0));
        assertImage(json.readTree(get("/api/v1/bulletins/" + bulletin.get("id").stringValue())).get("images").get(0));
    }

    @Test
    void rssAndAtomParsedBackWithRomeCarryWidthHeightFileSizeAndTheThumbnail() throws Exception {
        for (String path : List.of("/feeds/rss.xml", "/feeds/atom.xml")) {
            SyndFeed feed = new SyndFeedInput().build(new XmlReader(new ByteArrayInputStream(
                    get(path).getBytes(StandardCharsets.UTF_8))));
            SyndEntry entry = feed.getEntries().get(0);
            MediaEntryModule module = (MediaEntryModule) entry.getModule(MediaEntryModule.URI);
            MediaContent content = module.getMediaContents()[0];
            assertThat(content.getReference().toString()).as(path).isEqualTo(media.get("url"));
            assertThat(content.getWidth()).isEqualTo(1200);
            assertThat(content.getHeight()).isEqualTo(800);
            assertThat(content.getFileSize()).isEqualTo(((Number) media.get("length")).longValue());
            assertThat(content.getType()).isEqualTo("image/jpeg");
            Thumbnail thumbnail = module.getMetadata().getThumbnail()[0];
            assertThat(thumbnail.getUrl().toString()).isEqualTo(rendition(0).get("url"));
            assertThat(thumbnail.getWidth()).isEqualTo(320);
            assertThat(thumbnail.getHeight()).isEqualTo(213);
            assertThat(entry.getEnclosures()).singleElement().satisfies(enclosure -> {
                assertThat(enclosure.getUrl()).isEqualTo(media.get("url"));
                assertThat(enclosure.getLength()).isEqualTo(((Number) media.get("length")).longValue());
                assertThat(enclosure.getType()).isEqualTo("image/jpeg");
            });
        }
    }

    @Test
    void feedparserReadsMediaContentWithItsWidth() throws Exception {
        String script = """
                import json, sys, feedparser
                entry = feedparser.parse(sys.stdin.buffer.read()).entries[0]
                print(json.dumps({"content": entry.media_content, "thumbnail": entry.media_thumbnail,
                                  "enclosures": [dict(e) for e in entry.enclosures]}))
                """;
        for (String path : List.of("/feeds/rss.xml", "/feeds/atom.xml")) {
            Process python = new ProcessBuilder("/usr/bin/python3", "-c", script).redirectErrorStream(true).start();
            python.getOutputStream().write(get(path).getBytes(StandardCharsets.UTF_8));
            python.getOutputStream().close();
            String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(python.exitValue()).as(out).isZero();
            JsonNode parsed = json.readTree(out);
            JsonNode content = parsed.get("content").get(0);
            assertThat(content.get("url").stringValue()).as(path).isEqualTo(media.get("url"));
            assertThat(content.get("width").stringValue()).isEqualTo("1200");
            assertThat(content.get("height").stringValue()).isEqualTo("800");
            assertThat(content.get("filesize").stringValue()).isEqualTo(String.valueOf(media.get("length")));
            assertThat(parsed.get("thumbnail").get(0).get("url").stringValue()).isEqualTo(rendition(0).get("url"));
            assertThat(parsed.get("thumbnail").get(0).get("width").stringValue()).isEqualTo("320");
            assertThat(parsed.get("enclosures").get(0).get("length").stringValue())
                    .isEqualTo(String.valueOf(media.get("length")));
        }
    }

    @Test
    void jsonFeedHasTheImageAndAnAttachmentWithItsSize() {
        JsonNode item = json.readTree(get("/feeds/feed.json")).get("items").get(0);
        assertThat(item.get("image").stringValue()).isEqualTo(media.get("url"));
        JsonNode attachment = item.get("attachments").get(0);
        assertThat(attachment.get("url").stringValue()).isEqualTo(media.get("url"));
        assertThat(attachment.get("mime_type").stringValue()).isEqualTo("image/jpeg");
        assertThat(attachment.get("size_in_bytes").longValue()).isEqualTo(((Number) media.get("length")).longValue());
    }

    @Test
    void theReaderPageOffersEverySizeAndPreviewsGetTheLargePhotoWithItsSize() {
        Document page = Jsoup.parse(get("/bulletins/" + bulletin.get("slug").stringValue()));
        Element img = page.selectFirst("article figure img");
        assertThat(img).isNotNull();
        assertThat(img.attr("srcset")).isEqualTo(((List<Map<String, Object>>) media.get("renditions")).stream()
                .map(r -> r.get("url") + " " + r.get("width") + "w").reduce((a, b) -> a + ", " + b).orElseThrow());
        assertThat(img.attr("sizes")).isNotBlank();
        assertThat(img.attr("width")).isEqualTo("1200");
        assertThat(img.attr("height")).isEqualTo("800");
        assertThat(img.attr("alt")).isEqualTo(ALT);
        assertThat(img.hasAttr("loading")).as("the first photo is on the first screen: not lazy").isFalse();
        assertThat(img.attr("src")).isEqualTo(rendition(2).get("url"));
        assertThat(meta(page, "og:image")).isEqualTo(rendition(3).get("url"));
        assertThat(meta(page, "og:image:width")).isEqualTo("1200");
        assertThat(meta(page, "og:image:height")).isEqualTo("800");
        assertThat(meta(page, "og:image:alt")).isEqualTo(ALT);
        JsonNode article = json.readTree(page.selectFirst("script[type=application/ld+json]").data());
        JsonNode images = article.get("image");
        assertThat(images.get(0).get("@type").stringValue()).isEqualTo("ImageObject");
        assertThat(images.get(0).get("url").stringValue()).isEqualTo(rendition(3).get("url"));
        assertThat(images.get(0).get("width").intValue()).isEqualTo(1200);
        assertThat(images.get(0).get("height").intValue()).isEqualTo(800);
        // Every size Google counts (50,000 pixels or more), largest first; the 320 one is under that.
        assertThat(images.size()).isEqualTo(4);
        Element teaser = Jsoup.parse(get("/")).selectFirst(".top img");
        assertThat(teaser.attr("srcset")).contains(rendition(0).get("url") + " 320w");
        assertThat(teaser.attr("width")).isEqualTo("1200");
    }

    @Test
    void aPhotoInUseCannotBeDeletedUntilNoVisibleBulletinUsesIt() {
        String id = (String) media.get("id");
        client.delete().uri("/api/v1/media/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher).exchange()
                .expectStatus().isEqualTo(409).expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        String other = post(client, publisher, fixture("small.png"), "image/png", "").expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody();
        String otherId = JsonPath.read(other, "$.id");
        String otherUrl = JsonPath.read(other, "$.url");
        client.delete().uri("/api/v1/media/" + otherId).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .exchange().expectStatus().isNoContent();
        client.get().uri("/api/v1/media/" + otherId).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher).exchange()
                .expectStatus().isNotFound();
        client.get().uri(otherUrl.substring(PUBLIC.length())).exchange().expectStatus().isNotFound();
        client.delete().uri("/api/v1/media/" + otherId).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void aBulletinNamingAPhotoThatDoesNotExistIsRefusedWithTheField() {
        client.post().uri("/api/v1/bulletins").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"title\":\"Ảnh không có\",\"images\":[{\"media\":\"0193a2c0-0000-7000-8000-000000000000\"}]}")
                .exchange().expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("images[0].media");
        client.post().uri("/api/v1/bulletins").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"title\":\"Ảnh sai mã\",\"images\":[{\"media\":\"khong-phai-uuid\"}]}")
                .exchange().expectStatus().is4xxClientError()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("images[0].media");
    }

    @Test
    void aSecondInstanceServesPhotosUploadedOnTheFirst() throws IOException {
        secondInstance = new SpringApplicationBuilder(BantinApplication.class).profiles("test").run("--server.port=0");
        int port = ((WebServerApplicationContext) secondInstance).getWebServer().getPort();
        WebTestClient second = WebTestClient.bindToServer(PlainTestClient.connector())
                .baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(20)).build();
        for (Map<String, Object> rendition : (List<Map<String, Object>>) media.get("renditions")) {
            String path = ((String) rendition.get("url")).substring(PUBLIC.length());
            byte[] here = client.get().uri(path).exchange().expectBody(byte[].class).returnResult().getResponseBody();
            second.get().uri(path).exchange().expectStatus().isOk()
                    .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "public, max-age=31536000, immutable")
                    .expectBody(byte[].class).isEqualTo(here);
        }
    }

    private static String meta(Document page, String property) {
        Element meta = page.selectFirst("meta[property=" + property + "]");
        return meta == null ? null : meta.attr("content");
    }
}
