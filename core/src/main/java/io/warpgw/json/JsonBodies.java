package io.warpgw.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.vertx.core.buffer.Buffer;
import io.warpgw.model.Policy;
import io.warpgw.model.Registration;
import io.warpgw.model.Timestamps;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
    return write(ONE_SIZE, g -> {
      open(g);
      g.writeFieldName(RESULT);
      registration(g, r, includePolicy);
      g.writeEndObject();
    });
  }

  public static Buffer page(List<Registration> items, boolean includePolicy, int perPage, String cursor) {
    if (items instanceof StoredItems stored) {
      return page(stored, includePolicy, perPage, cursor);
    }
    return write(ONE_SIZE + items.size() * ITEM_SIZE, g -> {
      open(g);
      g.writeFieldName(RESULT);
      g.writeStartArray();
      for (Registration r : items) {
        registration(g, r, includePolicy);
      }
      g.writeEndArray();
      g.writeFieldName(RESULT_INFO);
      g.writeStartObject();
      g.writeFieldName(COUNT);
      g.writeNumber(items.size());
      g.writeFieldName(PER_PAGE);
      g.writeNumber(perPage);
      g.writeFieldName(CURSOR);
      g.writeString(cursor);
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  private static final byte[] PAGE_START =
      "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":[".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] COUNT_FIELD = "],\"result_info\":{\"count\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PER_PAGE_FIELD = ",\"per_page\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CURSOR_FIELD = ",\"cursor\":".getBytes(StandardCharsets.US_ASCII);

  /**
   * The same bytes as the generator writes for these items, each copied from its stored bytes where
   * {@link StoredCopy} can, else decoded and written by the generator.
   */
  private static Buffer page(StoredItems items, boolean includePolicy, int perPage, String cursor) {
    Buffer out = Buffer.buffer(ONE_SIZE + items.size() * ITEM_SIZE);
    out.appendBytes(PAGE_START);
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.appendByte((byte) ',');
      }
      if (!items.copy(i, includePolicy, out)) {
        Registration r = items.get(i);
        out.appendBuffer(write(ITEM_SIZE, g -> registration(g, r, includePolicy)));
      }
    }
    out.appendBytes(COUNT_FIELD).appendString(Integer.toString(items.size()))
        .appendBytes(PER_PAGE_FIELD).appendString(Integer.toString(perPage))
        .appendBytes(CURSOR_FIELD)
        .appendBuffer(write(64, g -> g.writeString(cursor)))
        .appendString("}}");
    return out;
  }

  /** Typical sizes (a registration is ~560 bytes): one allocation for most bodies, no copy at the end. */
  private static final int ONE_SIZE = 1024;
  private static final int ITEM_SIZE = 640;

  private interface Body {
    void writeTo(BodyWriter g) throws IOException;
  }

  /**
   * Streams the body into the Buffer the response sends (the generator's own 8 KB buffer, recycled
   * per thread, is copied into it once per flush) rather than into a byte array copied twice.
   */
  private static Buffer write(int sizeHint, Body body) {
    Buffer out = Buffer.buffer(sizeHint);
    try (JsonGenerator g = FACTORY.createGenerator(new BufferOutput(out), JsonEncoding.UTF8)) {
      body.writeTo(new BodyWriter(g));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** An OutputStream over a Vert.x Buffer. */
  private static final class BufferOutput extends OutputStream {
    private final Buffer out;

    BufferOutput(Buffer out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      out.appendByte((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      out.appendBytes(b, off, len);
    }
  }

  /**
   * The generator of one body with a scratch array for timestamps, which are written from it
   * without a String each (a page has ~200).
   */
  private record BodyWriter(JsonGenerator g, char[] scratch) {
    BodyWriter(JsonGenerator g) {
      this(g, new char[Timestamps.MAX_TEXT]);
    }

    void time(SerializableString name, Instant t) throws IOException {
      g.writeFieldName(name);
      if (t == null) {
        g.writeNull();
      } else {
        g.writeString(scratch, 0, Timestamps.format(t, scratch));
      }
    }

    void text(SerializableString name, String value) throws IOException {
      g.writeFieldName(name);
      if (value == null) {
        g.writeNull();
      } else {
        g.writeString(value);
      }
    }

    void writeFieldName(SerializableString name) throws IOException {
      g.writeFieldName(name);
    }

    void writeStartObject() throws IOException {
      g.writeStartObject();
    }

    void writeEndObject() throws IOException {
      g.writeEndObject();
    }

    void writeStartArray() throws IOException {
      g.writeStartArray();
    }

    void writeEndArray() throws IOException {
      g.writeEndArray();
    }

    void writeNumber(int n) throws IOException {
      g.writeNumber(n);
    }

    void writeString(String s) throws IOException {
      g.writeString(s);
    }

    void writeBoolean(boolean b) throws IOException {
      g.writeBoolean(b);
    }

    void writeNull() throws IOException {
      g.writeNull();
    }
  }

  // Field names quoted and encoded once: the generator copies their bytes instead of escaping them.
  private static final SerializableString SUCCESS = name("success");
  private static final SerializableString ERRORS = name("errors");
  private static final SerializableString MESSAGES = name("messages");
  private static final SerializableString RESULT = name("result");
  private static final SerializableString RESULT_INFO = name("result_info");
  private static final SerializableString COUNT = name("count");
  private static final SerializableString PER_PAGE = name("per_page");
  private static final SerializableString CURSOR = name("cursor");
  private static final SerializableString ID = name("id");
  private static final SerializableString CREATED_AT = name("created_at");
  private static final SerializableString UPDATED_AT = name("updated_at");
  private static final SerializableString LAST_SEEN_AT = name("last_seen_at");
  private static final SerializableString DEVICE = name("device");
  private static final SerializableString NAME = name("name");
  private static final SerializableString CLIENT_VERSION = name("client_version");
  private static final SerializableString KEY = name("key");
  private static final SerializableString KEY_TYPE = name("key_type");
  private static final SerializableString TUNNEL_TYPE = name("tunnel_type");
  private static final SerializableString USER = name("user");
  private static final SerializableString EMAIL = name("email");
  private static final SerializableString POLICY = name("policy");
  private static final SerializableString DEFAULT = name("default");
  private static final SerializableString DELETED = name("deleted");
  private static final SerializableString REVOKED_AT = name("revoked_at");
  private static final SerializableString DELETED_AT = name("deleted_at");
  private static final SerializableString REGISTRATION_TYPE = name("registration_type");

  private static SerializableString name(String name) {
    SerializedString s = new SerializedString(name);
    s.asQuotedUTF8(); // computes and caches the bytes now, not on the first request
    return s;
  }

  private static void open(BodyWriter g) throws IOException {
    g.writeStartObject();
    g.writeFieldName(SUCCESS);
    g.writeBoolean(true);
    g.writeFieldName(ERRORS);
    g.writeStartArray();
    g.writeEndArray();
    g.writeFieldName(MESSAGES);
    g.writeStartArray();
    g.writeEndArray();
  }

  private static void registration(BodyWriter g, Registration r, boolean includePolicy) throws IOException {
    g.writeStartObject();
    g.text(ID, r.id());
    g.time(CREATED_AT, r.createdAt());
    g.time(UPDATED_AT, r.updatedAt());
    g.time(LAST_SEEN_AT, r.lastSeenAt());
    g.writeFieldName(DEVICE);
    g.writeStartObject();
    g.text(ID, r.device().id());
    g.text(NAME, r.device().name());
    g.text(CLIENT_VERSION, r.device().clientVersion());
    g.writeEndObject();
    g.text(KEY, r.key());
    g.text(KEY_TYPE, r.keyType());
    g.text(TUNNEL_TYPE, r.tunnelType());
    if (r.user() != null) {
      g.writeFieldName(USER);
      g.writeStartObject();
      g.text(ID, r.user().id());
      g.text(EMAIL, r.user().email());
      g.text(NAME, r.user().name());
      g.writeEndObject();
    }
    if (includePolicy && r.policy() != null) {
      Policy p = r.policy();
      g.writeFieldName(POLICY);
      g.writeStartObject();
      g.text(ID, p.id());
      g.writeFieldName(DEFAULT);
      g.writeBoolean(p.isDefault());
      g.writeFieldName(DELETED);
      g.writeBoolean(p.deleted());
      g.text(NAME, p.name());
      g.time(UPDATED_AT, p.updatedAt());
      g.writeEndObject();
    }
    g.time(REVOKED_AT, r.revokedAt());
    g.writeFieldName(DELETED_AT);
    g.writeNull();
    g.text(REGISTRATION_TYPE, r.registrationType().wire());
    g.writeEndObject();
  }
}
