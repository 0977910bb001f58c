package io.bantin.web;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time-ordered UUIDs (version 7, RFC 9562 section 5.7): new bulletins and photos sort after old ones in indexes.
 * Ids need to be unique, not secret, so a thread-local generator is enough and never touches
 * /dev/urandom on an event loop.
 */
public final class Uuids {

    private Uuids() {
    }

    public static UUID v7() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (System.currentTimeMillis() << 16) | (0x7L << 12) | random.nextInt(1 << 12);
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
