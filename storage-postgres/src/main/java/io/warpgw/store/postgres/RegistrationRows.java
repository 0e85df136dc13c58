package io.warpgw.store.postgres;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import io.warpgw.model.Device;
import io.warpgw.model.Policy;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationType;
import io.warpgw.model.SearchText;
import io.warpgw.model.User;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Registrations to and from rows of the {@code registrations} table: the one row mapper, and the
 * parameters of the statements that write whole rows, all in {@link #COLUMNS}' order.
 */
final class RegistrationRows {
  /** Every column but account_id, in the order of {@link #values} after the account. */
  static final String COLUMNS = "id, created_at, updated_at, last_seen_at, device_id, device_name, "
      + "client_version, key, key_type, tunnel_type, has_user, user_id, user_email, user_name, "
      + "has_policy, policy_id, policy_default, policy_deleted, policy_name, policy_updated_at, "
      + "revoked_at, registration_type, search_text";
  /** The SQL array type of each column of {@link #COLUMNS}, for unnest(). */
  static final String ARRAY_TYPES = "text[] timestamptz[] timestamptz[] timestamptz[] text[] text[] "
      + "text[] text[] text[] text[] boolean[] text[] text[] text[] boolean[] text[] boolean[] "
      + "boolean[] text[] timestamptz[] timestamptz[] text[] text[]";
  static final int COLUMN_COUNT = 23;

  private RegistrationRows() {}

  static Registration from(Row row) {
    User user = row.getBoolean("has_user")
        ? new User(row.getString("user_id"), row.getString("user_email"), row.getString("user_name"))
        : null;
    Policy policy = row.getBoolean("has_policy")
        ? new Policy(row.getString("policy_id"), row.getBoolean("policy_default"),
            row.getBoolean("policy_deleted"), row.getString("policy_name"),
            instant(row.getOffsetDateTime("policy_updated_at")))
        : null;
    return new Registration(
        row.getString("id"),
        instant(row.getOffsetDateTime("created_at")),
        instant(row.getOffsetDateTime("updated_at")),
        instant(row.getOffsetDateTime("last_seen_at")),
        new Device(row.getString("device_id"), row.getString("device_name"),
            row.getString("client_version")),
        row.getString("key"),
        row.getString("key_type"),
        row.getString("tunnel_type"),
        user,
        policy,
        instant(row.getOffsetDateTime("revoked_at")),
        RegistrationType.fromWire(row.getString("registration_type")));
  }

  /** {@code $1} = account, then {@link #COLUMNS}. */
  static Tuple values(String accountId, Registration r) {
    Object[] v = new Object[COLUMN_COUNT + 1];
    v[0] = accountId;
    fill(r, (column, value) -> v[column + 1] = value);
    return Tuple.wrap(v);
  }

  /** {@code $1} = account, then one array per column of {@link #COLUMNS}, a registration per index. */
  static Tuple arrays(String accountId, List<Registration> batch) {
    int n = batch.size();
    Object[][] columns = {
        new String[n], new OffsetDateTime[n], new OffsetDateTime[n], new OffsetDateTime[n],
        new String[n], new String[n], new String[n], new String[n], new String[n], new String[n],
        new Boolean[n], new String[n], new String[n], new String[n], new Boolean[n], new String[n],
        new Boolean[n], new Boolean[n], new String[n], new OffsetDateTime[n], new OffsetDateTime[n],
        new String[n], new String[n]};
    for (int i = 0; i < n; i++) {
      int row = i;
      fill(batch.get(i), (column, value) -> columns[column][row] = value);
    }
    Object[] v = new Object[COLUMN_COUNT + 1];
    v[0] = accountId;
    System.arraycopy(columns, 0, v, 1, COLUMN_COUNT);
    return Tuple.wrap(v);
  }

  private interface Sink {
    void put(int column, Object value);
  }

  private static void fill(Registration r, Sink out) {
    User u = r.user();
    Policy p = r.policy();
    out.put(0, r.id());
    out.put(1, time(r.createdAt()));
    out.put(2, time(r.updatedAt()));
    out.put(3, time(r.lastSeenAt()));
    out.put(4, r.device().id());
    out.put(5, r.device().name());
    out.put(6, r.device().clientVersion());
    out.put(7, r.key());
    out.put(8, r.keyType());
    out.put(9, r.tunnelType());
    out.put(10, u != null);
    out.put(11, u == null ? null : u.id());
    out.put(12, u == null ? null : u.email());
    out.put(13, u == null ? null : u.name());
    out.put(14, p != null);
    out.put(15, p == null ? null : p.id());
    out.put(16, p != null && p.isDefault());
    out.put(17, p != null && p.deleted());
    out.put(18, p == null ? null : p.name());
    out.put(19, p == null ? null : time(p.updatedAt()));
    out.put(20, time(r.revokedAt()));
    out.put(21, r.registrationType().wire());
    out.put(22, SearchText.of(r));
  }

  static OffsetDateTime time(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
