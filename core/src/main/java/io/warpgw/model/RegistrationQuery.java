package io.warpgw.model;

import java.time.Instant;
import java.util.Set;

/**
 * One list request, parsed and validated: filters (AND between them, OR within {@code ids} and
 * {@code userIds}), order, page size and where to resume. Sets are empty when the filter is absent;
 * other filters are null when absent. Times are whole microseconds.
 *
 * @param search the search term already {@link SearchText#fold folded}, or null
 * @param after where the previous page ended, or null for the first page
 */
public record RegistrationQuery(
    Set<String> ids,
    String deviceId,
    Set<String> userIds,
    String policyId,
    String search,
    Instant seenAfter,
    Instant seenBefore,
    Status status,
    RegistrationType registrationType,
    SortField sortBy,
    SortOrder sortOrder,
    int perPage,
    Position after) {

  public static final int DEFAULT_PER_PAGE = 20;
  public static final int MAX_PER_PAGE = 1000;

  public RegistrationQuery {
    ids = Set.copyOf(ids);
    userIds = Set.copyOf(userIds);
  }

  /** The first page of everything active, in the default order. */
  public static RegistrationQuery all() {
    return new RegistrationQuery(Set.of(), null, Set.of(), null, null, null, null, Status.ACTIVE,
        null, SortField.CREATED_AT, SortOrder.ASC, DEFAULT_PER_PAGE, null);
  }

  public RegistrationQuery withAfter(Position position) {
    return new RegistrationQuery(ids, deviceId, userIds, policyId, search, seenAfter, seenBefore,
        status, registrationType, sortBy, sortOrder, perPage, position);
  }

  public RegistrationQuery withPerPage(int n) {
    return new RegistrationQuery(ids, deviceId, userIds, policyId, search, seenAfter, seenBefore,
        status, registrationType, sortBy, sortOrder, n, after);
  }

  public RegistrationQuery withStatus(Status s) {
    return new RegistrationQuery(ids, deviceId, userIds, policyId, search, seenAfter, seenBefore,
        s, registrationType, sortBy, sortOrder, perPage, after);
  }

  public RegistrationQuery withSort(SortField field, SortOrder order) {
    return new RegistrationQuery(ids, deviceId, userIds, policyId, search, seenAfter, seenBefore,
        status, registrationType, field, order, perPage, after);
  }

  /** Whether {@code r} passes every filter (not the position). The reference semantics for stores. */
  public boolean matches(Registration r) {
    return status.admits(r)
        && (ids.isEmpty() || ids.contains(r.id()))
        && (deviceId == null || deviceId.equals(r.device().id()))
        && (userIds.isEmpty() || (r.userId() != null && userIds.contains(r.userId())))
        && (policyId == null || (r.policy() != null && policyId.equals(r.policy().id())))
        && (registrationType == null || registrationType == r.registrationType())
        && (seenAfter == null || r.lastSeenAt().isAfter(seenAfter))
        && (seenBefore == null || r.lastSeenAt().isBefore(seenBefore))
        && (search == null || SearchText.matches(r, search));
  }

  /** Whether {@code r} comes strictly after {@link #after} in this query's order. */
  public boolean isAfterPosition(Registration r) {
    if (after == null) {
      return true;
    }
    int c = sortBy.compare(sortBy.keyOf(r), r.id(), after.key(), after.id());
    return sortOrder == SortOrder.ASC ? c > 0 : c < 0;
  }
}
