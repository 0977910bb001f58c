package io.bantin.sitemap;

import static io.bantin.web.ApiDocs.add;
import static io.bantin.web.ApiDocs.content;
import static io.bantin.web.ApiDocs.empty;
import static io.bantin.web.ApiDocs.operation;
import static io.bantin.web.ApiDocs.problem;
import static io.bantin.web.ApiDocs.query;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem.HttpMethod;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.stereotype.Component;

/** Describes the crawler routes of {@link SitemapRoutes} in the OpenAPI document. */
@Component
class SitemapApiDocs implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI api) {
        add(api, "/robots.txt", HttpMethod.GET, answer(operation("Crawlers", "robots", "robots.txt naming the sitemap index"),
                "text/plain"));
        add(api, "/sitemap.xml", HttpMethod.GET, answer(operation("Crawlers", "sitemapIndex",
                "Sitemap index: the categories, the bulletin sitemaps and the news sitemap"), "application/xml"));
        add(api, "/sitemaps/categories.xml", HttpMethod.GET, answer(operation("Crawlers", "categoriesSitemap",
                "Sitemap of the home page and every category with a visible bulletin"), "application/xml"));
        add(api, "/sitemaps/bulletins.xml", HttpMethod.GET, answer(operation("Crawlers", "bulletinsSitemap",
                "Sitemap of 1,000 visible bulletins, oldest first")
                .addParametersItem(query("after", "Where the page starts: the cursor the index gives")), "application/xml"));
        api.getPaths().get("/sitemaps/bulletins.xml").getGet().getResponses()
                .addApiResponse("400", problem("A cursor this server did not issue"));
        add(api, "/sitemaps/news.xml", HttpMethod.GET, answer(operation("Crawlers", "newsSitemap",
                "Google News sitemap of the last 48 hours' bulletins"), "application/xml"));
        api.getPaths().get("/sitemaps/news.xml").getGet().getResponses()
                .addApiResponse("404", problem("Nothing was published in the last 48 hours (the index leaves it out then)"));
    }

    private static Operation answer(Operation operation, String type) {
        if (operation.getResponses() == null) {
            operation.responses(new ApiResponses());
        }
        operation.getResponses().addApiResponse("200", content("The document", type, new StringSchema()))
                .addApiResponse("304", empty("Not modified"));
        return operation;
    }
}
