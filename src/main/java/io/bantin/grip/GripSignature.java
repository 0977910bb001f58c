package io.bantin.grip;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks Pushpin's {@code Grip-Sig}: a JWT (HS256) signed with Pushpin's {@code sig_key}, with an expiry. A request
 * without a valid one did not come through Pushpin and gets the direct stream.
 */
final class GripSignature {

    private static final Pattern EXPIRY = Pattern.compile("\"exp\"\\s*:\\s*(\\d+)");
    private static final Pattern HS256 = Pattern.compile("\"alg\"\\s*:\\s*\"HS256\"");

    private GripSignature() {
    }

    static boolean valid(String token, String key, Instant now) {
        String[] parts = token.strip().split("\\.");
        if (parts.length != 3 || key.isEmpty()) {
            return false;
        }
        try {
            Base64.Decoder base64 = Base64.getUrlDecoder();
            String header = new String(base64.decode(parts[0]), StandardCharsets.UTF_8);
            String claims = new String(base64.decode(parts[1]), StandardCharsets.UTF_8);
            if (!HS256.matcher(header).find()) {
                return false; // "none" and the rest are refused, whatever the signature says
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!MessageDigest.isEqual(expected, base64.decode(parts[2]))) {
                return false;
            }
            Matcher expiry = EXPIRY.matcher(claims);
            return expiry.find() && Long.parseLong(expiry.group(1)) > now.getEpochSecond();
        }
        catch (IllegalArgumentException | GeneralSecurityException e) {
            return false; // not base64, not a number: not a signature Pushpin made
        }
    }

    /** A token as Pushpin makes it, for tests and the benchmark's stub. */
    static String sign(String claimsJson, String key) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String head = base64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return head + "." + base64.encodeToString(mac.doFinal(head.getBytes(StandardCharsets.US_ASCII)));
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
