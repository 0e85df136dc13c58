package io.warpgw.store.postgres;

import static io.warpgw.store.postgres.PostgresRegistrationStoreTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.warpgw.spi.RegistrationStore;
import io.warpgw.testkit.OutageUnderLoad;
import io.warpgw.testkit.TestGateway;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A real gateway over HTTP under a steady mix of reads and writes while its PostgreSQL stops and comes
 * back on the same port and data directory: only 503/504 envelopes meanwhile, success again within
 * seconds without restarting the gateway, every acknowledged write present, no failed write half
 * applied. Runs its own embedded server, since it stops it.
 */
class PostgresRestartUnderLoadTest {
  static final int STATEMENT_TIMEOUT_MS = 1_000;
  static final int CONNECT_TIMEOUT_MS = 1_000;
  /** The store's deadlines plus generous slack for a loaded 2-core machine: slower than this is a hang. */
  static final Duration HANG = Duration.ofMillis(CONNECT_TIMEOUT_MS + STATEMENT_TIMEOUT_MS + 8_000);

  private final Vertx vertx = Vertx.vertx();
  private RestartablePostgres pg;

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  @DisplayName("PostgreSQL stop and restart under HTTP load: 503/504 with Retry-After only, recovery, no lost or half-applied write")
  void restartUnderLoad() throws Exception {
    pg = RestartablePostgres.start("restart-pg");
    JsonObject config = pg.storeConfig(4, 16, STATEMENT_TIMEOUT_MS);
    RegistrationStore store = await(new PostgresStoreProvider().create(vertx, config));
    TestGateway gateway = await(TestGateway.start(vertx, store));
    List<String> accounts = List.of(Registrations.account(), Registrations.account());
    OutageUnderLoad run = OutageUnderLoad.run(gateway, accounts, HANG, () -> {
      long stopping = System.nanoTime();
      pg.stop();
      long stoppedMs = (System.nanoTime() - stopping) / 1_000_000;
      Thread.sleep(3_000);
      pg.restart();
      return "stop took " + stoppedMs + " ms";
    });
    run.print("postgres restart");
    run.assertHeld();
    assertThat(run.load.totals("fault").keySet()).containsAnyOf("503/1100", "504/1101");
    await(gateway.close());
    await(store.close());
  }

}
