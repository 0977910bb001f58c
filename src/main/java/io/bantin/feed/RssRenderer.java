package io.bantin.feed;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.rometools.rome.feed.module.DCModuleImpl;
import com.rometools.rome.feed.rss.Category;
import com.rometools.rome.feed.rss.Channel;
import com.rometools.rome.feed.rss.Content;
import com.rometools.rome.feed.rss.Description;
import com.rometools.rome.feed.rss.Enclosure;
import com.rometools.rome.feed.rss.Guid;
import com.rometools.rome.feed.rss.Item;
import org.jdom2.Document;
import org.jdom2.Element;
import org.jdom2.Namespace;

import org.springframework.stereotype.Component;

import io.bantin.bulletin.Bulletin;

/** RSS 2.0 (https://www.rssboard.org/rss-specification) with content, Dublin Core and Media RSS modules. */
@Component
class RssRenderer implements FeedRenderer {

    private static final Namespace ATOM = Namespace.getNamespace("atom", "http://www.w3.org/2005/Atom");

    @Override
    public FeedFormat format() {
        return FeedFormat.RSS;
    }

    @Override
    public byte[] render(FeedSnapshot feed) {
        Channel channel = new Channel("rss_2.0");
        channel.setTitle(feed.title());
        channel.setLink(feed.homeUrl());
        channel.setDescription(feed.description());
        channel.setLanguage(feed.language());
        channel.setGenerator(FeedAssembler.SITE_NAME);
        channel.setLastBuildDate(Date.from(feed.updated().toInstant()));
        channel.setItems(feed.entries().stream().map(RssRenderer::item).toList());

        Document document = XmlDocuments.toJdom(channel);
        Element rss = document.getRootElement();
        Element channelElement = rss.getChild("channel");
        // Rome writes dates in GMT; readers are better served by the portal's own offset.
        channelElement.getChild("lastBuildDate").setText(XmlDocuments.rfc822(feed.updated()));
        List<Element> items = channelElement.getChildren("item");
        for (int i = 0; i < items.size(); i++) {
            items.get(i).getChild("pubDate").setText(XmlDocuments.rfc822(feed.entries().get(i).published()));
        }
        // atom:link rel="self" (https://www.rssboard.org/rss-profile#namespace-elements-atom-link)
        rss.addNamespaceDeclaration(ATOM);
        List<Element> links = new ArrayList<>();
        links.add(atomLink("self", feed.pageUrl(FeedFormat.RSS)).setAttribute("type", "application/rss+xml"));
        if (feed.hubUrl() != null) { // WebSub discovery (https://www.w3.org/TR/websub/#discovery)
            links.add(atomLink("hub", feed.hubUrl()));
        }
        // Paged feeds (RFC 5005 3): older bulletins one "next" away, back to the very first one.
        if (!feed.firstPage()) {
            links.add(atomLink("first", feed.selfUrl(FeedFormat.RSS)));
        }
        if (feed.nextQuery() != null) {
            links.add(atomLink("next", feed.nextUrl(FeedFormat.RSS)));
        }
        channelElement.addContent(0, links);
        return XmlDocuments.toBytes(document);
    }

    private static Element atomLink(String rel, String href) {
        return new Element("link", ATOM).setAttribute("href", href).setAttribute("rel", rel);
    }

    private static Item item(FeedSnapshot.Entry entry) {
        Item item = new Item();
        item.setTitle(entry.title());
        item.setLink(entry.url());
        Guid guid = new Guid(); // the id, never the URL: a slug may change, the id never does
        guid.setPermaLink(false);
        guid.setValue(entry.id().toString());
        item.setGuid(guid);
        Description description = new Description(); // the lead, as plain text
        description.setValue(entry.summary());
        item.setDescription(description);
        Content content = new Content(); // content:encoded (https://web.resource.org/rss/1.0/modules/content/)
        content.setType(Content.HTML);
        content.setValue(entry.contentHtml());
        item.setContent(content);
        item.setPubDate(Date.from(entry.published().toInstant()));
        List<Category> categories = new ArrayList<>();
        if (entry.category() != null) {
            categories.add(category(entry.category()));
        }
        entry.tags().forEach(tag -> categories.add(category(tag)));
        item.setCategories(categories);

        List<com.rometools.rome.feed.module.Module> modules = new ArrayList<>();
        if (!entry.author().isBlank()) { // dc:creator: RSS <author> must be an e-mail address
            DCModuleImpl dc = new DCModuleImpl();
            dc.setCreator(entry.author());
            modules.add(dc);
        }
        // One <enclosure> (RSS allows one), the first photo whose size the publisher gave: RSS requires its length
        // in bytes, and length="0" misleads readers. sfeed reads only this; media:content carries every photo.
        entry.images().stream().filter(image -> image.length() != null && MediaRss.usable(image)).findFirst()
                .ifPresent(image -> {
                    Enclosure enclosure = new Enclosure();
                    enclosure.setUrl(image.url());
                    enclosure.setLength(image.length());
                    enclosure.setType(MediaRss.type(image));
                    item.setEnclosures(List.of(enclosure));
                });
        MediaRss.of(entry.images()).ifPresent(modules::add);
        item.setModules(modules);
        return item;
    }

    private static Category category(Bulletin.Term term) {
        Category category = new Category();
        category.setValue(term.name());
        return category;
    }
}
