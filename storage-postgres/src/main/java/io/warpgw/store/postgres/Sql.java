package io.warpgw.store.postgres;

/**
 * Every statement of the store but the list queries, which {@link ListStatement} assembles from its
 * own fragments. Whole-row writes take their parameters from {@link RegistrationRows}, in its
 * column order.
 */
final class Sql {
  private Sql() {}

  static final String PING = "SELECT 1";

  static final String SELECT_ONE = "SELECT " + RegistrationRows.READ_COLUMNS
      + " FROM registrations WHERE account_id = $1 AND id = $2";

  static final String SELECT_ONE_FOR_UPDATE = SELECT_ONE + " FOR UPDATE";

  static final String INSERT_ONE = "INSERT INTO registrations (account_id, " + RegistrationRows.COLUMNS
      + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,"
      + " $19, $20, $21, $22, $23, $24, $25)";

  /**
   * One statement for a whole batch, whatever its size: one array parameter per column keeps the
   * text (and so its prepared statement) the same and stays far below the 65535-parameter limit.
   */
  static final String INSERT_NEW = "INSERT INTO registrations (account_id, " + RegistrationRows.COLUMNS
      + ") SELECT $1, r.* FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[],"
      + " $5::timestamptz[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],"
      + " $12::boolean[], $13::text[], $14::text[], $15::text[], $16::boolean[], $17::text[],"
      + " $18::boolean[], $19::boolean[], $20::text[], $21::timestamptz[], $22::timestamptz[],"
      + " $23::text[], $24::text[], $25::bytea[]) AS r";

  /**
   * {@link #INSERT_NEW} when some ids may exist: skips them and names the rows it stored. Each row
   * then costs a speculative insertion (a probe of the key, a token, a confirmation, more WAL), so
   * it is the fallback, not the first try.
   */
  static final String INSERT_BATCH = INSERT_NEW + " ON CONFLICT DO NOTHING RETURNING id";

  /** Rewrites every column but the key, with the parameters of {@link #INSERT_ONE}. */
  static final String REPLACE_ONE = "UPDATE registrations SET (created_at, updated_at, last_seen_at,"
      + " device_id, device_name, client_version, key, key_type, tunnel_type, has_user, user_id,"
      + " user_email, user_name, has_policy, policy_id, policy_default, policy_deleted, policy_name,"
      + " policy_updated_at, revoked_at, registration_type, search_text, doc) = ($3, $4, $5, $6, $7,"
      + " $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)"
      + " WHERE account_id = $1 AND id = $2";

  static final String DELETE_ONE = "DELETE FROM registrations WHERE account_id = $1 AND id = $2";

  /**
   * Locks the rows a bulk operation will change, in id order so that two bulk operations on
   * overlapping ids queue behind each other instead of deadlocking; a racing delete then cannot slip
   * between the check and the change.
   */
  static final String LOCK_IDS = "SELECT id FROM registrations WHERE account_id = $1 AND id = ANY($2)"
      + " ORDER BY id FOR UPDATE";

  static final String DELETE_IDS = "DELETE FROM registrations WHERE account_id = $1 AND id = ANY($2)";

  static final String REVOKE_IDS = "UPDATE registrations SET revoked_at = $3, updated_at = $3"
      + " WHERE account_id = $1 AND id = ANY($2) AND revoked_at IS NULL";

  static final String UNREVOKE_IDS = "UPDATE registrations SET revoked_at = NULL, updated_at = $3"
      + " WHERE account_id = $1 AND id = ANY($2) AND revoked_at IS NOT NULL";

  /**
   * Every account holding a row, in code-point order (the column is COLLATE "C"): a loose index scan
   * of the primary key, one index seek per account, however many rows each account holds.
   */
  static final String ACCOUNTS = "WITH RECURSIVE a(account_id) AS ("
      + "(SELECT account_id FROM registrations ORDER BY account_id LIMIT 1)"
      + " UNION ALL"
      + " SELECT (SELECT r.account_id FROM registrations r WHERE r.account_id > a.account_id"
      + " ORDER BY r.account_id LIMIT 1) FROM a WHERE a.account_id IS NOT NULL)"
      + " SELECT account_id FROM a WHERE account_id IS NOT NULL";

  /** One statement, so atomic by itself: a concurrent reader sees the account before or after. */
  static final String DELETE_ACCOUNT = "DELETE FROM registrations WHERE account_id = $1";

  /** The store's only table; Flyway's history stays. */
  static final String RESET = "TRUNCATE registrations";
}
