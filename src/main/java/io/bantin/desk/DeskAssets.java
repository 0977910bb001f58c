package io.bantin.desk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

import io.bantin.web.Digests;

/**
 * The desk's files, read once at start-up: its own script and style, and Quill (the rich-text editor, from its
 * WebJar, pinned in the pom). Each is served at a path holding a hash of its bytes, so it can be cached for a year,
 * and named in the page with its Subresource Integrity digest.
 */
@Component
class DeskAssets {

    /** Quill's version: the WebJar's folder name, and the pom's version of org.webjars.npm:quill. */
    static final String QUILL = "1.3.7";

    static final String PREFIX = "/desk/assets/";

    /** One file: where it is served, its bytes and type, and its integrity digest. */
    record Asset(String path, byte[] bytes, String type, String integrity) {
    }

    private final Map<String, Asset> byName = new LinkedHashMap<>();
    private final Map<String, Asset> byPath = new LinkedHashMap<>();
    private final String readerStyleHash;

    DeskAssets() {
        // Start-up, on the main thread, before any request: reading the jar here blocks no event loop.
        add("desk.js", "desk/desk.js", "text/javascript;charset=utf-8");
        add("desk.css", "desk/desk.css", "text/css;charset=utf-8");
        add("quill.js", "META-INF/resources/webjars/quill/" + QUILL + "/dist/quill.min.js", "text/javascript;charset=utf-8");
        add("quill.css", "META-INF/resources/webjars/quill/" + QUILL + "/dist/quill.snow.css", "text/css;charset=utf-8");
        // The preview shows the reader page in a frame, under the desk's policy: its one <style> is allowed by hash.
        Matcher style = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL)
                .matcher(new String(read("templates/head.mustache"), StandardCharsets.UTF_8));
        readerStyleHash = style.find() ? "'sha256-" + Base64.getEncoder().encodeToString(
                Digests.sha256(style.group(1).getBytes(StandardCharsets.UTF_8))) + "'" : "";
    }

    private void add(String name, String location, String type) {
        byte[] bytes = read(location);
        String path = PREFIX + HexFormat.of().formatHex(Digests.sha256(bytes), 0, 8) + "/" + name;
        Asset asset = new Asset(path, bytes, type, "sha384-" + Base64.getEncoder().encodeToString(sha384(bytes)));
        byName.put(name, asset);
        byPath.put(path, asset);
    }

    Map<String, Asset> byName() {
        return byName;
    }

    /** The file served at {@code path}, or null. */
    Asset at(String path) {
        return byPath.get(path);
    }

    String readerStyleHash() {
        return readerStyleHash;
    }

    private static byte[] read(String location) {
        try {
            return new ClassPathResource(location).getContentAsByteArray();
        }
        catch (IOException e) {
            throw new UncheckedIOException("desk: unable to read " + location, e);
        }
    }

    private static byte[] sha384(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-384").digest(bytes);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
