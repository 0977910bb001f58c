package io.bantin.security;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;

/** Reads {@code Authorization: Bearer <token>} and resolves it to a {@link TokenPrincipal} with its roles. */
class BearerTokenAuthentication implements ServerAuthenticationConverter, ReactiveAuthenticationManager {

    private static final String SCHEME = "bearer ";

    private final TokenRepository tokens;

    BearerTokenAuthentication(TokenRepository tokens) {
        this.tokens = tokens;
    }

    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return Mono.empty();
        }
        if (header.length() <= SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Mono.error(new BadCredentialsException("The Authorization header must be: Bearer <token>"));
        }
        String secret = header.substring(SCHEME.length()).strip();
        return Mono.just(UsernamePasswordAuthenticationToken.unauthenticated(null, secret));
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        String secret = String.valueOf(authentication.getCredentials());
        return tokens.findActive(Tokens.hash(secret))
                .switchIfEmpty(Mono.error(() -> new BadCredentialsException("The token is unknown or revoked.")))
                .map(principal -> UsernamePasswordAuthenticationToken.authenticated(principal, null,
                        authorities(principal.role())));
    }

    private static List<SimpleGrantedAuthority> authorities(String role) {
        // An admin also publishes.
        return role.equals("admin")
                ? List.of(new SimpleGrantedAuthority("ROLE_ADMIN"), new SimpleGrantedAuthority("ROLE_PUBLISHER"))
                : List.of(new SimpleGrantedAuthority("ROLE_PUBLISHER"));
    }
}
