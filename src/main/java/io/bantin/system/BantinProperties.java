package io.bantin.system;

import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code bantin.*} settings.
 *
 * @param publicUrl where readers reach this server; every link Bantin emits starts with it
 * @param zone the portal's time zone, used for every time Bantin writes out
 * @param adminToken the first admin token; generated and logged once when unset
 */
@ConfigurationProperties("bantin")
public record BantinProperties(
        @DefaultValue("http://localhost:8080") String publicUrl,
        @DefaultValue("Asia/Ho_Chi_Minh") ZoneId zone,
        String adminToken) {

    public BantinProperties {
        publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    /** An absolute URL for a path of this server ({@code path} starts with a slash). */
    public String url(String path) {
        return publicUrl + path;
    }
}
