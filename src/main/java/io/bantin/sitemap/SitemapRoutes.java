package io.bantin.sitemap;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.HEAD;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes for crawlers (API.md, "Added in v1.1"): robots.txt, the sitemap index and the sitemaps it names. */
@Configuration
class SitemapRoutes {

    @Bean
    RouterFunction<ServerResponse> sitemapRouter(SitemapHandler sitemaps) {
        return route()
                .route(read("/robots.txt"), sitemaps::robots)
                .route(read("/sitemap.xml"), sitemaps::index)
                .route(read("/sitemaps/categories.xml"), sitemaps::categories)
                .route(read("/sitemaps/bulletins.xml"), sitemaps::bulletins)
                .route(read("/sitemaps/news.xml"), sitemaps::news)
                .build();
    }

    private static RequestPredicate read(String path) {
        return GET(path).or(HEAD(path));
    }
}
