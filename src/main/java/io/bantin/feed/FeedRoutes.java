package io.bantin.feed;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.HEAD;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes of the feeds: {file} is rss.xml, atom.xml or feed.json (API.md, "Feeds"). */
@Configuration
class FeedRoutes {

    @Bean
    RouterFunction<ServerResponse> feedRouter(FeedHandler feeds) {
        return route()
                .path("/feeds", f -> f
                        .route(read("/opml.xml"), feeds::opml)
                        .route(read("/{file}"), feeds::site)
                        .route(read("/categories/{slug}/{file}"), feeds::category)
                        .route(read("/tags/{slug}/{file}"), feeds::tag)
                        .route(read("/authors/{slug}/{file}"), feeds::author))
                .build();
    }

    /** GET, and HEAD (validators and crawlers send it): same headers, the server drops the body. */
    static RequestPredicate read(String pattern) {
        return GET(pattern).or(HEAD(pattern));
    }
}
