package io.bantin.bulletin;

/**
 * Where a bulletin stands in its life, named as the API writes it ({@code "status"}). Being withdrawn is not a
 * status but a time ({@code withdrawn_at}), kept beside whichever status the bulletin had; who may see a bulletin
 * is decided in one place, {@code BulletinRows.Stored#visibility()}.
 */
public enum Status {
    /** Kept hidden until a publisher publishes it. */
    draft,
    /** Its publication time is still to come. */
    scheduled,
    /** Its publication time has come. */
    published
}
