package io.bantin.feed;

import static io.bantin.web.ApiDocs.add;
import static io.bantin.web.ApiDocs.content;
import static io.bantin.web.ApiDocs.empty;
import static io.bantin.web.ApiDocs.enumPath;
import static io.bantin.web.ApiDocs.header;
import static io.bantin.web.ApiDocs.integerQuery;
import static io.bantin.web.ApiDocs.operation;
import static io.bantin.web.ApiDocs.path;
import static io.bantin.web.ApiDocs.problem;
import static io.bantin.web.ApiDocs.query;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem.HttpMethod;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.stereotype.Component;

/** Describes the feed routes of {@link FeedRoutes} in the OpenAPI document. */
@Component
class FeedApiDocs implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI api) {
        add(api, "/feeds/opml.xml", HttpMethod.GET, conditional(operation("Feeds", "opml",
                "OPML 2.0 list of every feed (site, categories, tags, authors)")
                .responses(new ApiResponses().addApiResponse("200", content("OPML", "text/x-opml", new StringSchema())))));
        add(api, "/feeds/{file}", HttpMethod.GET, feed(operation("Feeds", "siteFeed", "The site's latest bulletins")));
        for (String scope : new String[] {"categories", "tags", "authors"}) {
            String what = scope.substring(0, scope.length() - 1).replace("ie", "y");
            add(api, "/feeds/" + scope + "/{slug}/{file}", HttpMethod.GET,
                    feed(operation("Feeds", what + "Feed", "The latest bulletins of one " + what)
                            .addParametersItem(path("slug", "The " + what + "'s slug, e.g. dan-van"))
                            .responses(new ApiResponses().addApiResponse("404", problem("Unknown " + what)))));
        }
    }

    private static Operation feed(Operation operation) {
        ApiResponse ok = content("The feed", "application/rss+xml", new StringSchema());
        ok.getContent().addMediaType("application/atom+xml",
                new io.swagger.v3.oas.models.media.MediaType().schema(new StringSchema()));
        ok.getContent().addMediaType("application/feed+json",
                new io.swagger.v3.oas.models.media.MediaType().schema(new StringSchema()));
        operation.addParametersItem(enumPath("file", "rss.xml (RSS 2.0), atom.xml (Atom 1.0) or feed.json (JSON Feed 1.1)",
                        java.util.Arrays.stream(FeedFormat.values()).map(FeedFormat::file).toList()))
                .addParametersItem(integerQuery("limit", "How many bulletins", 1, 200, 50))
                .addParametersItem(query("before", "An older page (RFC 5005): the cursor from the feed's \"next\" link"));
        operation.getResponses().addApiResponse("200", ok).addApiResponse("400", problem("Invalid limit or cursor"));
        return conditional(operation);
    }

    private static Operation conditional(Operation operation) {
        operation.addParametersItem(header("If-None-Match", "The ETag you hold"))
                .addParametersItem(header("If-Modified-Since", "The Last-Modified you hold"))
                .addParametersItem(header("Accept-Encoding", "gzip for a compressed answer"));
        operation.getResponses().addApiResponse("304", empty("Not modified since your copy"));
        return operation;
    }
}
