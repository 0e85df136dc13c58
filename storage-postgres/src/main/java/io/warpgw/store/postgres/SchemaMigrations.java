package io.warpgw.store.postgres;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.warpgw.store.postgres.migration.V2__Search_index;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema to the version this jar knows, through Flyway over JDBC. Blocking: callers run
 * it on a worker thread. Flyway takes an advisory lock, so gateways starting together migrate once.
 */
final class SchemaMigrations {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);
  static final String LOCATION = "classpath:db/migration/postgres";
  static final String HISTORY_TABLE = "flyway_schema_history";
  private static final String SEARCH_INDEX_EXISTS =
      "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'registrations_search'";

  private SchemaMigrations() {}

  /**
   * @return whether search has its trigram index
   * @throws IllegalStateException when the database holds a schema newer than this jar, or cannot be
   *     reached or migrated
   */
  static boolean apply(PostgresStoreConfig config) {
    PgConnectOptions pg = PgConnectOptions.fromUri(config.uri());
    String url = jdbcUrl(pg, config);
    Flyway flyway = Flyway.configure()
        .dataSource(url, pg.getUser(), pg.getPassword())
        .locations(LOCATION)
        .javaMigrations(new V2__Search_index())
        .table(HISTORY_TABLE)
        .cleanDisabled(true)
        .load();
    try {
      refuseNewerSchema(flyway);
      MigrateResult result = flyway.migrate();
      if (result.migrationsExecuted > 0) {
        LOG.info("PostgreSQL schema of {} migrated to version {}", config.describe(),
            result.targetSchemaVersion);
      }
      return searchIndexExists(url, pg);
    } catch (IllegalStateException e) {
      throw e;
    } catch (RuntimeException | SQLException e) {
      throw new IllegalStateException("cannot prepare the PostgreSQL schema at " + config.describe()
          + ": " + e.getMessage(), e);
    }
  }

  /** A newer gateway may have changed what rows mean; running against it could corrupt them. */
  private static void refuseNewerSchema(Flyway flyway) {
    MigrationInfo[] future = Arrays.stream(flyway.info().applied())
        .filter(m -> m.getState() == MigrationState.FUTURE_SUCCESS
            || m.getState() == MigrationState.FUTURE_FAILED)
        .toArray(MigrationInfo[]::new);
    if (future.length > 0) {
      String versions = Arrays.stream(future)
          .map(m -> m.getVersion() + " (" + m.getDescription() + ")")
          .collect(Collectors.joining(", "));
      throw new IllegalStateException("the PostgreSQL schema is newer than this gateway knows: "
          + "migration(s) " + versions + " were applied by a later version; run that version or "
          + "a newer one");
    }
  }

  private static boolean searchIndexExists(String url, PgConnectOptions pg) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, pg.getUser(), pg.getPassword());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(SEARCH_INDEX_EXISTS)) {
      return rs.next();
    }
  }

  private static String jdbcUrl(PgConnectOptions pg, PostgresStoreConfig config) {
    StringBuilder url = new StringBuilder("jdbc:postgresql://")
        .append(pg.getHost()).append(':').append(pg.getPort()).append('/')
        .append(URLEncoder.encode(pg.getDatabase(), StandardCharsets.UTF_8))
        .append("?ApplicationName=warp-gateway-migrations")
        .append("&connectTimeout=").append(Math.max(1, (config.connectTimeoutMs() + 999) / 1000))
        // A server that accepts the connection but never answers must not stall the start.
        .append("&loginTimeout=").append(Math.max(1, (config.connectTimeoutMs() + 999) / 1000));
    if (pg.getSslMode() != null && pg.getSslMode() != SslMode.DISABLE) {
      url.append("&sslmode=").append(pg.getSslMode().value);
    }
    return url.toString();
  }
}
