package io.bantin.feed;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;

import com.rometools.modules.mediarss.MediaEntryModuleImpl;
import com.rometools.modules.mediarss.types.MediaContent;
import com.rometools.modules.mediarss.types.Metadata;
import com.rometools.modules.mediarss.types.UrlReference;
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
        channelElement.addContent(0, new Element("link", ATOM).setAttribute("href", feed.selfUrl(FeedFormat.RSS))
                .setAttribute("rel", "self").setAttribute("type", "application/rss+xml"));
        if (feed.hubUrl() != null) { // WebSub discovery (https://www.w3.org/TR/websub/#discovery)
            channelElement.addContent(1, new Element("link", ATOM).setAttribute("href", feed.hubUrl())
                    .setAttribute("rel", "hub"));
        }
        return XmlDocuments.toBytes(document);
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
        if (!entry.images().isEmpty()) {
            Bulletin.Image first = entry.images().get(0);
            Enclosure enclosure = new Enclosure(); // length unknown: 0, as the RSS Advisory Board advises
            enclosure.setUrl(first.url());
            enclosure.setType(imageType(first.url()));
            enclosure.setLength(0);
            item.setEnclosures(List.of(enclosure));
            modules.add(media(entry.images()));
        }
        item.setModules(modules);
        return item;
    }

    private static Category category(Bulletin.Term term) {
        Category category = new Category();
        category.setValue(term.name());
        return category;
    }

    /** media:content with media:description per photo (https://www.rssboard.org/media-rss#media-content). */
    private static MediaEntryModuleImpl media(List<Bulletin.Image> images) {
        List<MediaContent> contents = new ArrayList<>();
        for (Bulletin.Image image : images) {
            try {
                MediaContent content = new MediaContent(new UrlReference(image.url()));
                content.setMedium("image");
                content.setType(imageType(image.url()));
                Metadata metadata = new Metadata();
                if (!image.caption().isBlank()) {
                    metadata.setDescription(image.caption());
                }
                content.setMetadata(metadata);
                contents.add(content);
            }
            catch (java.net.URISyntaxException e) {
                // an image URL that is not a URI cannot be referenced; the body still shows it
            }
        }
        MediaEntryModuleImpl media = new MediaEntryModuleImpl();
        media.setMediaContents(contents.toArray(MediaContent[]::new));
        return media;
    }

    static String imageType(String url) {
        String path = url.toLowerCase(Locale.ROOT).replaceAll("[?#].*$", "");
        if (path.endsWith(".png")) {
            return "image/png";
        }
        if (path.endsWith(".gif")) {
            return "image/gif";
        }
        if (path.endsWith(".webp")) {
            return "image/webp";
        }
        if (path.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "image/jpeg";
    }
}
