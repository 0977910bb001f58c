package io.bantin;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;

/** Bantin: publishes news bulletins as a JSON API, feeds and live streams. */
// No user store: API tokens are the only credentials (see security/).
@SpringBootApplication(exclude = ReactiveUserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class BantinApplication {

    public static void main(String[] args) {
        SpringApplication.run(BantinApplication.class, args);
    }
}
