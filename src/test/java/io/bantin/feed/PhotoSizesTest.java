package io.bantin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.rometools.rome.feed.synd.SyndEnclosure;
import com.rometools.rome.feed.synd.SyndEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/**
 * A publisher may give each photo its size in bytes and media type ({@code images[].length}, {@code images[].type}):
 * the API keeps and returns them, RSS then has a real {@code <enclosure>}, Atom a length, JSON Feed size_in_bytes.
 * Photos without them keep working as before, and bad values are refused field by field.
 */
@IntegrationTest
class PhotoSizesTest {

    static final String SIZED = "https://anh.example.vn/2024/12/cau-moi.jpg";
    static final String UNSIZED = "https://anh.example.vn/2024/12/toan-canh.png";

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    String publisher;
    JsonNode created;

    @BeforeAll
    void setUp() {
        client = Feeds.patient(client);
        publisher = Api.issueToken(client, "publisher");
        created = json.readTree(Api.create(client, publisher, json.writeValueAsString(Map.of(
                "title", "Cầu mới có ảnh đủ kích thước", "category", "Ảnh", "images", List.of(
                        Map.of("url", UNSIZED, "caption", "Toàn cảnh"),
                        Map.of("url", SIZED, "caption", "Cầu mới", "length", 48213, "type", "IMAGE/JPEG"))))));
    }

    @Test
    void theApiKeepsLengthAndTypeAndLeavesThemOutWhenNotGiven() {
        JsonNode images = created.get("images");
        assertThat(images.get(0).has("length")).isFalse();
        assertThat(images.get(0).has("type")).isFalse();
        assertThat(images.get(1).get("length").longValue()).isEqualTo(48213);
        assertThat(images.get(1).get("type").stringValue()).isEqualTo("image/jpeg");
        JsonNode read = json.readTree(client.get().uri("/api/v1/bulletins/{id}", created.get("id").stringValue())
                .exchange().expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody());
        assertThat(read.get("images")).isEqualTo(images);
    }

    @Test
    void rssEnclosesTheSizedPhotoAtomAndJsonFeedGiveItsLength() {
        byte[] rss = Feeds.eventually(() -> Feeds.body(client, "/feeds/categories/anh/rss.xml"),
                xml -> new String(xml, StandardCharsets.UTF_8).contains("Cầu mới có ảnh"));
        assertThat(new String(rss, StandardCharsets.UTF_8))
                .contains("<enclosure url=\"" + SIZED + "\" length=\"48213\" type=\"image/jpeg\" />")
                .doesNotContain("length=\"0\"");
        SyndEntry entry = Feeds.syndFeed(rss).getEntries().get(0);
        assertThat(entry.getEnclosures()).extracting(SyndEnclosure::getUrl, SyndEnclosure::getLength)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(SIZED, 48213L));

        SyndEntry atom = Feeds.syndFeed(Feeds.body(client, "/feeds/categories/anh/atom.xml")).getEntries().get(0);
        assertThat(atom.getEnclosures()).extracting(SyndEnclosure::getUrl, SyndEnclosure::getLength)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(UNSIZED, 0L), org.assertj.core.groups.Tuple.tuple(SIZED, 48213L));

        JsonNode item = json.readTree(Feeds.body(client, "/feeds/categories/anh/feed.json")).get("items").get(0);
        assertThat(item.get("attachments").get(0).has("size_in_bytes")).isFalse();
        assertThat(item.get("attachments").get(1).get("size_in_bytes").longValue()).isEqualTo(48213);
        assertThat(item.get("attachments").get(1).get("mime_type").stringValue()).isEqualTo("image/jpeg");
    }

    @Test
    void badLengthsAndTypesAreRefusedFieldByField() {
        client.post().uri("/api/v1/bulletins").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"title\":\"Ảnh sai\",\"images\":[{\"url\":\"" + SIZED + "\",\"length\":0},"
                        + "{\"url\":\"" + SIZED + "\",\"length\":\"12\"},{\"url\":\"" + SIZED + "\",\"length\":1.5},"
                        + "{\"url\":\"" + SIZED + "\",\"type\":\"text/html\"}]}")
                .exchange().expectStatus().isEqualTo(422)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[*].field").value(List.class, fields -> assertThat(fields)
                        .containsExactly("images[0].length", "images[1].length", "images[2].length", "images[3].type"));
    }
}
