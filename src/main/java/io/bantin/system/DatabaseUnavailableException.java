package io.bantin.system;

/** Start-up could not reach or prepare the configured PostgreSQL database. */
public class DatabaseUnavailableException extends RuntimeException {

    private final String target;

    DatabaseUnavailableException(String target, Throwable cause) {
        super("Cannot use PostgreSQL at " + target + ": " + rootMessage(cause), cause);
        this.target = target;
    }

    String target() {
        return target;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
