package io.bantin.sitemap;

import java.io.ByteArrayOutputStream;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.springframework.stereotype.Component;

import io.bantin.system.BantinProperties;

/**
 * Writes sitemaps (https://www.sitemaps.org/protocol.html) and Google News sitemaps
 * (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap). The StAX writer
 * escapes every text and attribute; times are W3C date-times in the portal's zone.
 */
@Component
class SitemapXml {

    static final String SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9";
    static final String NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9";

    /** A {@code <sitemap>} of an index, or a {@code <url>} of a urlset; {@code lastModified} may be null. */
    record Location(String path, OffsetDateTime lastModified) {
    }

    /** A {@code <url>} of a news sitemap. */
    record News(String path, String title, String language, OffsetDateTime published) {
    }

    // Made once: the factory looks itself up on the classpath, which must not happen on an event loop.
    private final XMLOutputFactory factory = XMLOutputFactory.newInstance();
    private final BantinProperties properties;

    SitemapXml(BantinProperties properties) {
        this.properties = properties;
    }

    byte[] index(List<Location> sitemaps) {
        return write((xml, publicUrl) -> {
            xml.writeStartElement("sitemapindex");
            xml.writeDefaultNamespace(SITEMAP_NS);
            for (Location sitemap : sitemaps) {
                xml.writeStartElement("sitemap");
                element(xml, "loc", properties.url(sitemap.path()));
                if (sitemap.lastModified() != null) {
                    element(xml, "lastmod", time(sitemap.lastModified()));
                }
                xml.writeEndElement();
            }
            xml.writeEndElement();
        });
    }

    byte[] urlset(List<Location> urls) {
        return write((xml, publicUrl) -> {
            xml.writeStartElement("urlset");
            xml.writeDefaultNamespace(SITEMAP_NS);
            for (Location url : urls) {
                xml.writeStartElement("url");
                element(xml, "loc", properties.url(url.path()));
                if (url.lastModified() != null) {
                    element(xml, "lastmod", time(url.lastModified()));
                }
                xml.writeEndElement();
            }
            xml.writeEndElement();
        });
    }

    byte[] news(String publication, List<News> items) {
        return write((xml, publicUrl) -> {
            xml.setPrefix("news", NEWS_NS);
            xml.writeStartElement("urlset");
            xml.writeDefaultNamespace(SITEMAP_NS);
            xml.writeNamespace("news", NEWS_NS);
            for (News item : items) {
                xml.writeStartElement("url");
                element(xml, "loc", properties.url(item.path()));
                xml.writeStartElement(NEWS_NS, "news");
                xml.writeStartElement(NEWS_NS, "publication");
                newsElement(xml, "name", publication);
                newsElement(xml, "language", item.language());
                xml.writeEndElement();
                newsElement(xml, "publication_date", time(item.published()));
                newsElement(xml, "title", item.title());
                xml.writeEndElement();
                xml.writeEndElement();
            }
            xml.writeEndElement();
        });
    }

    private interface Body {
        void write(XMLStreamWriter xml, String publicUrl) throws XMLStreamException;
    }

    private byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            XMLStreamWriter xml = factory.createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            body.write(xml, properties.url(""));
            xml.writeEndDocument();
            xml.close();
        }
        catch (XMLStreamException e) {
            throw new IllegalStateException("sitemaps: unable to write XML", e);
        }
        return out.toByteArray();
    }

    private String time(OffsetDateTime at) {
        ZoneId zone = properties.zone();
        return at.atZoneSameInstant(zone).toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    private static void element(XMLStreamWriter xml, String name, String text) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(text);
        xml.writeEndElement();
    }

    private static void newsElement(XMLStreamWriter xml, String name, String text) throws XMLStreamException {
        xml.writeStartElement(NEWS_NS, name);
        xml.writeCharacters(text);
        xml.writeEndElement();
    }
}
