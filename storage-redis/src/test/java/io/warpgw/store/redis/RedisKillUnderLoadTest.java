package io.warpgw.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.spi.RegistrationStore;
import io.warpgw.testkit.OutageUnderLoad;
import io.warpgw.testkit.TestGateway;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A real gateway over HTTP under a steady mix of reads and writes while its standalone Redis is
 * killed (SIGKILL) and started again on the same port and directory: only 503/504 envelopes
 * meanwhile, success again within seconds without restarting the gateway, every acknowledged write
 * present, no failed write half applied.
 *
 * <p>The server runs with {@code appendonly yes} and {@code appendfsync always}: a write is on disk
 * before Redis answers it, so a crash loses none that the gateway acknowledged. Without that (the
 * other tests' {@code appendonly no}, or {@code appendfsync everysec}) a kill loses the last writes,
 * acknowledged or not, and this guarantee does not hold: it is the durability configuration the
 * gateway's promise needs. Always a server of its own: it must never kill one it did not start.
 */
class RedisKillUnderLoadTest {
  static final int TIMEOUT_MS = 2_000;
  /** The store's deadline plus generous slack for a loaded 2-core machine: slower than this is a hang. */
  static final Duration HANG = Duration.ofMillis(TIMEOUT_MS + 8_000);

  @Test
  @DisplayName("Redis kill -9 and restart under HTTP load (appendfsync always): 503/504 with Retry-After only, recovery, no lost or half-applied write")
  void killUnderLoad() throws Exception {
    RedisProcess server = RedisProcess.start("--appendonly", "yes", "--appendfsync", "always");
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject config = new JsonObject().put("endpoints", new JsonArray().add(server.uri()))
          .put("pool-size", 8).put("max-wait-queue", 64).put("timeout-ms", TIMEOUT_MS);
      RegistrationStore store = Await.result(new RedisStoreProvider().create(vertx, config));
      TestGateway gateway = Await.result(TestGateway.start(vertx, store));
      List<String> accounts = List.of("kill-a", "kill-b");
      OutageUnderLoad run = OutageUnderLoad.run(gateway, accounts, HANG, () -> {
        server.kill();
        RedisProcess.sleep(3_000);
        server.launch();
        return "appendfsync always";
      });
      run.print("redis standalone kill -9");
      run.assertHeld();
      assertThat(run.load.totals("fault").keySet()).containsAnyOf("503/1100", "504/1101");
      Await.result(gateway.close());
      Await.result(store.close());
    } finally {
      Await.result(vertx.close());
      server.stop();
    }
  }
}
