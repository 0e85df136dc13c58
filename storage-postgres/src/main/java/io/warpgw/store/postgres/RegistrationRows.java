package io.warpgw.store.postgres;

import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import io.warpgw.json.StoredItems;
import io.warpgw.json.StoredRegistrations;
import io.warpgw.model.Device;
import io.warpgw.model.Policy;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationType;
import io.warpgw.model.SearchText;
import io.warpgw.model.Timestamps;
import io.warpgw.model.User;
import java.nio.charset.StandardCharsets;
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
      + "revoked_at, registration_type, search_text, doc";
  /**
   * The columns {@link #from} reads, a prefix of {@link #COLUMNS}: all but search_text, which only a
   * search's WHERE uses, and doc, so a read need not decode nor send them.
   */
  static final String READ_COLUMNS = COLUMNS.substring(0, COLUMNS.lastIndexOf(", search_text"));
  /** The SQL array type of each column of {@link #COLUMNS}, for unnest(). */
  static final String ARRAY_TYPES = "text[] timestamptz[] timestamptz[] timestamptz[] text[] text[] "
      + "text[] text[] text[] text[] boolean[] text[] text[] text[] boolean[] text[] boolean[] "
      + "boolean[] text[] timestamptz[] timestamptz[] text[] text[] bytea[]";
  static final int COLUMN_COUNT = 24;

  /**
   * What a list page reads of a row, for {@link #addTo}: the stored JSON ({@link
   * StoredRegistrations#json}), and the two times kept apart from it. A row written before the doc
   * column has its JSON built here, in a form that is read as the stored one is (only not copied into
   * the page as it is).
   */
  static final String LIST_COLUMNS = "COALESCE(doc, convert_to(json_build_object('id', id,"
      + " 'created_at', " + text("created_at") + ", 'last_seen_at', " + text("last_seen_at") + ","
      + " 'device', json_build_object('id', device_id, 'name', device_name,"
      + " 'client_version', client_version),"
      + " 'key', key, 'key_type', key_type, 'tunnel_type', tunnel_type,"
      + " 'user', CASE WHEN has_user THEN json_build_object('id', user_id, 'email', user_email,"
      + " 'name', user_name) END,"
      + " 'policy', CASE WHEN has_policy THEN json_build_object('id', policy_id,"
      + " 'default', policy_default, 'deleted', policy_deleted, 'name', policy_name,"
      + " 'updated_at', " + text("policy_updated_at") + ") END,"
      + " 'registration_type', registration_type)::text, 'UTF8')), updated_at, revoked_at";

  private static String text(String column) {
    return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
  }

  /** Adds a row of a SELECT of {@link #LIST_COLUMNS} to {@code items}. */
  static void addTo(StoredItems.Builder items, Row row) {
    Buffer doc = row.getBuffer(0);
    OffsetDateTime revoked = row.getOffsetDateTime(2);
    byte[] updated = Timestamps.format(row.getOffsetDateTime(1).toInstant())
        .getBytes(StandardCharsets.ISO_8859_1);
    byte[] revokedText = revoked == null ? new byte[0]
        : Timestamps.format(revoked.toInstant()).getBytes(StandardCharsets.ISO_8859_1);
    int n = doc.length();
    byte[] b = new byte[n + updated.length + revokedText.length];
    doc.getBytes(b, 0);
    System.arraycopy(updated, 0, b, n, updated.length);
    System.arraycopy(revokedText, 0, b, n + updated.length, revokedText.length);
    items.add(b, 0, n, n, updated.length, n + updated.length, revokedText.length);
  }

  private RegistrationRows() {}

  /**
   * A row of a SELECT that starts with {@link #READ_COLUMNS} (every statement that reads
   * registrations does), read by position: looking each column up by name hashed and compared 23
   * strings per row, a fifth of the gateway's CPU on a list page.
   */
  static Registration from(Row row) {
    User user = row.getBoolean(HAS_USER)
        ? new User(row.getString(USER_ID), row.getString(USER_EMAIL), row.getString(USER_NAME))
        : null;
    Policy policy = row.getBoolean(HAS_POLICY)
        ? new Policy(row.getString(POLICY_ID), row.getBoolean(POLICY_DEFAULT),
            row.getBoolean(POLICY_DELETED), row.getString(POLICY_NAME),
            instant(row.getOffsetDateTime(POLICY_UPDATED_AT)))
        : null;
    return new Registration(
        row.getString(ID),
        instant(row.getOffsetDateTime(CREATED_AT)),
        instant(row.getOffsetDateTime(UPDATED_AT)),
        instant(row.getOffsetDateTime(LAST_SEEN_AT)),
        new Device(row.getString(DEVICE_ID), row.getString(DEVICE_NAME),
            row.getString(CLIENT_VERSION)),
        row.getString(KEY),
        row.getString(KEY_TYPE),
        row.getString(TUNNEL_TYPE),
        user,
        policy,
        instant(row.getOffsetDateTime(REVOKED_AT)),
        RegistrationType.fromWire(row.getString(REGISTRATION_TYPE)));
  }

  private static final List<String> NAMES = List.of(COLUMNS.split(", "));
  private static final int ID = position("id");
  private static final int CREATED_AT = position("created_at");
  private static final int UPDATED_AT = position("updated_at");
  private static final int LAST_SEEN_AT = position("last_seen_at");
  private static final int DEVICE_ID = position("device_id");
  private static final int DEVICE_NAME = position("device_name");
  private static final int CLIENT_VERSION = position("client_version");
  private static final int KEY = position("key");
  private static final int KEY_TYPE = position("key_type");
  private static final int TUNNEL_TYPE = position("tunnel_type");
  private static final int HAS_USER = position("has_user");
  private static final int USER_ID = position("user_id");
  private static final int USER_EMAIL = position("user_email");
  private static final int USER_NAME = position("user_name");
  private static final int HAS_POLICY = position("has_policy");
  private static final int POLICY_ID = position("policy_id");
  private static final int POLICY_DEFAULT = position("policy_default");
  private static final int POLICY_DELETED = position("policy_deleted");
  private static final int POLICY_NAME = position("policy_name");
  private static final int POLICY_UPDATED_AT = position("policy_updated_at");
  private static final int REVOKED_AT = position("revoked_at");
  private static final int REGISTRATION_TYPE = position("registration_type");

  private static int position(String column) {
    int i = NAMES.indexOf(column);
    if (i < 0) {
      throw new IllegalStateException(column + " is not in COLUMNS");
    }
    return i;
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
        new String[n], new String[n], new Buffer[n]};
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
    out.put(23, Buffer.buffer(StoredRegistrations.json(r)));
  }

  static OffsetDateTime time(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
