package io.bantin.system;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an unreachable database at start-up into one clear message instead of a stack trace. */
class DatabaseUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<DatabaseUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DatabaseUnavailableException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Start PostgreSQL (on Debian: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) "
                        + "or point Bantin at a running one with SPRING_R2DBC_URL, SPRING_R2DBC_USERNAME and "
                        + "SPRING_R2DBC_PASSWORD.",
                cause);
    }
}
