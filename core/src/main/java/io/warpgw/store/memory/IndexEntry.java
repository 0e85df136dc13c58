package io.warpgw.store.memory;

import io.warpgw.model.Position;
import io.warpgw.model.Registration;
import io.warpgw.model.SortField;
import io.warpgw.model.Timestamps;
import java.util.Comparator;

/**
 * A registration's place in one sort index. The order is {@link IndexOrder}'s (value with nulls last,
 * then id, in code points), but nearly every comparison is settled by two longs, {@link #prime} and
 * {@link #second}: the first 16 bytes of an order-preserving byte string of the value and then the id.
 * {@link SortIndex} keeps them in arrays beside the entries, so a search of a million entries reads
 * longs that sit together in memory and looks at an entry (and its strings) only on a tie.
 */
final class IndexEntry {
  /** The order of every index. */
  static final Comparator<IndexEntry> ORDER = IndexEntry::compare;

  /**
   * Bytes 0 to 7 and 8 to 15 of the entry's key as unsigned longs: the time (sign bit flipped) then the
   * id's {@link #bytes}, or the value's bytes, a 0, then the id's; all ones for a missing value, which
   * sorts last. Where they differ they order entries as {@link #ORDER} does.
   */
  final long prime;
  final long second;
  /** The value's code-point key; "" in the time and id indexes; null for a missing name or email. */
  private final String key;
  private final String id;
  final Registration registration;

  private IndexEntry(long prime, long second, String key, String id, Registration registration) {
    this.prime = prime;
    this.second = second;
    this.key = key;
    this.id = id;
    this.registration = registration;
  }

  /** @param id the registration id's {@link #codePointKey} */
  static IndexEntry of(SortField field, Registration r, String id) {
    return switch (field) {
      case ID -> byId(id, r);
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
      case ID -> byId(id, null);
      case CREATED_AT, LAST_SEEN_AT -> time(p.micros(), id, null);
      case USER_NAME, USER_EMAIL -> text(p.key(), id, null);
    };
  }

  private static IndexEntry byId(String id, Registration r) {
    Bytes b = new Bytes().string(id);
    return new IndexEntry(b.high, b.low, "", id, r);
  }

  private static IndexEntry time(long micros, String id, Registration r) {
    // The sign bit flipped: signed order as unsigned, like the bytes.
    return new IndexEntry(micros ^ Long.MIN_VALUE, new Bytes().string(id).high, "", id, r);
  }

  private static IndexEntry text(String value, String id, Registration r) {
    if (value == null) {
      return new IndexEntry(-1L, -1L, null, id, r);
    }
    String key = codePointKey(value);
    Bytes b = new Bytes().string(key).zero().string(id);
    return new IndexEntry(b.high, b.low, key, id, r);
  }

  private static int compare(IndexEntry a, IndexEntry b) {
    int c = Long.compareUnsigned(a.prime, b.prime);
    if (c == 0) {
      c = Long.compareUnsigned(a.second, b.second);
    }
    if (c != 0) {
      return c;
    }
    String ka = a.key;
    String kb = b.key;
    if (ka != kb) {
      if (ka == null || kb == null) {
        return ka == null ? 1 : -1;
      }
      c = ka.compareTo(kb);
      if (c != 0) {
        return c;
      }
    }
    return a.id == b.id ? 0 : a.id.compareTo(b.id);
  }

  /**
   * The first 16 bytes of an order-preserving encoding of code-point keys: a unit below U+00FE is one
   * byte, the unit plus one (so that the 0 that ends a value sorts before every unit); any other is
   * 0xFF and its two bytes. Comparing two encodings byte by byte orders the keys as
   * {@link String#compareTo} does, so comparing their first 16 bytes does too wherever those differ.
   */
  private static final class Bytes {
    long high;
    long low;
    private int n;

    Bytes string(String s) {
      for (int i = 0; i < s.length() && n < 16; i++) {
        char c = s.charAt(i);
        if (c < 0xFE) {
          put(c + 1);
        } else {
          put(0xFF);
          put(c >>> 8);
          put(c & 0xFF);
        }
      }
      return this;
    }

    Bytes zero() {
      put(0);
      return this;
    }

    private void put(int b) {
      if (n < 8) {
        high |= (long) b << (56 - 8 * n);
      } else if (n < 16) {
        low |= (long) b << (56 - 8 * (n - 8));
      }
      n++;
    }
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
}
