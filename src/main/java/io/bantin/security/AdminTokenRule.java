package io.bantin.security;

import java.util.List;
import java.util.Locale;

/**
 * What an operator-chosen admin token ({@code bantin.admin-token}) must be: at least 16 characters,
 * of at least 8 different ones, and not a placeholder from documentation. Checked at start-up: a weak
 * token refuses to start the server ({@link WeakAdminTokenException}).
 */
public final class AdminTokenRule {

    static final int MIN_LENGTH = 16;
    private static final int MIN_DISTINCT = 8;
    private static final List<String> PLACEHOLDERS = List.of("changeme", "change-me", "change_me", "password",
            "passw0rd", "secret", "example", "admin-token", "admintoken", "letmein", "123456", "qwerty");

    private AdminTokenRule() {
    }

    /** Why {@code token} is too weak, or null when it will do. */
    public static String weakness(String token) {
        String t = token.strip();
        if (t.length() < MIN_LENGTH) {
            return "it has " + t.length() + " characters, fewer than " + MIN_LENGTH;
        }
        if (t.chars().distinct().count() < MIN_DISTINCT) {
            return "it repeats too few different characters";
        }
        String lower = t.toLowerCase(Locale.ROOT);
        for (String placeholder : PLACEHOLDERS) {
            if (lower.contains(placeholder)) {
                return "it contains the placeholder \"" + placeholder + "\"";
            }
        }
        return null;
    }
}
