package io.warpgw.model;

import java.time.Instant;
import java.util.Optional;

/**
 * The fields a PATCH may change. A null field is left as it is; for fields that may be cleared,
 * {@code Optional.empty()} clears it.
 */
public record RegistrationPatch(
    Instant lastSeenAt,
    String key,
    Optional<String> keyType,
    Optional<String> tunnelType,
    String deviceName,
    Optional<String> clientVersion,
    Optional<User> user,
    Optional<Policy> policy) {

  public Registration applyTo(Registration r, Instant now) {
    Device device = new Device(
        r.device().id(),
        deviceName != null ? deviceName : r.device().name(),
        clientVersion != null ? clientVersion.orElse(null) : r.device().clientVersion());
    return new Registration(
        r.id(),
        r.createdAt(),
        now,
        lastSeenAt != null ? lastSeenAt : r.lastSeenAt(),
        device,
        key != null ? key : r.key(),
        keyType != null ? keyType.orElse(null) : r.keyType(),
        tunnelType != null ? tunnelType.orElse(null) : r.tunnelType(),
        user != null ? user.orElse(null) : r.user(),
        policy != null ? policy.orElse(null) : r.policy(),
        r.revokedAt(),
        r.registrationType());
  }
}
