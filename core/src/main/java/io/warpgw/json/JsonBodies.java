package io.warpgw.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.vertx.core.buffer.Buffer;
import io.warpgw.model.Policy;
import io.warpgw.model.Registration;
import io.warpgw.model.Timestamps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Success envelopes holding registrations, streamed straight to bytes with Jackson's generator: the
 * hot path of get and list, where building a JsonObject tree per item cost more than the store. The
 * bytes are the same as {@link RegistrationJson#toJson} encoded, field for field.
 */
public final class JsonBodies {
  // Characters outside the BMP as raw UTF-8, as Vert.x's own encoder writes them, not as \uD83D\uDE00.
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

  private JsonBodies() {}

  public static Buffer one(Registration r, boolean includePolicy) {
    return write(g -> {
      open(g);
      g.writeFieldName("result");
      registration(g, r, includePolicy);
      g.writeEndObject();
    });
  }

  public static Buffer page(List<Registration> items, boolean includePolicy, int perPage, String cursor) {
    return write(g -> {
      open(g);
      g.writeArrayFieldStart("result");
      for (Registration r : items) {
        registration(g, r, includePolicy);
      }
      g.writeEndArray();
      g.writeObjectFieldStart("result_info");
      g.writeNumberField("count", items.size());
      g.writeNumberField("per_page", perPage);
      g.writeStringField("cursor", cursor);
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  private interface Body {
    void writeTo(JsonGenerator g) throws IOException;
  }

  private static Buffer write(Body body) {
    try (ByteArrayBuilder bytes = new ByteArrayBuilder(2048)) {
      try (JsonGenerator g = FACTORY.createGenerator(bytes, JsonEncoding.UTF8)) {
        body.writeTo(g);
      }
      return Buffer.buffer(bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void open(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeBooleanField("success", true);
    g.writeArrayFieldStart("errors");
    g.writeEndArray();
    g.writeArrayFieldStart("messages");
    g.writeEndArray();
  }

  static void registration(JsonGenerator g, Registration r, boolean includePolicy) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", r.id());
    g.writeStringField("created_at", Timestamps.format(r.createdAt()));
    g.writeStringField("updated_at", Timestamps.format(r.updatedAt()));
    g.writeStringField("last_seen_at", Timestamps.format(r.lastSeenAt()));
    g.writeObjectFieldStart("device");
    g.writeStringField("id", r.device().id());
    g.writeStringField("name", r.device().name());
    g.writeStringField("client_version", r.device().clientVersion());
    g.writeEndObject();
    g.writeStringField("key", r.key());
    g.writeStringField("key_type", r.keyType());
    g.writeStringField("tunnel_type", r.tunnelType());
    if (r.user() != null) {
      g.writeObjectFieldStart("user");
      g.writeStringField("id", r.user().id());
      g.writeStringField("email", r.user().email());
      g.writeStringField("name", r.user().name());
      g.writeEndObject();
    }
    if (includePolicy && r.policy() != null) {
      Policy p = r.policy();
      g.writeObjectFieldStart("policy");
      g.writeStringField("id", p.id());
      g.writeBooleanField("default", p.isDefault());
      g.writeBooleanField("deleted", p.deleted());
      g.writeStringField("name", p.name());
      g.writeStringField("updated_at", Timestamps.format(p.updatedAt()));
      g.writeEndObject();
    }
    g.writeStringField("revoked_at", Timestamps.format(r.revokedAt()));
    g.writeNullField("deleted_at");
    g.writeStringField("registration_type", r.registrationType().wire());
    g.writeEndObject();
  }
}
