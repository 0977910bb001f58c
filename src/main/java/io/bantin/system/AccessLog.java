package io.bantin.system;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Request logs ({@code bantin.access-log=true}, logger {@code reactor.netty.http.server.AccessLog}):
 * one line per request with method, path, status, size and time. The format carries no request
 * headers, so bearer tokens never reach a log file.
 */
@Configuration
class AccessLog {

    @Bean
    NettyServerCustomizer accessLogCustomizer(@Value("${bantin.access-log:false}") boolean enabled) {
        return server -> server.accessLog(enabled);
    }
}
