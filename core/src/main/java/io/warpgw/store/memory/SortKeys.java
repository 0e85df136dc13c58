package io.warpgw.store.memory;

import io.warpgw.model.Registration;
import io.warpgw.model.SortField;
import io.warpgw.model.Timestamps;

/**
 * Sorts registrations into an index's order ({@link IndexOrder}) for a bulk load, fast: each string
 * is turned once into a key whose {@link String#compareTo} (a vectorised JDK intrinsic) gives code-point
 * order, instead of comparing code point by code point on each of the n log n comparisons.
 */
final class SortKeys {
  private SortKeys() {}

  /**
   * The sort columns of one index, one array each (structure of arrays): a value and an id as
   * code-point keys, each with its first eight UTF-16 units packed into two longs. Most comparisons are
   * settled by the longs without following pointers to strings, and sorting a permutation of ints
   * leaves no per-registration garbage behind: with millions of registrations, cache misses and the
   * collector's copying cost more than the comparisons.
   */
  private static final class Columns {
    final long[] k1;
    final long[] k2;
    final String[] key;
    final Ids ids;

    Columns(int n, Ids ids) {
      this.k1 = new long[n];
      this.k2 = new long[n];
      this.key = new String[n];
      this.ids = ids;
    }

    /** Nulls last, then the value, then the id: {@link IndexOrder}. */
    int compare(int a, int b) {
      String ka = key[a];
      String kb = key[b];
      if (ka != kb && (ka == null || kb == null)) {
        return ka == null ? 1 : -1;
      }
      int c = Long.compareUnsigned(k1[a], k1[b]);
      if (c == 0) {
        c = Long.compareUnsigned(k2[a], k2[b]);
        if (c == 0 && ka != kb) {
          c = ka.compareTo(kb);
        }
      }
      return c != 0 ? c : ids.compare(a, b);
    }
  }

  /** The ids' columns, shared by the five sorts. */
  private static final class Ids {
    final long[] i1;
    final long[] i2;
    final String[] id;

    Ids(Registration[] rs) {
      int n = rs.length;
      i1 = new long[n];
      i2 = new long[n];
      id = new String[n];
      for (int i = 0; i < n; i++) {
        String key = codePointKey(rs[i].id());
        id[i] = key;
        i1[i] = units(key, 0);
        i2[i] = units(key, 4);
      }
    }

    int compare(int a, int b) {
      int c = Long.compareUnsigned(i1[a], i1[b]);
      if (c == 0) {
        c = Long.compareUnsigned(i2[a], i2[b]);
        if (c == 0) {
          c = id[a].compareTo(id[b]);
        }
      }
      return c;
    }
  }

  /** What the five sorts of one load share; build once, then {@link #sort} each field. */
  static Object prepare(Registration[] registrations) {
    return new Ids(registrations);
  }

  static Registration[] sort(SortField field, Registration[] registrations) {
    return sort(field, registrations, prepare(registrations));
  }

  static Registration[] sort(SortField field, Registration[] registrations, Object prepared) {
    int n = registrations.length;
    Columns cols = new Columns(n, (Ids) prepared);
    for (int i = 0; i < n; i++) {
      Registration r = registrations[i];
      switch (field) {
        case ID -> cols.key[i] = "";
        // Signed micros made unsigned-comparable by flipping the sign bit.
        case CREATED_AT -> {
          cols.key[i] = "";
          cols.k1[i] = Timestamps.micros(r.createdAt()) ^ Long.MIN_VALUE;
        }
        case LAST_SEEN_AT -> {
          cols.key[i] = "";
          cols.k1[i] = Timestamps.micros(r.lastSeenAt()) ^ Long.MIN_VALUE;
        }
        case USER_NAME, USER_EMAIL -> {
          String value = field == SortField.USER_NAME ? r.userName() : r.userEmail();
          if (value != null) {
            String key = codePointKey(value);
            cols.key[i] = key;
            cols.k1[i] = units(key, 0);
            cols.k2[i] = units(key, 4);
          }
        }
      }
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    mergeSort(order, new int[n], 0, n, cols);
    Registration[] out = new Registration[n];
    for (int i = 0; i < n; i++) {
      out[i] = registrations[order[i]];
    }
    return out;
  }

  /** Sorts {@code a[from, to)} by {@code cols}, using {@code tmp} (same length) as scratch. */
  private static void mergeSort(int[] a, int[] tmp, int from, int to, Columns cols) {
    if (to - from <= 24) {
      for (int i = from + 1; i < to; i++) {
        int x = a[i];
        int j = i - 1;
        while (j >= from && cols.compare(a[j], x) > 0) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = x;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(a, tmp, from, mid, cols);
    mergeSort(a, tmp, mid, to, cols);
    if (cols.compare(a[mid - 1], a[mid]) <= 0) {
      return;
    }
    System.arraycopy(a, from, tmp, from, to - from);
    int i = from;
    int j = mid;
    for (int k = from; k < to; k++) {
      if (j >= to || (i < mid && cols.compare(tmp[i], tmp[j]) <= 0)) {
        a[k] = tmp[i++];
      } else {
        a[k] = tmp[j++];
      }
    }
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

  /**
   * {@code s} itself when it has no unit at or above U+D800 (almost always); otherwise a copy where
   * surrogates move above U+E000..U+FFFF, so that UTF-16 order of the copies is code-point order of
   * the originals (as in {@link io.warpgw.model.CodePoints}).
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
