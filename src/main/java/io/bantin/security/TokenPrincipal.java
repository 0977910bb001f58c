package io.bantin.security;

import java.util.UUID;

/** Who made a request: the API token it carried. */
public record TokenPrincipal(UUID id, String name, String role) {
}
