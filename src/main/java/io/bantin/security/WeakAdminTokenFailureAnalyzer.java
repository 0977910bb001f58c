package io.bantin.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a weak admin token at start-up into one clear message instead of a stack trace. */
class WeakAdminTokenFailureAnalyzer extends AbstractFailureAnalyzer<WeakAdminTokenException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, WeakAdminTokenException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set BANTIN_ADMIN_TOKEN to at least " + AdminTokenRule.MIN_LENGTH + " random characters, "
                        + "e.g. BANTIN_ADMIN_TOKEN=$(openssl rand -hex 24), or leave it unset to have one generated.",
                cause);
    }
}
