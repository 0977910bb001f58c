package io.bantin.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

import io.bantin.system.BantinProperties;

/**
 * Makes sure an operator can get in: registers {@code bantin.admin-token} when set, or generates an
 * admin token on the very first start and logs it once. A revoked configured token stays revoked; a weak
 * one stops start-up ({@link AdminTokenRule}).
 */
@Component
public class AdminTokenBootstrap {

    private static final Logger log = LoggerFactory.getLogger(AdminTokenBootstrap.class);

    private final TokenRepository tokens;
    private final BantinProperties properties;
    private final TransactionalOperator tx;

    AdminTokenBootstrap(TokenRepository tokens, BantinProperties properties, ReactiveTransactionManager transactions) {
        this.tokens = tokens;
        this.properties = properties;
        this.tx = TransactionalOperator.create(transactions);
        String configured = properties.adminToken();
        String weakness = configured == null || configured.isBlank() ? null : AdminTokenRule.weakness(configured);
        if (weakness != null) {
            throw new WeakAdminTokenException(weakness);
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void onReady() {
        ensureAdminToken().subscribe(null, e -> log.error("Could not set up the admin token: {}", e.toString()));
    }

    /** Registers or generates the admin token; answers with a generated secret, if one was made. */
    public Mono<String> ensureAdminToken() {
        String configured = properties.adminToken();
        if (configured != null && !configured.isBlank()) {
            return tokens.insert("admin (bantin.admin-token)", "admin", Tokens.hash(configured.strip()))
                    .doOnTerminate(() -> log.info("Admin token: the one set in bantin.admin-token"))
                    .then(Mono.empty());
        }
        // Serialized across instances starting together, so only one of them generates a token.
        Mono<String> generate = tokens.lockAdminBootstrap()
                .then(tokens.anyAdminEver())
                .flatMap(exists -> exists
                        ? Mono.<String>empty().doOnSubscribe(s -> log.info("Admin token: already issued earlier"))
                        : Mono.fromCallable(Tokens::newSecret).subscribeOn(Schedulers.boundedElastic())
                                .flatMap(secret -> tokens.insert("admin (generated)", "admin",
                                        Tokens.hash(secret)).thenReturn(secret)));
        return tx.transactional(generate).doOnNext(secret -> log.warn(
                "Generated the first admin token (shown once; set BANTIN_ADMIN_TOKEN to choose your own): {}", secret));
    }
}
