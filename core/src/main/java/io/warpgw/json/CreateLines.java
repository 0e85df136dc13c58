package io.warpgw.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.JsonObject;
import io.warpgw.model.Device;
import io.warpgw.model.Identifiers;
import io.warpgw.model.Policy;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationType;
import io.warpgw.model.Timestamps;
import io.warpgw.model.User;
import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

/**
 * Reads one line of an import as {@link RegistrationJson#fromCreate} does, but streamed: no
 * {@link JsonObject} (a map per object, boxed lookups) is built for the usual line. Parsing lines into
 * JsonObjects was most of an import's event-loop time and much of its garbage.
 *
 * <p>The streamed reader only takes lines it can decide without doubt: every field of the type and
 * within the limits fromCreate wants, no duplicate field (a JsonObject keeps the last one), nothing
 * after the object. Anything else, valid or not, goes to fromCreate, which decides exactly as before and names
 * the field in its error. So both ways give the same registration for every line.
 */
public final class CreateLines {
  // Strict defaults: no comments or other leniency fromCreate's parser might not share.
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final int MAX_TEXT = 1024;
  private static final int MAX_KEY = 4096;
  private static final Instant MIN_TIME = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant MAX_TIME = Instant.parse("+10000-01-01T00:00:00Z");

  private CreateLines() {}

  /**
   * The registration a Create body or import line stands for, at {@code now} for the times it lacks.
   *
   * @throws io.warpgw.error.GatewayException (1001) as {@link RegistrationJson#fromCreate} does
   * @throws RuntimeException when the text is not a JSON object, as {@code new JsonObject(text)} does
   */
  public static Registration read(String text, Instant now) {
    Registration r = streamed(text, now);
    return r != null ? r : RegistrationJson.fromCreate(new JsonObject(text), now);
  }

