package io.bantin.support;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Failures a test provokes on purpose (a database taken away, a write made to crash): while open, a log event
 * carrying an exception that mentions one of the given fragments is logged as one line, without its stack trace;
 * every other error, expected by no one, still prints in full. Open it after the Spring context started (a
 * start resets the logging configuration) and close it when the provoked failure is over.
 */
public final class ExpectedFailures extends TurboFilter implements AutoCloseable {

    private static final org.slf4j.Logger log = LoggerFactory.getLogger(ExpectedFailures.class);

    private final List<String> fragments;

    private ExpectedFailures(List<String> fragments) {
        this.fragments = fragments;
    }

    /** Quiets, until closed, logged exceptions whose logger, message or causes mention one of {@code fragments}. */
    public static ExpectedFailures mentioning(String... fragments) {
        ExpectedFailures filter = new ExpectedFailures(List.of(fragments));
        filter.setName("expected failures " + filter.fragments);
        filter.start();
        context().addTurboFilter(filter);
        return filter;
    }

    private static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (!level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            return FilterReply.NEUTRAL; // would not be logged anyway (asking the logger would run the turbo filters again)
        }
        Throwable thrown = t != null ? t
                : params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last ? last : null;
        if (thrown == null || !expected(logger.getName() + " " + format, thrown)) {
            return FilterReply.NEUTRAL;
        }
        log.info("expected failure ({} {}): {}: {}", level, logger.getName(), format, summary(thrown));
        return FilterReply.DENY;
    }

    private boolean expected(String message, Throwable thrown) {
        StringBuilder text = new StringBuilder(message);
        for (Throwable cause = thrown; cause != null && text.length() < 20_000; cause = cause.getCause()) {
            text.append(' ').append(cause);
        }
        return fragments.stream().anyMatch(fragment -> text.indexOf(fragment) >= 0);
    }

    private static String summary(Throwable thrown) {
        Throwable root = thrown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == thrown ? thrown.toString() : thrown.getClass().getName() + " caused by " + root;
    }

    @Override
    public void close() {
        context().getTurboFilterList().remove(this);
        stop();
    }
}
