package io.warpgw.store.postgres;

import io.vertx.sqlclient.Tuple;
import io.warpgw.model.Position;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.model.SortField;
import io.warpgw.model.SortOrder;
import io.warpgw.model.Timestamps;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of one list page. Each sort order walks its own index (account_id, sort key..., id) from
 * the cursor: the keyset predicate is a single row comparison over exactly the index's columns, so
 * it is an index condition rather than a filter, and ORDER BY is the index order (forward for asc,
 * backward for desc), so no sort is needed and a page costs the same at any depth.
 *
 * @param sql the statement, with {@code $n} placeholders
 * @param params its parameters
 */
record ListStatement(String sql, Tuple params) {
  static final String SELECT_PAGE = "SELECT " + RegistrationRows.COLUMNS
      + " FROM registrations WHERE account_id = $1";
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
    StringBuilder sql = new StringBuilder(512).append(SELECT_PAGE);
    Tuple params = Tuple.tuple().addValue(accountId);
    switch (q.status()) {
      case ACTIVE -> sql.append(ACTIVE);
      case REVOKED -> sql.append(REVOKED);
      case ALL -> { }
    }
    if (!q.ids().isEmpty()) {
      oneOrAny(sql, params, ID_IS, ID_IN, q.ids().toArray(String[]::new));
    }
    if (q.deviceId() != null) {
      bind(sql, params, DEVICE_IS, q.deviceId());
    }
    if (!q.userIds().isEmpty()) {
      oneOrAny(sql, params, USER_IS, USER_IN, q.userIds().toArray(String[]::new));
    }
    if (q.policyId() != null) {
      bind(sql, params, POLICY_IS, q.policyId());
    }
    if (q.registrationType() != null) {
      bind(sql, params, TYPE_IS, q.registrationType().wire());
    }
    if (q.seenAfter() != null) {
      bind(sql, params, SEEN_AFTER, RegistrationRows.time(q.seenAfter()));
    }
    if (q.seenBefore() != null) {
      bind(sql, params, SEEN_BEFORE, RegistrationRows.time(q.seenBefore()));
    }
    if (q.search() != null) {
      bind(sql, params, SEARCH, "%" + escapeLike(q.search()) + "%");
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
      sql.append(" AND (").append(String.join(", ", columns)).append(asc ? ") > (" : ") < (")
          .append(String.join(", ", placeholders)).append(')');
    }
    sql.append(" ORDER BY ").append(String.join(asc ? ", " : " DESC, ", columns));
    if (!asc) {
      sql.append(" DESC");
    }
    bind(sql, params, LIMIT, q.perPage() + 1);
    return new ListStatement(sql.toString(), params);
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
