package io.bantin.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/** Library start-up reads that BlockHound would flag; never the application's own code. */
public class TestBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        // jsoup loads its entity tables from the classpath the first time it parses.
        builder.allowBlockingCallsInside("org.jsoup.nodes.Entities", "load");
        builder.allowBlockingCallsInside("org.jsoup.nodes.Entities$EscapeMode", "<clinit>");
        // Spring streams static files packed in jars (Swagger UI's webjar) through a channel over the
        // jar's input stream, a few kilobytes at a time.
        builder.allowBlockingCallsInside("org.springframework.core.io.buffer.DataBufferUtils$ReadableByteChannelGenerator",
                "accept");
        // The webjar locator reads a webjar's version from its jar once, then answers from its cache.
        builder.allowBlockingCallsInside("org.webjars.WebJarVersionLocator", "version");
        // Netty's adaptive allocator briefly takes a StampedLock when it grows its magazines under load.
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines");
        // Test clients decoding their first JSON answers concurrently wait briefly on Jackson's reader cache.
        builder.allowBlockingCallsInside("org.springframework.http.codec.AbstractJacksonDecoder", "createObjectReader");
    }
}
