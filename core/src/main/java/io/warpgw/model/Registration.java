package io.warpgw.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One WARP device registration as every store keeps it. Timestamps are truncated to microseconds
 * before they reach a store, so all backends read back the same bytes.
 *
 * @param user null when the registration has no user
 * @param policy null when none was set
 * @param revokedAt non-null exactly when revoked
 */
public record Registration(
    String id,
    Instant createdAt,
    Instant updatedAt,
    Instant lastSeenAt,
    Device device,
    String key,
    String keyType,
    String tunnelType,
    User user,
    Policy policy,
    Instant revokedAt,
    RegistrationType registrationType) {

  public Registration {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(lastSeenAt, "lastSeenAt");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(registrationType, "registrationType");
  }

  public boolean revoked() {
    return revokedAt != null;
  }

  public String userName() {
    return user == null ? null : user.name();
  }

  public String userEmail() {
    return user == null ? null : user.email();
  }

  public String userId() {
    return user == null ? null : user.id();
  }

  public Registration withRevokedAt(Instant revokedAt, Instant updatedAt) {
    return new Registration(id, createdAt, updatedAt, lastSeenAt, device, key, keyType, tunnelType,
        user, policy, revokedAt, registrationType);
  }
}
