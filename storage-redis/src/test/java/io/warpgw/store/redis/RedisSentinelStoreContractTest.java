package io.warpgw.store.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.contract.RegistrationStoreContract;
import io.warpgw.spi.RegistrationStore;
import org.junit.jupiter.api.AfterAll;

/** The store kit in sentinel mode: the store knows only the sentinel and asks it for the primary. */
class RedisSentinelStoreContractTest extends RegistrationStoreContract {
  private RedisProcess primary;
  private RedisProcess sentinel;

  @Override
  protected Future<RegistrationStore> createStore(Vertx vertx) {
    primary = RedisProcess.start();
    sentinel = RedisProcess.sentinel(primary.port(), "gateway");
    return new RedisStoreProvider().create(vertx, new JsonObject()
        .put("mode", "sentinel")
        .put("master-name", "gateway")
        .put("endpoints", new JsonArray().add(sentinel.uri())));
  }

  @AfterAll
  void stopServers() {
    sentinel.stop();
    primary.stop();
  }
}
