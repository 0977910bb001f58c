package io.bantin.media;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes of the media library. The API needs a publisher token (see {@code SecurityConfig}); files are public. */
@Configuration
class MediaRoutes {

    @Bean
    RouterFunction<ServerResponse> mediaApi(MediaHandler media) {
        return route()
                .path("/api/v1", api -> api
                        .POST("/media", media::upload)
                        .GET("/media", media::list)
                        .GET("/media/{id}", media::get)
                        .DELETE("/media/{id}", media::delete))
                .GET("/media/{key}/{file}", media::file)
                .build();
    }
}
