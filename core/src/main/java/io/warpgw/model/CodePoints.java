package io.warpgw.model;

import java.util.Comparator;

/**
 * Orders strings by Unicode code point, as PostgreSQL's {@code COLLATE "C"} over UTF-8 and Redis'
 * byte-wise lexicographic ranges do. {@link String#compareTo} compares UTF-16 units instead, which
 * puts supplementary characters (emoji, many CJK extensions) before U+E000..U+FFFF.
 */
public final class CodePoints {
  public static final Comparator<String> ORDER = CodePoints::compare;

  private CodePoints() {}

  public static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        if (x >= 0xD800 && y >= 0xD800) {
          // Surrogates (D800-DFFF) stand for code points above FFFF: move them past E000-FFFF.
          return fixup(x) - fixup(y);
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }

  private static int fixup(char c) {
    return c >= 0xE000 ? c - 0x800 : c + 0x2000;
  }
}
