package io.warpgw.json;

import io.vertx.core.json.JsonObject;
import io.warpgw.error.GatewayException;
import io.warpgw.model.Device;
import io.warpgw.model.Identifiers;
import io.warpgw.model.Policy;
import io.warpgw.model.Quote;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationPatch;
import io.warpgw.model.RegistrationType;
import io.warpgw.model.Timestamps;
import io.warpgw.model.User;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The one place registrations meet JSON, in both directions, with API.md's field names. */
public final class RegistrationJson {
  public static final Set<String> KEY_TYPES = Set.of("curve25519", "secp256r1");
  public static final Set<String> TUNNEL_TYPES = Set.of("wireguard", "masque");
  private static final int MAX_TEXT = 1024;
  private static final int MAX_KEY = 4096;

  private RegistrationJson() {}

  public static JsonObject toJson(Registration r, boolean includePolicy) {
    JsonObject device = new JsonObject()
        .put("id", r.device().id())
        .put("name", r.device().name())
        .put("client_version", r.device().clientVersion());
    JsonObject json = new JsonObject()
        .put("id", r.id())
        .put("created_at", Timestamps.format(r.createdAt()))
        .put("updated_at", Timestamps.format(r.updatedAt()))
        .put("last_seen_at", Timestamps.format(r.lastSeenAt()))
        .put("device", device)
        .put("key", r.key())
        .put("key_type", r.keyType())
        .put("tunnel_type", r.tunnelType());
    if (r.user() != null) {
      json.put("user", new JsonObject()
          .put("id", r.user().id())
          .put("email", r.user().email())
          .put("name", r.user().name()));
    }
    // Like user, the policy is absent rather than null when there is none.
    if (includePolicy && r.policy() != null) {
      json.put("policy", policyJson(r.policy()));
    }
    return json
        .put("revoked_at", Timestamps.format(r.revokedAt()))
        .put("deleted_at", null)
        .put("registration_type", r.registrationType().wire());
  }

  private static JsonObject policyJson(Policy p) {
    return new JsonObject()
        .put("id", p.id())
        .put("default", p.isDefault())
        .put("deleted", p.deleted())
        .put("name", p.name())
        .put("updated_at", Timestamps.format(p.updatedAt()));
  }

  /**
   * Reads a Create / Import body. {@code id} and the timestamps are optional; everything is checked
   * and the first problem is reported naming the field.
   */
  public static Registration fromCreate(JsonObject body, Instant now) {
    String id = optionalText(body, "id");
    if (id == null) {
      id = UUID.randomUUID().toString();
    } else {
      Identifiers.require("id", id);
    }
    JsonObject deviceJson = object(body, "device", true);
    Device device = new Device(
        text(deviceJson, "device.", "id", true, MAX_TEXT),
        text(deviceJson, "device.", "name", true, MAX_TEXT),
        text(deviceJson, "device.", "client_version", false, MAX_TEXT));
    Instant createdAt = time(body, "created_at", now);
    Object deletedAt = body.getValue("deleted_at");
    if (deletedAt != null) {
      throw GatewayException.invalid("deleted_at must be null or absent: a deleted registration is gone");
    }
    return new Registration(
        id,
        createdAt,
        time(body, "updated_at", now),
        time(body, "last_seen_at", now),
        device,
        text(body, "", "key", true, MAX_KEY),
        oneOf(body, "key_type", KEY_TYPES),
        oneOf(body, "tunnel_type", TUNNEL_TYPES),
        user(body),
        policy(body, now),
        time(body, "revoked_at", null),
        registrationType(body));
  }

  /** Reads a stored registration written by {@link #toJson} with the policy included. */
  public static Registration fromStored(JsonObject json) {
    return fromCreate(json, null);
  }

  public static RegistrationPatch patchFrom(JsonObject body) {
    for (String field : body.fieldNames()) {
      if (!PATCHABLE.contains(field)) {
        throw GatewayException.invalid("'" + field + "' cannot be changed by PATCH; allowed fields: "
            + String.join(", ", PATCHABLE_LIST));
      }
    }
    JsonObject device = body.containsKey("device") ? object(body, "device", true) : null;
    if (device != null) {
      for (String field : device.fieldNames()) {
        if (!field.equals("name") && !field.equals("client_version")) {
          throw GatewayException.invalid("device." + field
              + " cannot be changed by PATCH; allowed: device.name, device.client_version");
        }
      }
    }
    Instant lastSeen = null;
    if (body.containsKey("last_seen_at")) {
      lastSeen = time(body, "last_seen_at", null);
      if (lastSeen == null) {
        throw GatewayException.invalid("last_seen_at must be an RFC 3339 time, not null");
      }
    }
    return new RegistrationPatch(
        lastSeen,
        body.containsKey("key") ? text(body, "", "key", true, MAX_KEY) : null,
        body.containsKey("key_type") ? Optional.ofNullable(oneOf(body, "key_type", KEY_TYPES)) : null,
        body.containsKey("tunnel_type")
            ? Optional.ofNullable(oneOf(body, "tunnel_type", TUNNEL_TYPES)) : null,
        device != null && device.containsKey("name")
            ? text(device, "device.", "name", true, MAX_TEXT) : null,
        device != null && device.containsKey("client_version")
            ? Optional.ofNullable(text(device, "device.", "client_version", false, MAX_TEXT)) : null,
        body.containsKey("user") ? Optional.ofNullable(user(body)) : null,
        body.containsKey("policy") ? Optional.ofNullable(policy(body, Instant.now())) : null);
  }

