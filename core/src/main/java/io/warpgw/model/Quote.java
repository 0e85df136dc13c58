package io.warpgw.model;

/** Quotes client input for an error message: shortened, control characters escaped. */
public final class Quote {
  private static final int MAX = 80;

  private Quote() {}

  public static String of(String value) {
    if (value == null) {
      return "nothing";
    }
    StringBuilder sb = new StringBuilder("'");
    int n = Math.min(value.length(), MAX);
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !validPair(value, i)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (value.length() > MAX) {
      sb.append("…(").append(value.length()).append(" characters)");
    }
    return sb.append('\'').toString();
  }

  private static boolean validPair(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
