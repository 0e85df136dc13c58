package io.warpgw.json;

import io.vertx.core.buffer.Buffer;
import io.warpgw.model.Timestamps;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes a stored registration into a response straight from its stored bytes, when they are exactly
 * what {@link RegistrationJson#toJson} wrote (with the policy, without {@code updated_at},
 * {@code revoked_at} and {@code deleted_at}) and encoded: then reading them into a registration and
 * writing that with {@link JsonBodies} gives the same bytes, field for field, so the page copies them
 * instead (decoding and re-encoding were most of the gateway's CPU per Redis list page).
 *
 * <p>Only that one form is copied: its fields in toJson's order, no whitespace, strings without any
 * escape and in well-formed UTF-8, times as {@link Timestamps#format} writes them, values of the
 * types toJson writes. Anything else (an escaped character, a time with an offset, an unknown field,
 * a field out of order) makes {@link #copy} return false without writing, and the caller decodes the
 * record as before.
 */
final class StoredCopy {
  private static final byte[] ID = ascii("{\"id\":");
  private static final byte[] CREATED_AT = ascii(",\"created_at\":");
  private static final byte[] LAST_SEEN_AT = ascii(",\"last_seen_at\":");
  private static final byte[] DEVICE_ID = ascii(",\"device\":{\"id\":");
  private static final byte[] NAME = ascii(",\"name\":");
  private static final byte[] CLIENT_VERSION = ascii(",\"client_version\":");
  private static final byte[] KEY = ascii("},\"key\":");
  private static final byte[] KEY_TYPE = ascii(",\"key_type\":");
  private static final byte[] TUNNEL_TYPE = ascii(",\"tunnel_type\":");
  private static final byte[] USER_ID = ascii(",\"user\":{\"id\":");
  private static final byte[] EMAIL = ascii(",\"email\":");
  private static final byte[] POLICY_ID = ascii(",\"policy\":{\"id\":");
  private static final byte[] DEFAULT = ascii(",\"default\":");
  private static final byte[] DELETED = ascii(",\"deleted\":");
  private static final byte[] POLICY_UPDATED_AT = ascii(",\"updated_at\":");
  private static final byte[] REGISTRATION_TYPE = ascii(",\"registration_type\":");
  private static final byte[] WARP = ascii("\"warp\"}");
  private static final byte[] BROWSER_EXTENSION = ascii("\"browser_extension\"}");
  private static final byte[] NULL = ascii("null");
  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");
  private static final byte[] UPDATED_AT_OUT = ascii(",\"updated_at\":\"");
  private static final byte[] REVOKED_AT_OUT = ascii(",\"revoked_at\":");
  private static final byte[] DELETED_AT_OUT = ascii(",\"deleted_at\":null");

  private final byte[] b;
  private int p;

  private StoredCopy(byte[] b, int p) {
    this.b = b;
    this.p = p;
  }

  /**
   * Appends to {@code out} the registration whose JSON is {@code b[off, off + len)}, with the
   * {@code updated_at} and {@code revoked_at} texts at the given places of {@code b} ({@code revoked}
   * empty when not revoked), as {@link JsonBodies} would write it; returns false and appends nothing
   * when the stored bytes are not in the one form copied.
   */
  static boolean copy(byte[] b, int off, int len, int updatedOff, int updatedLen, int revokedOff,
      int revokedLen, boolean includePolicy, Buffer out) {
    if (!Timestamps.isFormatted(b, updatedOff, updatedLen)
        || (revokedLen != 0 && !Timestamps.isFormatted(b, revokedOff, revokedLen))) {
      return false;
    }
    StoredCopy s = new StoredCopy(b, off);
    int end = off + len;
    // {"id":..,"created_at":.. | ,"last_seen_at":..,"device":{..},"key":..,..,"tunnel_type":..
    // [,"user":{..}] | [,"policy":{..}] | ,"registration_type":..}
    if (!s.literal(ID, end) || !s.string(end, false) || !s.literal(CREATED_AT, end) || !s.time(end, false)) {
      return false;
    }
    int afterCreated = s.p;
    if (!s.literal(LAST_SEEN_AT, end) || !s.time(end, false)
        || !s.literal(DEVICE_ID, end) || !s.string(end, false) || !s.nonEmptyBefore()
        || !s.literal(NAME, end) || !s.string(end, false) || !s.nonEmptyBefore()
        || !s.literal(CLIENT_VERSION, end) || !s.string(end, true)
        || !s.literal(KEY, end) || !s.string(end, false) || !s.nonEmptyBefore()
        || !s.literal(KEY_TYPE, end) || !s.string(end, true)
        || !s.literal(TUNNEL_TYPE, end) || !s.string(end, true)) {
      return false;
    }
    if (s.literal(USER_ID, end)) {
      // toJson writes no user rather than one without any field; such a record is read as having none
      boolean idNull = s.p < end && b[s.p] == 'n';
      if (!s.string(end, true) || !s.literal(EMAIL, end)) {
        return false;
      }
      boolean emailNull = s.p < end && b[s.p] == 'n';
      if (!s.string(end, true) || !s.literal(NAME, end)) {
        return false;
      }
      boolean nameNull = s.p < end && b[s.p] == 'n';
      if (!s.string(end, true) || !s.close(end) || (idNull && emailNull && nameNull)) {
        return false;
      }
    }
    int policyFrom = s.p;
    if (s.literal(POLICY_ID, end)) {
      if (!s.string(end, false) || !s.nonEmptyBefore()
          || !s.literal(DEFAULT, end) || !s.bool(end) || !s.literal(DELETED, end) || !s.bool(end)
          || !s.literal(NAME, end) || !s.string(end, true)
          || !s.literal(POLICY_UPDATED_AT, end) || !s.time(end, true) || !s.close(end)) {
        return false;
      }
    }
    int policyTo = s.p;
    if (!s.literal(REGISTRATION_TYPE, end)
        || !(s.literal(WARP, end) || s.literal(BROWSER_EXTENSION, end)) || s.p != end) {
      return false;
    }
    out.appendBytes(b, off, afterCreated - off)
        .appendBytes(UPDATED_AT_OUT).appendBytes(b, updatedOff, updatedLen).appendByte((byte) '"')
        .appendBytes(b, afterCreated, policyFrom - afterCreated);
    if (includePolicy) {
      out.appendBytes(b, policyFrom, policyTo - policyFrom);
    }
    out.appendBytes(REVOKED_AT_OUT);
    if (revokedLen == 0) {
      out.appendBytes(NULL);
    } else {
      out.appendByte((byte) '"').appendBytes(b, revokedOff, revokedLen).appendByte((byte) '"');
    }
    out.appendBytes(DELETED_AT_OUT).appendBytes(b, policyTo, end - policyTo);
    return true;
  }

  /** Steps over {@code text} if the bytes at the position are exactly it. */
  private boolean literal(byte[] text, int end) {
    if (end - p < text.length) {
      return false;
    }
    for (int i = 0; i < text.length; i++) {
      if (b[p + i] != text[i]) {
        return false;
      }
    }
    p += text.length;
    return true;
  }

  private boolean close(int end) {
    if (p < end && b[p] == '}') {
      p++;
      return true;
    }
    return false;
  }

  private boolean bool(int end) {
    return literal(TRUE, end) || literal(FALSE, end);
  }

  /** True when the string just stepped over is not {@code ""}. */
  private boolean nonEmptyBefore() {
    return b[p - 2] != '"';
  }

  /**
   * Steps over a string without escapes or control characters, in well-formed UTF-8 (so reading and
   * writing it again changes no byte), or over {@code null} when allowed.
   */
  private boolean string(int end, boolean nullable) {
    if (nullable && literal(NULL, end)) {
      return true;
    }
    if (p >= end || b[p] != '"') {
      return false;
    }
    int i = p + 1;
    while (i < end) {
      // Eight plain bytes at a time: printable ASCII other than '"' and '\\'.
      while (i + 8 <= end && plain((long) LONGS.get(b, i))) {
        i += 8;
      }
      if (i >= end) {
        break;
      }
      int c = b[i] & 0xff;
      if (c == '"') {
        p = i + 1;
        return true;
      }
      if (c == '\\' || c < 0x20) {
        return false;
      }
      if (c < 0x80) {
        i++;
      } else {
        i = utf8(i, c, end);
        if (i < 0) {
          return false;
        }
      }
    }
    return false;
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /** True when none of the eight bytes is below 0x20, at or above 0x80, '"' or '\\'. */
  private static boolean plain(long x) {
    long quote = x ^ (ONES * '"');
    long backslash = x ^ (ONES * '\\');
    long special = ((x - ONES * 0x20) & ~x) | ((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | x;
    return (special & HIGHS) == 0;
  }

  /** The index after the well-formed UTF-8 sequence starting at {@code i} with lead byte {@code c}, or -1. */
  private int utf8(int i, int c, int end) {
    int n;
    int lo = 0x80;
    int hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c == 0xe0) {
        lo = 0xa0;
      } else if (c == 0xed) {
        hi = 0x9f; // no surrogates
      }
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c == 0xf0) {
        lo = 0x90;
      } else if (c == 0xf4) {
        hi = 0x8f;
      }
    } else {
      return -1;
    }
    if (i + n >= end) {
      return -1;
    }
    int second = b[i + 1] & 0xff;
    if (second < lo || second > hi) {
      return -1;
    }
    for (int k = 2; k <= n; k++) {
      int next = b[i + k] & 0xff;
      if (next < 0x80 || next > 0xbf) {
        return -1;
      }
    }
    return i + n + 1;
  }

  /** Steps over a time string as {@link Timestamps#format} writes it, or {@code null} when allowed. */
  private boolean time(int end, boolean nullable) {
    if (nullable && literal(NULL, end)) {
      return true;
    }
    if (p >= end || b[p] != '"') {
      return false;
    }
    int from = p + 1;
    int to = from;
    while (to < end && b[to] != '"') {
      to++;
    }
    if (to >= end || !Timestamps.isFormatted(b, from, to - from)) {
      return false;
    }
    p = to + 1;
    return true;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
