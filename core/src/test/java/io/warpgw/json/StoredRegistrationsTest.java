package io.warpgw.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.warpgw.error.GatewayException;
import io.warpgw.model.Registration;
import io.warpgw.model.Timestamps;
import io.warpgw.model.User;
import io.warpgw.testkit.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Stored registrations read from bytes")
class StoredRegistrationsTest {
  @Test
  @DisplayName("equal what RegistrationJson.fromStored reads from the same JSON")
  void sameAsFromStored() {
    for (Registration r : Fixtures.varied("s", 500, 11)) {
      JsonObject json = RegistrationJson.toJson(r, true);
      byte[] bytes = ("  " + json.encode() + "\0tail").getBytes(StandardCharsets.UTF_8);
      int len = json.encode().getBytes(StandardCharsets.UTF_8).length;
      Registration read = StoredRegistrations.read(bytes, 2, len, null, null);
      assertThat(read).isEqualTo(RegistrationJson.fromStored(json)).isEqualTo(r);
    }
  }

  @Test
  @DisplayName("take updated_at and revoked_at from the caller when the JSON lacks them")
  void timesKeptApart() {
    Instant updated = Instant.parse("2026-01-02T03:04:05.123456Z");
    Instant revoked = Instant.parse("2026-02-03T00:00:00Z");
    for (Registration r : Fixtures.varied("t", 100, 12)) {
      JsonObject json = RegistrationJson.toJson(r, true);
      json.remove("updated_at");
      json.remove("revoked_at");
      byte[] bytes = json.encode().getBytes(StandardCharsets.UTF_8);
      assertThat(StoredRegistrations.read(bytes, 0, bytes.length, updated, revoked))
          .isEqualTo(r.withRevokedAt(revoked, updated));
      assertThat(StoredRegistrations.read(bytes, 0, bytes.length, updated, null))
          .isEqualTo(r.withRevokedAt(null, updated));
    }
  }

  @Test
  @DisplayName("leave records in any other form to RegistrationJson, errors included")
  void unusualForms() {
    Registration r = Fixtures.simple("u1");
    JsonObject json = RegistrationJson.toJson(r, true);
    // A time with an offset: java.time reads it, the result is the same instant.
    JsonObject offset = json.copy().put("created_at", "2025-03-01T14:00:00+02:00");
    assertThat(read(offset).createdAt()).isEqualTo(Instant.parse("2025-03-01T12:00:00Z"));
    // A stored user object is kept even when empty: toJson writes one only for a user (whose fields
    // may all be null), and a store must give back what it was given. A null user is no user.
    assertThat(read(json.copy().put("user", new JsonObject())).user()).isEqualTo(new User(null, null, null));
    assertThat(read(json.copy().putNull("user")).user()).isNull();
    // Unknown fields are skipped.
    assertThat(read(json.copy().put("extra", new JsonObject().put("a", 1)))).isEqualTo(r);
    // What RegistrationJson rejects is still rejected.
    assertThatThrownBy(() -> read(json.copy().put("deleted_at", Timestamps.format(r.createdAt()))))
        .isInstanceOf(GatewayException.class);
    assertThatThrownBy(() -> read(json.copy().put("registration_type", "other")))
        .isInstanceOf(GatewayException.class);
    assertThatThrownBy(() -> read(json.copy().put("key", 5))).isInstanceOf(GatewayException.class);
  }

  private static Registration read(JsonObject json) {
    byte[] bytes = json.encode().getBytes(StandardCharsets.UTF_8);
    return StoredRegistrations.read(bytes, 0, bytes.length, null, null);
  }
}
