package io.bantin.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import io.bantin.web.Digests;

/**
 * Token secrets: 256 random bits, shown once, stored only as their SHA-256. A slow password hash
 * buys nothing for secrets this long, and SHA-256 lets a token be found by its hash in one index probe.
 */
final class Tokens {

    static final String PREFIX = "bt_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    /** A fresh secret. May read the OS entropy source: call it off the event loop. */
    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] hash(String secret) {
        return Digests.sha256(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Compares two hashes in time independent of where they differ. */
    static boolean same(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
