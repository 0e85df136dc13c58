package io.warpgw.store.memory;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.warpgw.contract.ConcurrencyContract;
import io.warpgw.spi.RegistrationStore;

class MemoryConcurrencyTest extends ConcurrencyContract {
  @Override
  protected Future<RegistrationStore> createStore(Vertx vertx) {
    return new MemoryStoreProvider().create(vertx, new JsonObject());
  }
}
