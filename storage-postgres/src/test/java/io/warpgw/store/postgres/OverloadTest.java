package io.warpgw.store.postgres;

import static io.warpgw.store.postgres.PostgresRegistrationStoreTest.await;
import static io.warpgw.store.postgres.PostgresRegistrationStoreTest.catchFailure;
import static io.warpgw.store.postgres.PostgresRegistrationStoreTest.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.warpgw.error.ApiError;
import io.warpgw.model.RegistrationPatch;
import io.warpgw.spi.RegistrationStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A database that is up but slow, or a pool with no room: TIMEOUT and UNAVAILABLE, promptly. */
class OverloadTest {
  private Vertx vertx;
  private RegistrationStore store;
  private Connection blocker;
  private final String account = Registrations.account();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    store = await(new PostgresStoreProvider().create(vertx, PostgresTestServer.config()
        .put("pool-size", 1).put("max-wait-queue", 0).put("statement-timeout", 500)));
    await(store.create(account, Registrations.simple("locked")));
    PgConnectOptions o = PgConnectOptions.fromUri(PostgresTestServer.uri());
    blocker = DriverManager.getConnection("jdbc:postgresql://" + o.getHost() + ":" + o.getPort()
        + "/" + o.getDatabase(), o.getUser(), o.getPassword());
    blocker.setAutoCommit(false);
    try (Statement st = blocker.createStatement()) {
      st.execute("SELECT 1 FROM registrations WHERE account_id = '" + account
          + "' AND id = 'locked' FOR UPDATE");
    }
  }

  @AfterEach
  void stop() throws Exception {
    blocker.rollback();
    blocker.close();
    await(store.close());
    await(vertx.close());
  }

  @Test
  @DisplayName("a statement held up past statement-timeout fails with TIMEOUT, and the store goes on")
  void statementTimeout() throws Exception {
    long start = System.nanoTime();
    Future<?> held = store.update(account, "locked", patch(), Instant.now());
    assertThat(errorOf(held)).isEqualTo(ApiError.TIMEOUT);
    assertThat((System.nanoTime() - start) / 1_000_000).isBetween(400L, 4_000L);
    await(store.get(account, "locked"));
  }

  @Test
  @DisplayName("a call finding the pool busy and its wait queue full fails with UNAVAILABLE at once")
  void waitQueueFull() throws Exception {
    Future<?> held = store.update(account, "locked", patch(), Instant.now());
    Thread.sleep(100);
    long start = System.nanoTime();
    // accounts() shares the pool with the held update (a GET by id and an unfiltered list page
    // have connections of their own).
    Throwable rejected = catchFailure(store.accounts());
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000L);
    assertThat(rejected).hasMessageContaining("waiting for a PostgreSQL connection");
    assertThat(errorOf(store.ping())).isEqualTo(ApiError.UNAVAILABLE);
    assertThat(errorOf(held)).isEqualTo(ApiError.TIMEOUT);
    await(store.ping());
  }

  private static RegistrationPatch patch() {
    return new RegistrationPatch(null, "rotated", null, null, null, null, null, Optional.empty());
  }
}
