package io.bantin.security;

/** Stops start-up when {@code bantin.admin-token} is too weak to guard the API ({@link AdminTokenRule}). */
public class WeakAdminTokenException extends RuntimeException {

    WeakAdminTokenException(String weakness) {
        super("bantin.admin-token (BANTIN_ADMIN_TOKEN) is too weak: " + weakness + ".", null, false, false);
    }
}