  /** The registration when the streamed reader can decide the line, else null. */
  static Registration streamed(String text, Instant now) {
    try (JsonParser p = FACTORY.createParser(text)) {
      return new Reader(p, now).registration();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** One line's fields; null from {@link #registration} means "let fromCreate decide". */
  private static final class Reader {
    private final JsonParser p;
    private final Instant now;
    private boolean unusual;

    Reader(JsonParser p, Instant now) {
      this.p = p;
      this.now = now;
    }

    Registration registration() throws IOException {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String id = null;
      Instant createdAt = now;
      Instant updatedAt = now;
      Instant lastSeenAt = now;
      Device device = null;
      String key = null;
      String keyType = null;
      String tunnelType = null;
      User user = null;
      Policy policy = null;
      Instant revokedAt = null;
      RegistrationType type = RegistrationType.WARP;
      int seen = 0;
      String field;
      while (!unusual && (field = p.nextFieldName()) != null) {
        JsonToken value = p.nextToken();
        int bit = switch (field) {
          case "id" -> {
            id = text(value, false, MAX_TEXT);
            yield 1;
          }
          case "created_at" -> {
            createdAt = time(value, now);
            yield 2;
          }
          case "updated_at" -> {
            updatedAt = time(value, now);
            yield 4;
          }
          case "last_seen_at" -> {
            lastSeenAt = time(value, now);
            yield 8;
          }
          case "device" -> {
            device = device(value);
            yield 16;
          }
          case "key" -> {
            key = text(value, true, MAX_KEY);
            yield 32;
          }
          case "key_type" -> {
            keyType = oneOf(value, RegistrationJson.KEY_TYPES);
            yield 64;
          }
          case "tunnel_type" -> {
            tunnelType = oneOf(value, RegistrationJson.TUNNEL_TYPES);
            yield 128;
          }
          case "user" -> {
            user = user(value);
            yield 256;
          }
          case "policy" -> {
            policy = policy(value);
            yield 512;
          }
          case "revoked_at" -> {
            revokedAt = time(value, null);
            yield 1024;
          }
          case "registration_type" -> {
            type = type(value);
            yield 2048;
          }
          case "deleted_at" -> {
            unusual |= value != JsonToken.VALUE_NULL;
            yield 4096;
          }
          default -> {
            p.skipChildren();
            yield 0;
          }
        };
        unusual |= (seen & bit) != 0;
        seen |= bit;
      }
      if (unusual || p.nextToken() != null || device == null || key == null) {
        return null;
      }
      if (id == null) {
        id = UUID.randomUUID().toString();
      } else if (!Identifiers.isValid(id)) {
        return null;
      }
      return new Registration(id, createdAt, updatedAt, lastSeenAt, device, key, keyType, tunnelType,
          user, policy, revokedAt, type);
    }

    private Device device(JsonToken value) throws IOException {
      if (value != JsonToken.START_OBJECT) {
        unusual = true;
        return null;
      }
      String id = null;
      String name = null;
      String clientVersion = null;
      int seen = 0;
      String field;
      while (!unusual && (field = p.nextFieldName()) != null) {
        JsonToken v = p.nextToken();
        int bit = switch (field) {
          case "id" -> {
            id = text(v, true, MAX_TEXT);
            yield 1;
          }
          case "name" -> {
            name = text(v, true, MAX_TEXT);
            yield 2;
          }
          case "client_version" -> {
            clientVersion = text(v, false, MAX_TEXT);
            yield 4;
          }
          default -> {
            p.skipChildren();
            yield 0;
          }
        };
        unusual |= (seen & bit) != 0;
        seen |= bit;
      }
      unusual |= id == null || name == null;
      return new Device(id, name, clientVersion);
    }

    private User user(JsonToken value) throws IOException {
      if (value == JsonToken.VALUE_NULL) {
        return null;
      }
      if (value != JsonToken.START_OBJECT) {
        unusual = true;
        return null;
      }
      String id = null;
      String email = null;
      String name = null;
      int seen = 0;
      String field;
      while (!unusual && (field = p.nextFieldName()) != null) {
        JsonToken v = p.nextToken();
        int bit = switch (field) {
          case "id" -> {
            id = text(v, false, MAX_TEXT);
            yield 1;
          }
          case "email" -> {
            email = text(v, false, MAX_TEXT);
            yield 2;
          }
          case "name" -> {
            name = text(v, false, MAX_TEXT);
            yield 4;
          }
          default -> {
            p.skipChildren();
            yield 0;
          }
        };
        unusual |= (seen & bit) != 0;
        seen |= bit;
      }
      // As fromCreate: a user with no field at all is no user.
      return id == null && email == null && name == null ? null : new User(id, email, name);
    }

    private Policy policy(JsonToken value) throws IOException {
      if (value == JsonToken.VALUE_NULL) {
        return null;
      }
      if (value != JsonToken.START_OBJECT) {
        unusual = true;
        return null;
      }
      String id = null;
      boolean isDefault = false;
      boolean deleted = false;
      String name = null;
      Instant updated = now;
      int seen = 0;
      String field;
      while (!unusual && (field = p.nextFieldName()) != null) {
        JsonToken v = p.nextToken();
        int bit = switch (field) {
          case "id" -> {
            id = text(v, true, MAX_TEXT);
            yield 1;
          }
          case "default" -> {
            isDefault = bool(v);
            yield 2;
          }
          case "deleted" -> {
            deleted = bool(v);
            yield 4;
          }
          case "name" -> {
            name = text(v, false, MAX_TEXT);
            yield 8;
          }
          case "updated_at" -> {
            updated = time(v, now);
            yield 16;
          }
          default -> {
            p.skipChildren();
            yield 0;
          }
        };
        unusual |= (seen & bit) != 0;
        seen |= bit;
      }
      unusual |= id == null;
      return new Policy(id, isDefault, deleted, name, updated);
    }

    /** A string within {@code max}, non-empty if required, storable (no NUL, no lone surrogate); else unusual. */
    private String text(JsonToken v, boolean required, int max) throws IOException {
      if (v == JsonToken.VALUE_NULL && !required) {
        return null;
      }
      if (v != JsonToken.VALUE_STRING) {
        unusual = true;
        return null;
      }
      String s = p.getText();
      if (s.length() > max || (required && s.isEmpty())) {
        unusual = true;
        return null;
      }
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == 0) {
          unusual = true;
          return null;
        }
        if (Character.isSurrogate(c)) {
          if (!Character.isHighSurrogate(c) || i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
            unusual = true;
            return null;
          }
          i++;
        }
      }
      return s;
    }

    private String oneOf(JsonToken v, java.util.Set<String> allowed) throws IOException {
      if (v == JsonToken.VALUE_NULL) {
        return null;
      }
      String s = v == JsonToken.VALUE_STRING ? p.getText() : null;
      if (s == null || !allowed.contains(s)) {
        unusual = true;
        return null;
      }
      return s;
    }

    private boolean bool(JsonToken v) {
      if (v == JsonToken.VALUE_TRUE) {
        return true;
      }
      unusual |= v != JsonToken.VALUE_FALSE && v != JsonToken.VALUE_NULL;
      return false;
    }

    private RegistrationType type(JsonToken v) throws IOException {
      if (v == JsonToken.VALUE_NULL) {
        return RegistrationType.WARP;
      }
      RegistrationType t = v == JsonToken.VALUE_STRING ? RegistrationType.fromWire(p.getText()) : null;
      unusual |= t == null;
      return t;
    }

    private Instant time(JsonToken v, Instant dflt) throws IOException {
      if (v == JsonToken.VALUE_NULL) {
        return dflt;
      }
      if (v != JsonToken.VALUE_STRING) {
        unusual = true;
        return null;
      }
      Instant t = Timestamps.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
      if (t == null || t.isBefore(MIN_TIME) || !t.isBefore(MAX_TIME)) {
        unusual = true;
        return null;
      }
      return Timestamps.truncate(t);
    }
  }
}