  private static final java.util.List<String> PATCHABLE_LIST = java.util.List.of(
      "last_seen_at", "key", "key_type", "tunnel_type", "device", "user", "policy");
  private static final Set<String> PATCHABLE = Set.copyOf(PATCHABLE_LIST);

  private static User user(JsonObject body) {
    JsonObject u = object(body, "user", false);
    if (u == null) {
      return null;
    }
    User user = new User(
        text(u, "user.", "id", false, MAX_TEXT),
        text(u, "user.", "email", false, MAX_TEXT),
        text(u, "user.", "name", false, MAX_TEXT));
    return user.id() == null && user.email() == null && user.name() == null ? null : user;
  }

  private static Policy policy(JsonObject body, Instant now) {
    JsonObject p = object(body, "policy", false);
    if (p == null) {
      return null;
    }
    return new Policy(
        text(p, "policy.", "id", true, MAX_TEXT),
        bool(p, "policy.default"),
        bool(p, "policy.deleted"),
        text(p, "policy.", "name", false, MAX_TEXT),
        time(p, "policy.", "updated_at", now));
  }

  private static RegistrationType registrationType(JsonObject body) {
    Object v = body.getValue("registration_type");
    if (v == null) {
      return RegistrationType.WARP;
    }
    RegistrationType t = v instanceof String s ? RegistrationType.fromWire(s) : null;
    if (t == null) {
      throw GatewayException.invalid("registration_type must be 'warp' or 'browser_extension', got "
          + describe(v));
    }
    return t;
  }

  private static String oneOf(JsonObject body, String field, Set<String> allowed) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || !allowed.contains(s)) {
      throw GatewayException.invalid(field + " must be one of " + String.join(", ", new java.util.TreeSet<>(allowed))
          + " or null, got " + describe(v));
    }
    return s;
  }

  private static boolean bool(JsonObject o, String name) {
    Object v = o.getValue(name.substring(name.indexOf('.') + 1));
    if (v == null) {
      return false;
    }
    if (!(v instanceof Boolean b)) {
      throw GatewayException.invalid(name + " must be true or false, got " + describe(v));
    }
    return b;
  }

  private static JsonObject object(JsonObject o, String field, boolean required) {
    Object v = o.getValue(field);
    if (v == null) {
      if (required) {
        throw GatewayException.invalid(field + " is required and must be an object");
      }
      return null;
    }
    if (!(v instanceof JsonObject j)) {
      throw GatewayException.invalid(field + " must be an object, got " + describe(v));
    }
    return j;
  }

  private static String optionalText(JsonObject o, String field) {
    return text(o, "", field, false, MAX_TEXT);
  }

  private static String text(JsonObject o, String prefix, String field, boolean required, int max) {
    Object v = o.getValue(field);
    String name = prefix + field;
    if (v == null) {
      if (required) {
        throw GatewayException.invalid(name + " is required and must be a non-empty string");
      }
      return null;
    }
    if (!(v instanceof String s)) {
      throw GatewayException.invalid(name + " must be a string, got " + describe(v));
    }
    if (required && s.isEmpty()) {
      throw GatewayException.invalid(name + " must not be empty");
    }
    if (s.length() > max) {
      throw GatewayException.invalid(name + " must be at most " + max + " characters, got " + s.length());
    }
    checkStorable(name, s);
    return s;
  }

  /** NUL and unpaired surrogates cannot be stored by every backend (PostgreSQL text, UTF-8). */
  private static void checkStorable(String name, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        throw GatewayException.invalid(name + " must not contain NUL characters");
      }
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw GatewayException.invalid(name + " contains an unpaired UTF-16 surrogate; send valid Unicode");
      }
    }
  }

  private static Instant time(JsonObject o, String field, Instant dflt) {
    return time(o, "", field, dflt);
  }

  private static Instant time(JsonObject o, String prefix, String field, Instant dflt) {
    Object v = o.getValue(field);
    if (v == null) {
      return dflt;
    }
    Instant t = v instanceof String s ? Timestamps.parse(s) : null;
    if (t == null || t.isBefore(MIN_TIME) || !t.isBefore(MAX_TIME)) {
      throw GatewayException.invalid(prefix + field
          + " must be an RFC 3339 time between years 0001 and 9999 such as 2025-03-01T12:00:00Z, got "
          + describe(v));
    }
    return Timestamps.truncate(t);
  }

  private static final Instant MIN_TIME = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant MAX_TIME = Instant.parse("+10000-01-01T00:00:00Z");

  private static String describe(Object v) {
    if (v instanceof String s) {
      return Quote.of(s);
    }
    if (v instanceof JsonObject) {
      return "an object";
    }
    if (v instanceof io.vertx.core.json.JsonArray) {
      return "an array";
    }
    return String.valueOf(v);
  }
}
