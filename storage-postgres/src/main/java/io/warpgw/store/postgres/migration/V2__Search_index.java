package io.warpgw.store.postgres.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trigram index behind {@code search}. pg_trgm is a contrib extension that a managed database or
 * a role without CREATE on the database may not allow; search stays correct without it (a filtered
 * scan of the sort index), so its absence is logged with the reason instead of failing the start.
 */
public class V2__Search_index extends BaseJavaMigration {
  private static final Logger LOG = LoggerFactory.getLogger(V2__Search_index.class);

  static final String CREATE_EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm";
  static final String CREATE_INDEX = "CREATE INDEX registrations_search "
      + "ON registrations USING gin (search_text gin_trgm_ops)";

  @Override
  public void migrate(Context context) throws SQLException {
    Connection connection = context.getConnection();
    // The failed CREATE EXTENSION must not abort the migration's transaction.
    Savepoint beforeExtension = connection.setSavepoint();
    try (Statement st = connection.createStatement()) {
      st.execute(CREATE_EXTENSION);
    } catch (SQLException e) {
      connection.rollback(beforeExtension);
      LOG.warn("pg_trgm could not be created ({}: {}); search will scan instead of using a trigram "
          + "index. To add it later: CREATE EXTENSION pg_trgm; then {}", e.getSQLState(),
          e.getMessage(), CREATE_INDEX);
      return;
    }
    try (Statement st = connection.createStatement()) {
      st.execute(CREATE_INDEX);
    }
  }
}
