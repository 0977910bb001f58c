package io.bantin.web;

import java.util.concurrent.TimeoutException;

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

    static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
