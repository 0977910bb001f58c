package io.bantin.stream;

import java.util.List;

/**
 * One entry of the event log as streams send it: {@code payload} is the JSON text stored at write
 * time, shared by every subscriber and never parsed again.
 */
record StreamEvent(long seq, String kind, String categorySlug, List<String> tagSlugs, String payload) {

    /** Not an event: marks the moment the stream's starting point is fixed, so the response may begin. */
    static final StreamEvent OPEN = new StreamEvent(-1, "open", null, List.of(), null);

    boolean isOpen() {
        return this == OPEN;
    }
}
