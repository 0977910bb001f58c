package io.bantin.security;

import java.time.Duration;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

import io.bantin.web.Problem;
import io.bantin.web.ProblemWriter;

/**
 * Reads are public; writes need a bearer token: {@code publisher} for bulletins, {@code admin}
 * for tokens. No sessions, cookies or CSRF: every write request carries its own token.
 */
@Configuration
class SecurityConfig {

    /**
     * Browsers on any site may read (feeds, JSON, streams); no cross-site page may write, since no
     * write method is ever allowed in a preflight answer.
     */
    private static CorsConfigurationSource readsFromAnyOrigin() {
        CorsConfiguration reads = new CorsConfiguration();
        reads.addAllowedOrigin("*");
        reads.setAllowedMethods(List.of("GET", "HEAD"));
        reads.setAllowedHeaders(List.of("Accept", "Last-Event-ID", "If-None-Match", "If-Modified-Since", "Cache-Control"));
        reads.setExposedHeaders(List.of("ETag", "Last-Modified", "Link", "Retry-After"));
        reads.setMaxAge(Duration.ofHours(1));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", reads);
        return source;
    }

    /**
     * No security observations: {@code management.observations.enable.spring.security=false} already made
     * them no-ops, but the chain was still wrapped, per request, in an observing decorator (ten filter
     * wrappers and their Reactor operators), which every open stream kept for its whole life.
     */
    @Bean
    SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /** Paths the firewall refuses (encoded slashes, NUL, traversal) get a problem like every other 4xx. */
    @Bean
    ServerExchangeRejectedHandler rejectedPaths(ProblemWriter problems) {
        return (exchange, e) -> problems.write(exchange.getResponse(),
                Problem.of(HttpStatus.BAD_REQUEST, "The request path is not allowed.", null), new HttpHeaders());
    }

    @Bean
    SecurityWebFilterChain securityChain(ServerHttpSecurity http, TokenRepository tokens, ProblemWriter problems,
            AuthThrottle throttle) {
        BearerTokenAuthentication bearer = new BearerTokenAuthentication(tokens);
        ServerAuthenticationEntryPoint unauthorized = (exchange, e) -> {
            HttpHeaders headers = new HttpHeaders();
            boolean tokenSent = exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
            headers.set(HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer realm=\"bantin\"" + (tokenSent ? ", error=\"invalid_token\"" : ""));
            String detail = tokenSent ? e.getMessage() : "This request needs an API token: Authorization: Bearer <token>.";
            return problems.write(exchange.getResponse(), Problem.of(HttpStatus.UNAUTHORIZED, detail, null), headers);
        };
        ServerAccessDeniedHandler forbidden = (exchange, e) -> problems.write(exchange.getResponse(),
                Problem.of(HttpStatus.FORBIDDEN, "This token's role may not do this.", null), new HttpHeaders());

        AuthenticationWebFilter authentication = new AuthenticationWebFilter(bearer);
        authentication.setServerAuthenticationConverter(bearer);
        ServerAuthenticationEntryPointFailureHandler refused = new ServerAuthenticationEntryPointFailureHandler(unauthorized);
        authentication.setAuthenticationFailureHandler((exchange, e) -> {
            throttle.failed(exchange.getExchange());
            return refused.onAuthenticationFailure(exchange, e);
        });
        authentication.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());

        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .cors(cors -> cors.configurationSource(readsFromAnyOrigin()))
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .addFilterBefore(throttle.filter(), SecurityWebFiltersOrder.AUTHENTICATION)
                .addFilterAt(authentication, SecurityWebFiltersOrder.AUTHENTICATION)
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/api/v1/tokens", "/api/v1/tokens/**").hasRole("ADMIN")
                        .pathMatchers("/api/v1/media", "/api/v1/media/**").hasRole("PUBLISHER")
                        .pathMatchers("/api/v1/previews").hasRole("PUBLISHER")
                        .pathMatchers(HttpMethod.POST, "/api/v1/bulletins/**").hasRole("PUBLISHER")
                        .pathMatchers(HttpMethod.PUT, "/api/v1/bulletins/**").hasRole("PUBLISHER")
                        .pathMatchers(HttpMethod.PATCH, "/api/v1/bulletins/**").hasRole("PUBLISHER")
                        .pathMatchers(HttpMethod.DELETE, "/api/v1/bulletins/**").hasRole("PUBLISHER")
                        .anyExchange().permitAll())
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(forbidden))
                .headers(headers -> headers.cache(cache -> cache.disable())) // handlers set their own caching
                .build();
    }
}
