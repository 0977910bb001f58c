package io.bantin.page;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes of the reader pages (API.md, "HTML"). */
@Configuration
class PageRoutes {

    @Bean
    RouterFunction<ServerResponse> pageRouter(PageHandler pages) {
        return route()
                .GET("/", pages::home)
                .GET("/bulletins/{slug}", pages::bulletin)
                .build();
    }
}
