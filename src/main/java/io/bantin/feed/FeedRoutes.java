package io.bantin.feed;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes of the feeds: {file} is rss.xml, atom.xml or feed.json (API.md, "Feeds"). */
@Configuration
class FeedRoutes {

    @Bean
    RouterFunction<ServerResponse> feedRouter(FeedHandler feeds) {
        return route()
                .path("/feeds", f -> f
                        .GET("/opml.xml", feeds::opml)
                        .GET("/{file}", feeds::site)
                        .GET("/categories/{slug}/{file}", feeds::category)
                        .GET("/tags/{slug}/{file}", feeds::tag)
                        .GET("/authors/{slug}/{file}", feeds::author))
                .build();
    }
}
