package io.warpgw.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.JsonObject;
import io.warpgw.model.Device;
import io.warpgw.model.Policy;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationType;
import io.warpgw.model.Timestamps;
import io.warpgw.model.User;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Reads back the JSON that {@link RegistrationJson#toJson} wrote with the policy included, as a store
 * keeps it: streamed from the stored UTF-8 bytes into a registration, with no String of the whole
 * record, no JsonObject, and no java.time parser. Decoding records this way was most of the CPU of a
 * Redis list page. The gateway validated the values before storing them, so they are not checked
 * again; a record not in toJson's form (a field of another type, a missing required field, a time in
 * another form) goes through {@link RegistrationJson#fromStored}, which decides as before.
 */
public final class StoredRegistrations {
  private static final JsonFactory FACTORY = new JsonFactory();

  private StoredRegistrations() {}

  /**
   * The JSON a store keeps of {@code r}, which {@link #read} and {@link StoredItems} take back: what
   * {@link RegistrationJson#toJson} writes with the policy, but for {@code updated_at},
   * {@code revoked_at} and {@code deleted_at}, which the store keeps apart (revoking changes them
   * without rewriting the JSON).
   */
  public static String json(Registration r) {
    JsonObject json = RegistrationJson.toJson(r, true);
    json.remove("updated_at");
    json.remove("revoked_at");
    json.remove("deleted_at");
    return json.encode();
  }

  /**
   * The registration stored as {@code len} bytes of JSON from {@code off}; {@code updatedAt} and
   * {@code revokedAt} stand in for those fields when the JSON lacks them (a store that keeps them
   * apart, to change them without rewriting the JSON).
   */
  public static Registration read(byte[] json, int off, int len, Instant updatedAt, Instant revokedAt) {
    try (JsonParser p = FACTORY.createParser(json, off, len)) {
      Registration r = new Reader(p, updatedAt, revokedAt).registration();
      if (r != null) {
        return r;
      }
    } catch (IOException | RuntimeException e) {
      // not in the form toJson writes: the general reader below decides
    }
    JsonObject j = new JsonObject(new String(json, off, len, StandardCharsets.UTF_8));
    if (!j.containsKey("updated_at")) {
      j.put("updated_at", updatedAt == null ? null : Timestamps.format(updatedAt));
    }
    if (!j.containsKey("revoked_at")) {
      j.put("revoked_at", revokedAt == null ? null : Timestamps.format(revokedAt));
    }
    return RegistrationJson.fromStored(j);
  }

  /**
   * The registration stored as {@code jsonLen} bytes of JSON from {@code jsonOff}, with its
   * {@code updated_at} and {@code revoked_at} kept apart in {@code b} as the text
   * {@link Timestamps#format} wrote (an empty {@code revoked_at}: not revoked).
   *
   * @throws IllegalStateException when one of those two times is not a time
   */
  public static Registration read(byte[] b, int jsonOff, int jsonLen, int updatedOff, int updatedLen,
      int revokedOff, int revokedLen) {
    Instant updated = time(b, updatedOff, updatedLen);
    Instant revoked = revokedLen == 0 ? null : time(b, revokedOff, revokedLen);
    return read(b, jsonOff, jsonLen, updated, revoked);
  }

  /** A time kept apart: ASCII, so one byte per char. */
  private static Instant time(byte[] b, int off, int len) {
    char[] chars = new char[len];
    for (int i = 0; i < len; i++) {
      chars[i] = (char) (b[off + i] & 0xff);
    }
    Instant t = Timestamps.parse(chars, 0, len);
    if (t == null) {
      throw new IllegalStateException("a stored registration has a malformed time: "
          + new String(b, off, len, StandardCharsets.UTF_8));
    }
    return t;
  }

  /** One record's fields; null from any method means "not the usual form". */
  private static final class Reader {
    private final JsonParser p;
    private Instant updatedAt;
    private Instant revokedAt;
    private boolean unusual;

    Reader(JsonParser p, Instant updatedAt, Instant revokedAt) {
      this.p = p;
      this.updatedAt = updatedAt;
      this.revokedAt = revokedAt;
    }

    Registration registration() throws IOException {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String id = null;
      Instant createdAt = null;
      Instant lastSeenAt = null;
      Device device = null;
      String key = null;
      String keyType = null;
      String tunnelType = null;
      User user = null;
      Policy policy = null;
      RegistrationType type = RegistrationType.WARP;
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken value = p.nextToken();
        switch (field) {
          case "id" -> id = text(value);
          case "created_at" -> createdAt = time(value);
          case "updated_at" -> updatedAt = time(value);
          case "last_seen_at" -> lastSeenAt = time(value);
          case "device" -> device = device(value);
          case "key" -> key = text(value);
          case "key_type" -> keyType = text(value);
          case "tunnel_type" -> tunnelType = text(value);
          case "user" -> user = user(value);
          case "policy" -> policy = policy(value);
          case "revoked_at" -> revokedAt = time(value);
          case "registration_type" -> type = type(value);
          case "deleted_at" -> unusual |= value != JsonToken.VALUE_NULL;
          default -> p.skipChildren();
        }
      }
      if (unusual || p.nextToken() != null || id == null || createdAt == null || updatedAt == null
          || lastSeenAt == null || device == null || key == null || key.isEmpty() || type == null) {
        return null;
      }
      return new Registration(id, createdAt, updatedAt, lastSeenAt, device, key, keyType, tunnelType,
          user, policy, revokedAt, type);
    }

    private Device device(JsonToken value) throws IOException {
      if (value != JsonToken.START_OBJECT) {
        unusual = true;
        p.skipChildren();
        return null;
      }
      String id = null;
      String name = null;
      String clientVersion = null;
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken v = p.nextToken();
        switch (field) {
          case "id" -> id = text(v);
          case "name" -> name = text(v);
          case "client_version" -> clientVersion = text(v);
          default -> p.skipChildren();
        }
      }
      if (id == null || id.isEmpty() || name == null || name.isEmpty()) {
        unusual = true;
      }
      return new Device(id, name, clientVersion);
    }

    private User user(JsonToken value) throws IOException {
      if (value == JsonToken.VALUE_NULL) {
        return null;
      }
      if (value != JsonToken.START_OBJECT) {
        unusual = true;
        p.skipChildren();
        return null;
      }
      String id = null;
      String email = null;
      String name = null;
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken v = p.nextToken();
        switch (field) {
          case "id" -> id = text(v);
          case "email" -> email = text(v);
          case "name" -> name = text(v);
          default -> p.skipChildren();
        }
      }
      // A stored user object is a user, even with every field null: toJson writes one only for a
      // user, and a store may hold such a registration (written through the SPI, or copied).
      return new User(id, email, name);
    }

    private Policy policy(JsonToken value) throws IOException {
      if (value == JsonToken.VALUE_NULL) {
        return null;
      }
      if (value != JsonToken.START_OBJECT) {
        unusual = true;
        p.skipChildren();
        return null;
      }
      String id = null;
      boolean isDefault = false;
      boolean deleted = false;
      String name = null;
      Instant updated = null;
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken v = p.nextToken();
        switch (field) {
          case "id" -> id = text(v);
          case "default" -> isDefault = bool(v);
          case "deleted" -> deleted = bool(v);
          case "name" -> name = text(v);
          case "updated_at" -> updated = time(v);
          default -> p.skipChildren();
        }
      }
      if (id == null || id.isEmpty()) {
        unusual = true;
      }
      return new Policy(id, isDefault, deleted, name, updated);
    }

    private String text(JsonToken v) throws IOException {
      if (v == JsonToken.VALUE_STRING) {
        return p.getText();
      }
      if (v != JsonToken.VALUE_NULL) {
        unusual = true;
        p.skipChildren();
      }
      return null;
    }

    private boolean bool(JsonToken v) {
      if (v == JsonToken.VALUE_TRUE) {
        return true;
      }
      if (v != JsonToken.VALUE_FALSE && v != JsonToken.VALUE_NULL) {
        unusual = true;
      }
      return false;
    }

    private RegistrationType type(JsonToken v) throws IOException {
      String wire = text(v);
      return wire == null ? RegistrationType.WARP : RegistrationType.fromWire(wire);
    }

    /** A stored time is always microsecond UTC text in years 0001-9999, as Timestamps writes it. */
    private Instant time(JsonToken v) throws IOException {
      if (v != JsonToken.VALUE_STRING) {
        if (v != JsonToken.VALUE_NULL) {
          unusual = true;
          p.skipChildren();
        }
        return null;
      }
      Instant t = Timestamps.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
      if (t == null || t.getNano() % 1000 != 0 || t.isBefore(MIN_TIME) || !t.isBefore(MAX_TIME)) {
        unusual = true;
      }
      return t;
    }
  }

  private static final Instant MIN_TIME = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant MAX_TIME = Instant.parse("+10000-01-01T00:00:00Z");
}
