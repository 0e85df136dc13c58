package io.warpgw.store.postgres;

import io.vertx.sqlclient.Tuple;
import io.warpgw.model.Position;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.model.SortField;
import io.warpgw.model.SortOrder;
import io.warpgw.model.Timestamps;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of one list page, in one of three shapes, none of which needs a Sort node (but for a rare
 * search term that the planner serves from the trigram index, whose bitmap has no order):
 * <ul>
 *   <li>By default each sort order walks its own index (account_id, sort key..., id) from the
 *       cursor: the keyset predicate is a single row comparison over exactly the index's columns, so
 *       it is an index condition rather than a filter, and ORDER BY is the index order (forward for
 *       asc, backward for desc), so no sort is needed and a page costs the same at any depth.
 *   <li>An {@code id} filter (at most 1000 ids) fetches its rows through the primary key with no
 *       cursor, ORDER BY or LIMIT, and the gateway keeps those after the cursor, orders them and
 *       cuts the page ({@link #page}): bounded work and always the same plan, where walking a sort
 *       index for them could read the whole account.
 *   <li>Two to {@value #MAX_MERGED_USERS} user ids in the default sort: one branch per user, each
 *       walking (account_id, user_id, created_at, id) from the cursor with its own LIMIT, merged in
 *       order by a Merge Append. A branch needs that LIMIT (with ORDER BY) for PostgreSQL to keep its
 *       order: a UNION ALL branch with a WHERE clause is not flattened into the outer query.
 *       Planning costs about 0.1 ms per branch (on a pooled, warm connection), hence the bound; more users use
 *       {@code user_id = ANY}, and other sorts have no per-user index to merge.
 * </ul>
 *
 * <p>A page with no filter but its status (the common case: every registration of an account, in
 * some order, from a cursor) has one best plan whatever its values, the walk of its sort's index:
 * its LIMIT is written into the text, and the cursor only bounds the walk. Such a statement is
 * {@link #planOnce}: it may keep a generic plan rather than be planned again for every page, which
 * cost as much backend time as running it.
 *
 * @param sql the statement, with {@code $n} placeholders
 * @param params its parameters
 * @param ordersInGateway whether the rows come unordered and unlimited, for {@link #page}
 * @param planOnce whether one generic plan serves every value of its parameters
 */
record ListStatement(String sql, Tuple params, boolean ordersInGateway, boolean planOnce) {
  /** The most user ids merged branch by branch; see the class comment. */
  static final int MAX_MERGED_USERS = 8;
  static final String SELECT_PAGE = "SELECT " + RegistrationRows.LIST_COLUMNS + " FROM registrations";
  static final String ACCOUNT_IS = " WHERE account_id = $1";
  static final String ACTIVE = " AND revoked_at IS NULL";
  static final String REVOKED = " AND revoked_at IS NOT NULL";
  static final String ID_IS = " AND id = $%d";
  static final String ID_IN = " AND id = ANY($%d)";
  static final String DEVICE_IS = " AND device_id = $%d";
  static final String USER_IS = " AND user_id = $%d";
  static final String USER_IN = " AND user_id = ANY($%d)";
  static final String POLICY_IS = " AND has_policy AND policy_id = $%d";
  static final String TYPE_IS = " AND registration_type = $%d";
  static final String SEEN_AFTER = " AND last_seen_at > $%d";
  static final String SEEN_BEFORE = " AND last_seen_at < $%d";
  static final String SEARCH = " AND search_text LIKE $%d";
  static final String LIMIT = " LIMIT $%d";
  /** One user's branch of a merge: "WHERE ..." and " ORDER BY ... LIMIT $n" go around its user. */
  static final String USER_BRANCH = "(SELECT * FROM registrations%s" + USER_IS + "%s)";
  static final String MERGED = "SELECT " + RegistrationRows.LIST_COLUMNS + " FROM (%s) AS merged%s";

  /**
   * The columns each sort orders by, the same as its index after account_id. A missing user name or
   * email becomes (true, '') so that it sorts after every present one (false, name) ascending, and a
   * cursor at a missing name still compares with plain row comparison.
   */
  static List<String> orderColumns(SortField field) {
    return switch (field) {
      case ID -> List.of("id");
      case CREATED_AT -> List.of("created_at", "id");
      case LAST_SEEN_AT -> List.of("last_seen_at", "id");
      case USER_NAME -> List.of("(user_name IS NULL)", "coalesce(user_name, '')", "id");
      case USER_EMAIL -> List.of("(user_email IS NULL)", "coalesce(user_email, '')", "id");
    };
  }

  static ListStatement of(String accountId, RegistrationQuery q) {
    StringBuilder where = new StringBuilder(256).append(ACCOUNT_IS);
    Tuple params = Tuple.tuple().addValue(accountId);
    switch (q.status()) {
      case ACTIVE -> where.append(ACTIVE);
      case REVOKED -> where.append(REVOKED);
      case ALL -> { }
    }
    if (!q.ids().isEmpty()) {
      oneOrAny(where, params, ID_IS, ID_IN, q.ids().toArray(String[]::new));
    }
    if (q.deviceId() != null) {
      bind(where, params, DEVICE_IS, q.deviceId());
    }
    boolean mergeUsers = mergesUsers(q);
    if (!q.userIds().isEmpty() && !mergeUsers) {
      oneOrAny(where, params, USER_IS, USER_IN, q.userIds().toArray(String[]::new));
    }
    if (q.policyId() != null) {
      bind(where, params, POLICY_IS, q.policyId());
    }
    if (q.registrationType() != null) {
      bind(where, params, TYPE_IS, q.registrationType().wire());
    }
    if (q.seenAfter() != null) {
      bind(where, params, SEEN_AFTER, RegistrationRows.time(q.seenAfter()));
    }
    if (q.seenBefore() != null) {
      bind(where, params, SEEN_BEFORE, RegistrationRows.time(q.seenBefore()));
    }
    if (q.search() != null) {
      bind(where, params, SEARCH, "%" + escapeLike(q.search()) + "%");
    }
    if (!q.ids().isEmpty()) {
      return new ListStatement(SELECT_PAGE + where, params, true, false);
    }
    List<String> columns = orderColumns(q.sortBy());
    boolean asc = q.sortOrder() == SortOrder.ASC;
    if (q.after() != null) {
      List<Object> cursor = cursorValues(q.sortBy(), q.after());
      List<String> placeholders = new ArrayList<>(cursor.size());
      for (Object value : cursor) {
        params.addValue(value);
        placeholders.add("$" + params.size());
      }
      where.append(" AND (").append(String.join(", ", columns)).append(asc ? ") > (" : ") < (")
          .append(String.join(", ", placeholders)).append(')');
    }
    StringBuilder orderAndLimit = new StringBuilder(64).append(" ORDER BY ")
        .append(String.join(asc ? ", " : " DESC, ", columns));
    if (!asc) {
      orderAndLimit.append(" DESC");
    }
    boolean planOnce = unfiltered(q);
    if (planOnce) {
      orderAndLimit.append(" LIMIT ").append(q.perPage() + 1);
    } else {
      bind(orderAndLimit, params, LIMIT, q.perPage() + 1);
    }
    if (!mergeUsers) {
      return new ListStatement(SELECT_PAGE + where + orderAndLimit, params, false, planOnce);
    }
    List<String> branches = new ArrayList<>(q.userIds().size());
    for (String userId : q.userIds().stream().sorted().toList()) {
      params.addValue(userId);
      branches.add(String.format(USER_BRANCH, where, params.size(), orderAndLimit));
    }
    return new ListStatement(String.format(MERGED, String.join(" UNION ALL ", branches),
        orderAndLimit), params, false, false);
  }

  /** No filter but the status: the page is a walk of its sort's index, see the class comment. */
  static boolean unfiltered(RegistrationQuery q) {
    return q.ids().isEmpty() && q.deviceId() == null && q.userIds().isEmpty()
        && q.policyId() == null && q.registrationType() == null && q.seenAfter() == null
        && q.seenBefore() == null && q.search() == null;
  }

  /** Whether the query's users are merged branch by branch; see the class comment. */
  static boolean mergesUsers(RegistrationQuery q) {
    return q.ids().isEmpty() && q.sortBy() == SortField.CREATED_AT
        && q.userIds().size() >= 2 && q.userIds().size() <= MAX_MERGED_USERS;
  }

  /**
   * Up to {@code perPage + 1} of the fetched rows after the cursor in the query's order, with the
   * memory store's own position test and comparator; rows of a statement that
   * {@link #ordersInGateway} are every match, unordered.
   */
  List<Registration> page(List<Registration> fetched, RegistrationQuery q) {
    if (!ordersInGateway) {
      return fetched;
    }
    List<Registration> sorted = new ArrayList<>(fetched.size());
    for (Registration r : fetched) {
      if (q.isAfterPosition(r)) {
        sorted.add(r);
      }
    }
    sorted.sort(q.sortBy().comparator(q.sortOrder()));
    return sorted.size() > q.perPage() + 1 ? sorted.subList(0, q.perPage() + 1) : sorted;
  }

  private static List<Object> cursorValues(SortField field, Position after) {
    return switch (field) {
      case ID -> List.of(after.id());
      case CREATED_AT, LAST_SEEN_AT ->
          List.of(RegistrationRows.time(Timestamps.ofMicros(after.micros())), after.id());
      case USER_NAME, USER_EMAIL -> List.of(after.key() == null,
          after.key() == null ? "" : after.key(), after.id());
    };
  }

  /** A single value as plain equality: the planner can then read it from an ordered index. */
  private static void oneOrAny(StringBuilder sql, Tuple params, String one, String any,
      String[] values) {
    if (values.length == 1) {
      bind(sql, params, one, values[0]);
    } else {
      bind(sql, params, any, values);
    }
  }

  private static void bind(StringBuilder sql, Tuple params, String fragment, Object value) {
    params.addValue(value);
    sql.append(String.format(fragment, params.size()));
  }

  /** LIKE's own escape character is the backslash. */
  static String escapeLike(String term) {
    StringBuilder sb = new StringBuilder(term.length() + 8);
    for (int i = 0; i < term.length(); i++) {
      char c = term.charAt(i);
      if (c == '%' || c == '_' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }
}
