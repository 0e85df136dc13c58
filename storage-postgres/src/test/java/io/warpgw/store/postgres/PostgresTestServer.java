package io.warpgw.store.postgres;

import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL the tests of this module use: the one {@code TEST_PG_URI} names, or else one
 * embedded server per JVM on a free port, shared by every test class and stopped with the JVM.
 */
public final class PostgresTestServer {
  private static String uri;

  private PostgresTestServer() {}

  public static synchronized String uri() {
    if (uri == null) {
      String fromEnv = System.getenv("TEST_PG_URI");
      uri = fromEnv != null && !fromEnv.isBlank() ? fromEnv : startEmbedded();
    }
    return uri;
  }

  /** A store config for the shared server. */
  public static JsonObject config() {
    return config(uri());
  }

  /**
   * A generous statement timeout: a loaded CI machine must not turn a slow statement into a failed
   * contract test. The tests of timeouts set their own.
   */
  public static JsonObject config(String uri) {
    return new JsonObject().put("uri", uri).put("pool-size", 8).put("statement-timeout", 30_000);
  }

  /** The URI of a new, empty database on the shared server, for tests that need their own schema. */
  public static String freshDatabase() {
    String name = "t_" + UUID.randomUUID().toString().replace("-", "");
    execute(uri(), "CREATE DATABASE " + name);
    PgConnectOptions o = PgConnectOptions.fromUri(uri());
    return withDatabase(o, name);
  }

  static String withDatabase(PgConnectOptions o, String database) {
    return "postgresql://" + o.getUser() + ":" + o.getPassword() + "@" + o.getHost() + ":"
        + o.getPort() + "/" + database;
  }

  /** Runs plain SQL over JDBC: for setup only, never on an event loop. */
  public static void execute(String uri, String... statements) {
    PgConnectOptions o = PgConnectOptions.fromUri(uri);
    String url = "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
    try (Connection c = DriverManager.getConnection(url, o.getUser(), o.getPassword());
        Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String startEmbedded() {
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      return "postgresql://postgres@localhost:" + pg.getPort() + "/postgres";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
    }
  }
}
