package io.bantin.answer;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code bantin.cache.*} settings.
 *
 * @param maxBytes the answer cache's budget: rendered answers, plain and gzipped, past which the least recently
 *                 used are dropped
 */
@ConfigurationProperties("bantin.cache")
public record CacheProperties(@DefaultValue("64MB") DataSize maxBytes) {
}
