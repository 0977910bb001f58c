package io.bantin.web;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, the one digest Bantin uses (token hashes, idempotency request hashes, CSP script hashes). */
public final class Digests {

    private Digests() {
    }

    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
