package io.bantin.feed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

import com.rometools.rome.feed.WireFeed;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.WireFeedOutput;
import org.jdom2.Document;
import org.jdom2.output.Format;
import org.jdom2.output.XMLOutputter;

/** Rome and JDOM plumbing shared by the XML renderers; Rome's checked exceptions stop here. */
final class XmlDocuments {

    /** RFC 822 dates as RSS 2.0 wants them (https://www.rssboard.org/rss-specification#ltpubdategtSubelementOfLtitemgt). */
    static final DateTimeFormatter RFC_822 = DateTimeFormatter.RFC_1123_DATE_TIME;

    private XmlDocuments() {
    }

    static Document toJdom(WireFeed feed) {
        try {
            return new WireFeedOutput().outputJDom(feed);
        }
        catch (FeedException e) {
            throw new IllegalStateException("feed: unable to generate " + feed.getFeedType() + ": " + e.getMessage(), e);
        }
    }

    static byte[] toBytes(Document document) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            new XMLOutputter(Format.getRawFormat().setEncoding("UTF-8")).output(document, out);
        }
        catch (IOException e) {
            throw new UncheckedIOException("feed: unable to write XML to memory", e);
        }
        return out.toByteArray();
    }

    static String rfc822(OffsetDateTime at) {
        return RFC_822.format(at);
    }
}
