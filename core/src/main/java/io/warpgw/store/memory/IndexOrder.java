package io.warpgw.store.memory;

import io.warpgw.model.CodePoints;
import io.warpgw.model.Registration;
import io.warpgw.model.SortField;
import java.time.Instant;
import java.util.Comparator;

/**
 * Ascending order of one sort field, the same as {@link SortField#comparator} without string keys.
 * One class for every field, rather than a lambda chain per field: the sort indexes call their
 * comparator millions of times from the same TreeMap code, and a single receiver class lets the JIT
 * inline it there instead of dispatching through several layers of lambdas each time.
 */
final class IndexOrder implements Comparator<Registration> {
  private final SortField field;

  IndexOrder(SortField field) {
    this.field = field;
  }

  @Override
  public int compare(Registration a, Registration b) {
    if (a == b) {
      return 0;
    }
    int byKey = switch (field) {
      case ID -> 0;
      case USER_NAME -> nullsLast(a.userName(), b.userName());
      case USER_EMAIL -> nullsLast(a.userEmail(), b.userEmail());
      case LAST_SEEN_AT -> compare(a.lastSeenAt(), b.lastSeenAt());
      case CREATED_AT -> compare(a.createdAt(), b.createdAt());
    };
    return byKey != 0 ? byKey : CodePoints.compare(a.id(), b.id());
  }

  private static int compare(Instant a, Instant b) {
    int bySecond = Long.compare(a.getEpochSecond(), b.getEpochSecond());
    return bySecond != 0 ? bySecond : Integer.compare(a.getNano(), b.getNano());
  }

  private static int nullsLast(String a, String b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : 1) : -1;
    }
    return CodePoints.compare(a, b);
  }
}
