package io.warpgw.model;

import java.util.Locale;

/**
 * What {@code search} matches: a case-insensitive substring of id, device id and name, user id, email
 * and name. Case folding is {@link String#toLowerCase(Locale)} with {@link Locale#ROOT}, done by the
 * gateway, never by a database locale, so every store matches the same registrations.
 */
public final class SearchText {
  /** Joins the fields; search terms may not contain control characters, so no match spans two. */
  public static final char SEPARATOR = '\u001f';

  private SearchText() {}

  public static String fold(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** The folded, joined searchable fields of a registration, for stores that index them. */
  public static String of(Registration r) {
    StringBuilder sb = new StringBuilder(96);
    append(sb, r.id());
    append(sb, r.device().id());
    append(sb, r.device().name());
    if (r.user() != null) {
      append(sb, r.user().id());
      append(sb, r.user().email());
      append(sb, r.user().name());
    }
    return fold(sb.toString());
  }

  private static void append(StringBuilder sb, String field) {
    if (field != null) {
      if (!sb.isEmpty()) {
        sb.append(SEPARATOR);
      }
      sb.append(field);
    }
  }

  /** @param foldedTerm a term already passed through {@link #fold} */
  public static boolean matches(Registration r, String foldedTerm) {
    return contains(r.id(), foldedTerm)
        || contains(r.device().id(), foldedTerm)
        || contains(r.device().name(), foldedTerm)
        || (r.user() != null
            && (contains(r.user().id(), foldedTerm)
                || contains(r.user().email(), foldedTerm)
                || contains(r.user().name(), foldedTerm)));
  }

  private static boolean contains(String field, String foldedTerm) {
    return field != null && fold(field).contains(foldedTerm);
  }
}
