package io.warpgw.store.postgres;

import static io.warpgw.store.postgres.PostgresRegistrationStoreTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.model.SearchText;
import io.warpgw.model.SortField;
import io.warpgw.model.SortOrder;
import io.warpgw.model.Status;
import io.warpgw.spi.RegistrationStore;
import io.warpgw.store.postgres.migration.V2__Search_index;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchemaMigrationsTest {
  private Vertx vertx;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  @DisplayName("gateways starting together on an empty database migrate it once and all start")
  void concurrentStarts() throws Exception {
    String uri = PostgresTestServer.freshDatabase();
    List<Future<RegistrationStore>> starts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      starts.add(new PostgresStoreProvider().create(vertx, PostgresTestServer.config(uri)));
    }
    await(Future.all(starts));
    for (Future<RegistrationStore> s : starts) {
      await(s.result().ping());
      await(s.result().close());
    }
    assertThat(query(uri, "SELECT version || ':' || success FROM flyway_schema_history "
        + "WHERE version IS NOT NULL ORDER BY installed_rank")).containsExactly("1:true", "2:true", "3:true");
  }

  @Test
  @DisplayName("refuses to start on a schema that a newer gateway migrated")
  void newerSchema() throws Exception {
    String uri = PostgresTestServer.freshDatabase();
    RegistrationStore store = await(new PostgresStoreProvider().create(vertx,
        PostgresTestServer.config(uri)));
    await(store.close());
    PostgresTestServer.execute(uri, "INSERT INTO flyway_schema_history (installed_rank, version,"
        + " description, type, script, checksum, installed_by, execution_time, success)"
        + " VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 0, 'test', 0,"
        + " true)");
    Throwable failure = PostgresRegistrationStoreTest.catchFailure(
        new PostgresStoreProvider().create(vertx, PostgresTestServer.config(uri)));
    assertThat(failure).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("newer than this gateway knows").hasMessageContaining("99");
  }

  @Test
  @DisplayName("without the right to create pg_trgm, logs why and still searches correctly")
  void withoutTrigrams() throws Exception {
    String uri = PostgresTestServer.freshDatabase();
    PgConnectOptions admin = PgConnectOptions.fromUri(uri);
    String role = "plain_" + admin.getDatabase();
    PostgresTestServer.execute(uri, "CREATE ROLE " + role + " LOGIN PASSWORD 'pw'",
        "GRANT CREATE ON SCHEMA public TO " + role);
    String plainUri = "postgresql://" + role + ":pw@" + admin.getHost() + ":" + admin.getPort()
        + "/" + admin.getDatabase();

    Logger migrationLog = (Logger) LoggerFactory.getLogger(V2__Search_index.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    migrationLog.addAppender(logged);
    RegistrationStore store;
    try {
      store = await(new PostgresStoreProvider().create(vertx, PostgresTestServer.config(plainUri)));
    } finally {
      migrationLog.detachAppender(logged);
    }
    try {
      assertThat(logged.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
          .contains("pg_trgm could not be created").contains("42501"));
      assertThat(query(uri, "SELECT indexname FROM pg_indexes WHERE tablename = 'registrations'"))
          .doesNotContain("registrations_search").contains("registrations_by_created_at");
      String account = Registrations.account();
      await(store.insertBatch(account, Registrations.random(50, 3)));
      RegistrationQuery search = new RegistrationQuery(Set.of(), null, Set.of(), null,
          SearchText.fold("ZOË"), null, null, Status.ALL, null, SortField.ID, SortOrder.ASC, 100,
          null);
      assertThat(await(store.list(account, search)).items()).isNotEmpty()
          .allMatch(r -> SearchText.matches(r, "zoë"));
    } finally {
      await(store.close());
    }
  }

  @Test
  @DisplayName("refuses to start, naming the server, when the database cannot be reached")
  void unreachable() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    long start = System.nanoTime();
    Throwable failure = PostgresRegistrationStoreTest.catchFailure(new PostgresStoreProvider()
        .create(vertx, PostgresTestServer.config("postgresql://postgres@127.0.0.1:" + port
            + "/postgres").put("connect-timeout", 1_000)));
    assertThat(failure).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot prepare the PostgreSQL schema at postgres@127.0.0.1:" + port);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(15_000);
  }

  private static List<String> query(String uri, String sql) throws Exception {
    PgConnectOptions o = PgConnectOptions.fromUri(uri);
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + o.getHost() + ":"
            + o.getPort() + "/" + o.getDatabase(), o.getUser(), o.getPassword());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
