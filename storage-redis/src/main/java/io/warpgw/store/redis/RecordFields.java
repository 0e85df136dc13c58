package io.warpgw.store.redis;

import io.warpgw.json.StoredItems;
import io.warpgw.json.StoredRegistrations;
import io.warpgw.model.Registration;
import io.warpgw.model.SearchText;
import io.warpgw.model.Timestamps;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How one registration is stored: one string value, its fields in {@link #ORDER} joined by NUL (no
 * stored text contains NUL, RegistrationJson rejects it). A plain string costs Redis about half of
 * what a hash of the same fields does, and is written with one SET.
 *
 * <p>{@code updated_at} and {@code revoked_at} live outside the JSON because the revoke scripts
 * change them and scripts should not rewrite JSON; every other field the scripts need (index keys,
 * filter values, search text) is precomputed here, so Lua never parses JSON nor folds case. An
 * absent value is empty; no present value is: the user id, which may be empty, is stored after a
 * {@code =}.
 */
final class RecordFields {
  static final String JSON = "j";
  static final String UPDATED = "up";
  static final String REVOKED = "rv";
  static final String SEARCH = "s";
  static final String TYPE = "t";
  static final String CREATED = "c";
  static final String LAST_SEEN = "l";
  static final String USER_NAME = "n";
  static final String USER_EMAIL = "e";
  static final String DEVICE = "d";
  static final String USER = "u";
  static final String POLICY = "p";

  static final List<String> ORDER = List.of(
      JSON, UPDATED, REVOKED, SEARCH, TYPE, CREATED, LAST_SEEN, USER_NAME, USER_EMAIL, DEVICE, USER, POLICY);
  static final char SEPARATOR = '\0';
  static final String USER_MARK = "=";

  /** Stands for an absent script argument (filters, compare-and-set values). */
  static final String ABSENT = "\0";

  private RecordFields() {}

  static String pack(Registration r) {
    return pack(r, SortKeys.time(r.createdAt()), SortKeys.time(r.lastSeenAt()),
        SortKeys.text(r.userName()), SortKeys.text(r.userEmail()));
  }

  /** As {@link #pack(Registration)}, reusing sort keys the caller has already computed. */
  static String pack(Registration r, String created, String lastSeen, String userName, String userEmail) {
    StringBuilder sb = new StringBuilder(768);
    sb.append(StoredRegistrations.json(r)).append(SEPARATOR)
        .append(Timestamps.format(r.updatedAt())).append(SEPARATOR)
        .append(r.revokedAt() == null ? "" : Timestamps.format(r.revokedAt())).append(SEPARATOR)
        .append(SearchText.of(r)).append(SEPARATOR)
        .append(r.registrationType().wire()).append(SEPARATOR)
        .append(created).append(SEPARATOR)
        .append(lastSeen).append(SEPARATOR)
        .append(userName).append(SEPARATOR)
        .append(userEmail).append(SEPARATOR)
        .append(r.device().id()).append(SEPARATOR)
        .append(r.userId() == null ? "" : USER_MARK + r.userId()).append(SEPARATOR)
        .append(r.policy() == null ? "" : r.policy().id());
    return sb.toString();
  }

  /** Rebuilds a registration from its stored value. */
  static Registration unpack(String packed) {
    return unpack(packed.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Rebuilds a registration from its stored value as Redis sent it: read from the bytes (the JSON
   * with {@link StoredRegistrations}, the two times by hand), never decoded into a String first.
   */
  static Registration unpack(byte[] packed) {
    int a = indexOf(packed, 0);
    int b = indexOf(packed, a + 1);
    int c = indexOf(packed, b + 1);
    check(a, b, c);
    return StoredRegistrations.read(packed, 0, a, a + 1, b - a - 1, b + 1, c - b - 1);
  }

  /** Adds a stored value as Redis sent it to a list, undecoded (see {@link StoredItems}). */
  static void add(StoredItems.Builder items, byte[] packed) {
    int a = indexOf(packed, 0);
    int b = indexOf(packed, a + 1);
    int c = indexOf(packed, b + 1);
    check(a, b, c);
    items.add(packed, 0, a, a + 1, b - a - 1, b + 1, c - b - 1);
  }

  private static void check(int a, int b, int c) {
    if (a < 0 || b < 0 || c < 0) {
      throw new IllegalStateException("a stored registration has fewer fields than " + ORDER);
    }
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /** The first NUL from {@code from}, or -1; eight bytes at a time (a page looks through ~30 KB). */
  private static int indexOf(byte[] bytes, int from) {
    int i = from;
    while (i + 8 <= bytes.length) {
      long x = (long) LONGS.get(bytes, i);
      long zero = (x - ONES) & ~x & HIGHS;
      if (zero != 0) {
        return i + Long.numberOfTrailingZeros(zero) / 8;
      }
      i += 8;
    }
    for (; i < bytes.length; i++) {
      if (bytes[i] == SEPARATOR) {
        return i;
      }
    }
    return -1;
  }

  static String luaPrelude() {
    StringBuilder sb = new StringBuilder("local ABSENT = '\\0'\nlocal FIELDS = {");
    for (String f : ORDER) {
      sb.append('\'').append(f).append("', ");
    }
    return sb.append("}\n").toString();
  }
}
