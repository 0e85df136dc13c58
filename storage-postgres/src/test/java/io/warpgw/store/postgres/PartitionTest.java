package io.warpgw.store.postgres;

import static io.warpgw.store.postgres.PostgresRegistrationStoreTest.await;
import static io.warpgw.store.postgres.PostgresRegistrationStoreTest.catchFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.pgclient.PgConnectOptions;
import io.warpgw.error.ApiError;
import io.warpgw.error.GatewayException;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.spi.RegistrationStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The network between gateway and database silently drops everything, then heals: no answer, no
 * error, nothing for statement_timeout to act on. Calls must still end in time, and the pool must
 * not stay stuck on connections whose answers were lost.
 */
class PartitionTest {
  static final int STATEMENT_TIMEOUT_MS = 500;
  static final int CONNECT_TIMEOUT_MS = 500;
  static final long DEADLINE_MS = STATEMENT_TIMEOUT_MS + CONNECT_TIMEOUT_MS + 1_000;

  @Test
  @DisplayName("while the network drops every byte calls fail in time; once it heals the same store serves")
  void silentPartition() throws Exception {
    Vertx vertx = Vertx.vertx();
    AtomicBoolean dropping = new AtomicBoolean();
    PgConnectOptions db = PgConnectOptions.fromUri(PostgresTestServer.uri());
    NetServer proxy = await(blackHole(vertx, db, dropping).listen(0, "127.0.0.1"));
    String viaProxy = "postgresql://" + db.getUser() + ":" + db.getPassword() + "@127.0.0.1:"
        + proxy.actualPort() + "/" + db.getDatabase();
    RegistrationStore store = await(new PostgresStoreProvider().create(vertx,
        PostgresTestServer.config(viaProxy).put("pool-size", 2)
            .put("statement-timeout", STATEMENT_TIMEOUT_MS)
            .put("connect-timeout", CONNECT_TIMEOUT_MS)));
    try {
      String account = Registrations.account();
      await(store.create(account, Registrations.simple("a")));

      dropping.set(true);
      long start = System.nanoTime();
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        calls.add(i % 2 == 0 ? store.get(account, "a") : store.list(account, RegistrationQuery.all()));
      }
      for (Future<?> call : calls) {
        Throwable failure = catchFailure(call);
        assertThat(failure).isInstanceOf(GatewayException.class);
        assertThat(((GatewayException) failure).error()).isIn(ApiError.TIMEOUT, ApiError.UNAVAILABLE);
      }
      long failedWithinMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(failedWithinMs).isLessThanOrEqualTo(DEADLINE_MS + 2_000);

      dropping.set(false);
      long healed = System.nanoTime();
      long recoveredMs = -1;
      while ((System.nanoTime() - healed) / 1_000_000 < 4 * DEADLINE_MS + 5_000) {
        if (catchOrNull(store.get(account, "a")) == null) {
          recoveredMs = (System.nanoTime() - healed) / 1_000_000;
          break;
        }
        Thread.sleep(100);
      }
      System.out.printf("partition: calls failed within %d ms; served again %d ms after healing%n",
          failedWithinMs, recoveredMs);
      assertThat(recoveredMs).as("served again after the network healed").isNotNegative();
    } finally {
      await(store.close());
      await(vertx.close());
    }
  }

  private static Throwable catchOrNull(Future<?> f) {
    try {
      f.await(30, java.util.concurrent.TimeUnit.SECONDS);
      return null;
    } catch (Throwable t) {
      return t;
    }
  }

  /** A TCP relay to the database that, while {@code dropping}, swallows bytes both ways. */
  private static NetServer blackHole(Vertx vertx, PgConnectOptions db, AtomicBoolean dropping) {
    NetClient client = vertx.createNetClient();
    return vertx.createNetServer().connectHandler(inbound -> {
      inbound.pause();
      client.connect(db.getPort(), db.getHost()).onSuccess(outbound -> {
        relay(inbound, outbound, dropping);
        relay(outbound, inbound, dropping);
        inbound.resume();
      }).onFailure(e -> inbound.close());
    });
  }

  private static void relay(NetSocket from, NetSocket to, AtomicBoolean dropping) {
    from.handler(buffer -> {
      if (!dropping.get()) {
        to.write(buffer);
      }
    });
    from.closeHandler(v -> to.close());
  }
}
