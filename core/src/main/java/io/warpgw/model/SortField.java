package io.warpgw.model;

import java.time.Instant;
import java.util.Comparator;

/**
 * The {@code sort_by} values. Ascending order is by key (code-point order for strings, a missing key
 * after every present one), then by id; descending is exactly its reverse.
 */
public enum SortField {
  ID("id"),
  USER_NAME("user.name"),
  USER_EMAIL("user.email"),
  LAST_SEEN_AT("last_seen_at"),
  CREATED_AT("created_at");

  private final String wire;
  private final Comparator<Registration> ascending;

  SortField(String wire) {
    this.wire = wire;
    this.ascending = (a, b) -> compare(keyOf(a), a.id(), keyOf(b), b.id());
  }

  public String wire() {
    return wire;
  }

  public static SortField fromWire(String value) {
    for (SortField f : values()) {
      if (f.wire.equals(value)) {
        return f;
      }
    }
    return null;
  }

  public boolean isTime() {
    return this == LAST_SEEN_AT || this == CREATED_AT;
  }

  public boolean isText() {
    return this == USER_NAME || this == USER_EMAIL;
  }

  /** The key this field sorts by, in {@link Position}'s encoding. */
  public String keyOf(Registration r) {
    return switch (this) {
      case ID -> null;
      case USER_NAME -> r.userName();
      case USER_EMAIL -> r.userEmail();
      case LAST_SEEN_AT -> Long.toString(Timestamps.micros(r.lastSeenAt()));
      case CREATED_AT -> Long.toString(Timestamps.micros(r.createdAt()));
    };
  }

  public Instant timeOf(Registration r) {
    return this == LAST_SEEN_AT ? r.lastSeenAt() : r.createdAt();
  }

  public Comparator<Registration> comparator(SortOrder order) {
    return order == SortOrder.ASC ? ascending : ascending.reversed();
  }

  /** Compares two (key, id) pairs in ascending order of this field. */
  public int compare(String keyA, String idA, String keyB, String idB) {
    int byKey = compareKeys(keyA, keyB);
    return byKey != 0 ? byKey : CodePoints.compare(idA, idB);
  }

  private int compareKeys(String a, String b) {
    if (this == ID) {
      return 0;
    }
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : 1) : -1;
    }
    return isTime() ? Long.compare(Long.parseLong(a), Long.parseLong(b)) : CodePoints.compare(a, b);
  }
}
