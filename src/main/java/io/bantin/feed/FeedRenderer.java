package io.bantin.feed;

/** Turns a snapshot into the bytes of one wire format (UTF-8). Pure and CPU-only. */
interface FeedRenderer {

    FeedFormat format();

    byte[] render(FeedSnapshot snapshot);
}
