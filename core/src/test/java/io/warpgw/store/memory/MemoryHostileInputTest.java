package io.warpgw.store.memory;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.warpgw.contract.HostileInputContract;
import io.warpgw.spi.RegistrationStore;

class MemoryHostileInputTest extends HostileInputContract {
  @Override
  protected Future<RegistrationStore> createStore(Vertx vertx) {
    return new MemoryStoreProvider().create(vertx, new JsonObject());
  }
}
