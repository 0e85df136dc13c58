package io.warpgw.store.redis;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.model.SortField;
import io.warpgw.model.SortOrder;
import io.warpgw.model.Status;
import io.warpgw.model.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A list query as the list script takes it: which index to walk, between which bounds, with which
 * filters. The page position and, for a {@code last_seen_at} sort, the time filters become bounds of
 * the index range, so those pages start with a seek. A scan that spends its budget before the page is
 * full hands back where it stopped, and the next call resumes there ({@link #resumeAfter}).
 */
final class ListScan {
  /**
   * @param budget index entries one call may examine: keeps each script short, whatever the filters
   * @param candidates up to this many ids, a device, user or policy filter reads its sets instead of
   *     walking the sort index
   */
  record Limits(int budget, int candidates) {
    static final Limits DEFAULT = new Limits(2_000, 2_000);
  }

  private static final long MIN_MICROS = Timestamps.micros(Instant.parse("0001-01-01T00:00:00Z"));
  private static final long MAX_MICROS = Timestamps.micros(Instant.parse("+10000-01-01T00:00:00Z")) - 1;

  private final RegistrationQuery q;
  private final Limits limits;
  private final String seenAfter;
  private final String seenBefore;
  private final boolean empty;
  private String lo = "-";
  private String hi = "+";

  ListScan(RegistrationQuery q, Limits limits) {
    this.q = q;
    this.limits = limits;
    // Stored times lie in years 1-9999; a bound outside them admits all or nothing.
    Long after = q.seenAfter() == null ? null : Timestamps.micros(q.seenAfter());
    Long before = q.seenBefore() == null ? null : Timestamps.micros(q.seenBefore());
    boolean none = (after != null && after >= MAX_MICROS) || (before != null && before <= MIN_MICROS);
    this.seenAfter = after == null || after < MIN_MICROS || none ? null : SortKeys.time(after);
    this.seenBefore = before == null || before > MAX_MICROS || none ? null : SortKeys.time(before);
    if (q.after() != null) {
      String member = SortKeys.member(q.sortBy(), q.after());
      if (q.sortOrder() == SortOrder.ASC) {
        lo = "(" + member;
      } else {
        hi = "(" + member;
      }
    }
    if (q.sortBy() == SortField.LAST_SEEN_AT) {
      if (seenAfter != null) {
        lo = greater(lo, "[" + SortKeys.time(after + 1));
      }
      if (seenBefore != null) {
        hi = lesser(hi, "(" + seenBefore);
      }
    }
    this.empty = none;
  }

  /** True when no registration can match, so no call is needed. */
  boolean empty() {
    return empty;
  }

  /**
   * For a query without filters (its bounds aside) of one status, the first {@code want} members of
   * its one sort index, which are the page the list script would read: one ZRANGEBYLEX (or
   * ZREVRANGEBYLEX) of the index between the bounds. Null for any other query.
   */
  Request range(Keys keys, String accountId, int want) {
    boolean unfiltered = q.ids().isEmpty() && q.userIds().isEmpty() && q.registrationType() == null
        && seenAfter == null && seenBefore == null && q.search() == null && q.deviceId() == null
        && q.policyId() == null;
    if (!unfiltered || q.status() == Status.ALL) {
      return null;
    }
    String index = keys.index(accountId, q.sortBy(), q.status() == Status.REVOKED);
    return q.sortOrder() == SortOrder.ASC
        ? Request.cmd(Command.ZRANGEBYLEX).arg(index).arg(lo).arg(hi).arg("LIMIT").arg(0).arg(want)
        : Request.cmd(Command.ZREVRANGEBYLEX).arg(index).arg(hi).arg(lo).arg("LIMIT").arg(0).arg(want);
  }

  void resumeAfter(String member) {
    if (q.sortOrder() == SortOrder.ASC) {
      lo = "(" + member;
    } else {
      hi = "(" + member;
    }
  }

  List<String> args(int want) {
    List<String> a = new ArrayList<>(16 + q.ids().size() + q.userIds().size());
    a.add(Keys.sortCode(q.sortBy()));
    a.add(q.sortOrder() == SortOrder.ASC ? "asc" : "desc");
    a.add(q.status() == Status.ACTIVE ? Keys.ACTIVE : q.status() == Status.REVOKED ? Keys.REVOKED
        : Keys.ACTIVE + Keys.REVOKED);
    a.add(Integer.toString(want));
    a.add(Integer.toString(limits.budget()));
    a.add(lo);
    a.add(hi);
    a.add(orAbsent(q.registrationType() == null ? null : q.registrationType().wire()));
    a.add(orAbsent(seenAfter));
    a.add(orAbsent(seenBefore));
    a.add(orAbsent(q.search()));
    a.add(orAbsent(q.deviceId()));
    a.add(orAbsent(q.policyId()));
    a.add(Integer.toString(limits.candidates()));
    a.add(Integer.toString(q.ids().size()));
    a.addAll(q.ids());
    a.add(Integer.toString(q.userIds().size()));
    a.addAll(q.userIds());
    return a;
  }

  private static String orAbsent(String s) {
    return s == null ? RecordFields.ABSENT : s;
  }

  // Time-sort bounds are ASCII digits and ids, where String order is byte order. A lower bound "(x"
  // starts after x, "[x" at x; so of two bounds with the same text the exclusive one is tighter.
  private static String greater(String a, String b) {
    if (a.equals("-")) {
      return b;
    }
    int c = a.substring(1).compareTo(b.substring(1));
    return c > 0 || (c == 0 && a.charAt(0) == '(') ? a : b;
  }

  private static String lesser(String a, String b) {
    if (a.equals("+")) {
      return b;
    }
    int c = a.substring(1).compareTo(b.substring(1));
    return c < 0 || (c == 0 && a.charAt(0) == '(') ? a : b;
  }
}
