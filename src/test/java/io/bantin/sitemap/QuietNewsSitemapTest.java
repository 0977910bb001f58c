package io.bantin.sitemap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.Source;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.NodeList;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.Eventually;
import io.bantin.support.IntegrationTest;

/**
 * With nothing published in the last 48 hours, the news sitemap is a 404 problem (never an empty urlset, which
 * the News XSD rejects) and the index leaves it out; every document the index names stays valid. Once a bulletin
 * is published, the news sitemap is back in the index, valid.
 */
@IntegrationTest
class QuietNewsSitemapTest {

    static final String BASE = "https://tin.example.vn";

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    String publisher;

    @BeforeAll
    void setUp() {
        client = io.bantin.feed.Feeds.patient(client);
        publisher = Api.issueToken(client, "publisher");
        Api.create(client, publisher, json.writeValueAsString(Map.of("title", "Tin tuần trước", "category", "Lưu trữ",
                "publishedAt", "2024-03-01T08:00:00+07:00")));
    }

    @Test
    void aQuietNewsSitemapIsA404AndTheIndexStaysValidWithoutIt() throws Exception {
        Eventually.eventually(java.time.Duration.ofSeconds(6), () -> new String(get("/sitemaps/bulletins.xml")),
                xml -> xml.contains("tin-tuan-truoc"));
        client.get().uri("/sitemaps/news.xml").exchange().expectStatus().isNotFound()
                .expectHeader().contentType("application/problem+json")
                .expectBody().jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("48 hours"));
        List<String> listed = validIndex();
        assertThat(listed).contains(BASE + "/sitemaps/bulletins.xml").doesNotContain(BASE + "/sitemaps/news.xml");

        Api.create(client, publisher, json.writeValueAsString(Map.of("title", "Tin vừa đăng", "category", "Thời sự")));
        byte[] news = Eventually.eventually(java.time.Duration.ofSeconds(6),
                () -> client.get().uri("/sitemaps/news.xml").exchange().expectBody(byte[].class).returnResult(),
                result -> result.getStatus().value() == 200).getResponseBody();
        validate(news, "sitemap.xsd", "sitemap-news.xsd");
        assertThat(new String(news)).contains(BASE + "/bulletins/tin-vua-dang").doesNotContain("tin-tuan-truoc");
        assertThat(validIndex()).contains(BASE + "/sitemaps/news.xml");
    }

    /** The index, validated, and every sitemap it names fetched and validated; answers the names. */
    private List<String> validIndex() throws Exception {
        byte[] index = get("/sitemap.xml");
        validate(index, "siteindex.xsd");
        List<String> listed = locs(index);
        for (String sitemap : listed) {
            byte[] xml = get(sitemap.substring(BASE.length()).replace("&amp;", "&"));
            if (sitemap.endsWith("news.xml")) {
                validate(xml, "sitemap.xsd", "sitemap-news.xsd");
            }
            else {
                validate(xml, "sitemap.xsd");
            }
        }
        return listed;
    }

    private byte[] get(String uri) {
        return client.get().uri(uri).exchange().expectStatus().isOk().expectHeader().exists(HttpHeaders.ETAG)
                .expectBody(byte[].class).returnResult().getResponseBody();
    }

    private static void validate(byte[] xml, String... xsds) throws Exception {
        Source[] sources = new Source[xsds.length];
        for (int i = 0; i < xsds.length; i++) {
            InputStream in = QuietNewsSitemapTest.class.getResourceAsStream("/xsd/" + xsds[i]);
            sources[i] = new StreamSource(in, xsds[i]);
        }
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(sources).newValidator()
                .validate(new StreamSource(new ByteArrayInputStream(xml)));
    }

    private static List<String> locs(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        NodeList locs = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml))
                .getElementsByTagNameNS("http://www.sitemaps.org/schemas/sitemap/0.9", "loc");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < locs.getLength(); i++) {
            out.add(locs.item(i).getTextContent());
        }
        return out;
    }
}
