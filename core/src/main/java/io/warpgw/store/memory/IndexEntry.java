package io.warpgw.store.memory;

import io.warpgw.model.Position;
import io.warpgw.model.Registration;
import io.warpgw.model.SortField;
import io.warpgw.model.Timestamps;
import java.util.Comparator;

/**
 * A registration's place in one sort index: the sort value and the id as code-point keys, with their
 * first units packed into longs. The order is {@link IndexOrder}'s (value with nulls last, then id, in
 * code points), but most comparisons are settled by the longs inside this object: walking a tree of a
 * million registrations costs cache misses more than instructions, and comparing registrations
 * themselves follows three or four pointers (registration, user, string, its bytes) on each step.
 */
final class IndexEntry {
  /** The order of every index; {@link #key} is "" for the time and id indexes. */
  static final Comparator<IndexEntry> ORDER = IndexEntry::compare;

  private final long k1;
  private final long k2;
  /** The value's code-point key; null for a missing name or email (sorted last). */
  private final String key;
  private final long i1;
  private final String id;
  final Registration registration;

  private IndexEntry(long k1, long k2, String key, long i1, String id, Registration registration) {
    this.k1 = k1;
    this.k2 = k2;
    this.key = key;
    this.i1 = i1;
    this.id = id;
    this.registration = registration;
  }

  /** @param id the registration id's {@link #codePointKey} */
  static IndexEntry of(SortField field, Registration r, String id) {
    return switch (field) {
      case ID -> new IndexEntry(0, 0, "", units(id, 0), id, r);
      case CREATED_AT -> time(Timestamps.micros(r.createdAt()), id, r);
      case LAST_SEEN_AT -> time(Timestamps.micros(r.lastSeenAt()), id, r);
      case USER_NAME -> text(r.userName(), id, r);
      case USER_EMAIL -> text(r.userEmail(), id, r);
    };
  }

  /** Where a page that ended at {@code p} resumes; matches no registration's entry but its own. */
  static IndexEntry probe(SortField field, Position p) {
    String id = codePointKey(p.id());
    return switch (field) {
      case ID -> new IndexEntry(0, 0, "", units(id, 0), id, null);
      case CREATED_AT, LAST_SEEN_AT -> time(p.micros(), id, null);
      case USER_NAME, USER_EMAIL -> text(p.key(), id, null);
    };
  }

  private static IndexEntry time(long micros, String id, Registration r) {
    // The sign bit flipped: signed order as unsigned, like the packed strings.
    return new IndexEntry(micros ^ Long.MIN_VALUE, 0, "", units(id, 0), id, r);
  }

  private static IndexEntry text(String value, String id, Registration r) {
    if (value == null) {
      return new IndexEntry(0, 0, null, units(id, 0), id, r);
    }
    String key = codePointKey(value);
    return new IndexEntry(units(key, 0), units(key, 4), key, units(id, 0), id, r);
  }

  private static int compare(IndexEntry a, IndexEntry b) {
    String ka = a.key;
    String kb = b.key;
    if (ka != kb && (ka == null || kb == null)) {
      return ka == null ? 1 : -1;
    }
    int c = Long.compareUnsigned(a.k1, b.k1);
    if (c == 0) {
      c = Long.compareUnsigned(a.k2, b.k2);
      if (c == 0 && ka != kb) {
        c = ka.compareTo(kb);
      }
    }
    if (c != 0) {
      return c;
    }
    c = Long.compareUnsigned(a.i1, b.i1);
    return c != 0 || a.id == b.id ? c : a.id.compareTo(b.id);
  }

  /**
   * {@code s} itself when it has no unit at or above U+D800 (almost always); otherwise a copy where
   * surrogates move above U+E000..U+FFFF, so that {@link String#compareTo} (UTF-16 order, a JDK
   * intrinsic) of the copies is code-point order of the originals, as in
   * {@link io.warpgw.model.CodePoints}.
   */
  static String codePointKey(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) < 0xD800) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    char[] chars = s.toCharArray();
    for (; i < chars.length; i++) {
      char c = chars[i];
      if (c >= 0xD800) {
        chars[i] = (char) (c >= 0xE000 ? c - 0x800 : c + 0x2000);
      }
    }
    return new String(chars);
  }

  /**
   * Units {@code from} to {@code from + 3} of {@code s}, 16 bits each, high first, 0 past the end: as
   * unsigned longs these order like the strings do up to those units (a unit 0 inside a string ties
   * with the end, and the full comparison then decides).
   */
  private static long units(String s, int from) {
    long packed = 0;
    for (int i = from; i < from + 4; i++) {
      packed = (packed << 16) | (i < s.length() ? s.charAt(i) : 0);
    }
    return packed;
  }
}
