package io.warpgw.model;

import io.warpgw.error.GatewayException;

/** Account and registration ids: 1 to 64 characters of {@code [A-Za-z0-9_-]}. */
public final class Identifiers {
  public static final int MAX_LENGTH = 64;

  private Identifiers() {}

  public static boolean isValid(String s) {
    if (s == null || s.isEmpty() || s.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** @throws GatewayException (1001) naming {@code what} when {@code value} is not a valid id */
  public static String require(String what, String value) {
    if (!isValid(value)) {
      throw GatewayException.invalid(what + " must be 1-" + MAX_LENGTH
          + " characters of A-Z, a-z, 0-9, '_' or '-', got " + Quote.of(value));
    }
    return value;
  }
}
