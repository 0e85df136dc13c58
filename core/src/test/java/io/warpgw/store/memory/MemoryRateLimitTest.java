package io.warpgw.store.memory;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.warpgw.contract.RateLimitContract;
import io.warpgw.spi.RegistrationStore;

class MemoryRateLimitTest extends RateLimitContract {
  @Override
  protected Future<RegistrationStore> createStore(Vertx vertx) {
    return new MemoryStoreProvider().create(vertx, new JsonObject());
  }
}
