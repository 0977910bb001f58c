package io.bantin.web;

import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;

/**
 * Which failures mean "the database cannot answer now" (down, refusing connections, pool exhausted, too
 * slow): the one test behind every 503 with {@code Retry-After}, for writes, reads and feeds alike.
 */
public final class DatabaseErrors {

    private static final Set<String> GONE = Set.of("08006", "08003", "57P01", "57P02");

    private DatabaseErrors() {
    }

    public static boolean unavailable(Throwable error) {
        return causedBy(error, R2dbcTransientException.class) // includes the pool's acquire timeout
                || causedBy(error, R2dbcNonTransientResourceException.class)
                || error instanceof DataAccessResourceFailureException || error instanceof TransientDataAccessException;
    }

    /**
     * Turns a timeout on work that waits on the database (a render, a poll) into what it means for the
     * client: the database did not answer in time, a 503 to retry rather than an unexpected 500.
     */
    public static Throwable timedOut(Throwable error, String what) {
        return error instanceof TimeoutException ? new QueryTimeoutException(what + ": " + error.getMessage(), error)
                : error;
    }

    /**
     * Whether the failure says the connection itself is gone (closed by the database or on the way), not that
     * the database refused work: connection_failure, connection_does_not_exist, admin_shutdown, crash_shutdown.
     */
    public static boolean connectionGone(Throwable error) {
        return anyCause(error, t -> t instanceof R2dbcException r2dbc && r2dbc.getSqlState() != null
                && GONE.contains(r2dbc.getSqlState()));
    }

    static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        return anyCause(error, type::isInstance);
    }

    private static boolean anyCause(Throwable error, Predicate<Throwable> test) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (test.test(t)) {
                return true;
            }
        }
        return false;
    }
}
