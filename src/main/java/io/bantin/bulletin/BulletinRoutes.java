package io.bantin.bulletin;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes of the bulletin API. Writes need a publisher token (see {@code SecurityConfig}). */
@Configuration
class BulletinRoutes {

    @Bean
    RouterFunction<ServerResponse> bulletinApi(BulletinHandler bulletins, TaxonomyHandler taxonomy) {
        return route()
                .path("/api/v1", api -> api
                        .POST("/bulletins", bulletins::create)
                        .GET("/bulletins", bulletins::list)
                        .GET("/bulletins/{idOrSlug}", bulletins::get)
                        .PUT("/bulletins/{id}", bulletins::replace)
                        .DELETE("/bulletins/{id}", bulletins::withdraw)
                        .GET("/categories", taxonomy::categories)
                        .GET("/tags", taxonomy::tags))
                .build();
    }
}
