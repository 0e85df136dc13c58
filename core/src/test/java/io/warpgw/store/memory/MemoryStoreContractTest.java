package io.warpgw.store.memory;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.warpgw.contract.RegistrationStoreContract;
import io.warpgw.spi.RegistrationStore;

class MemoryStoreContractTest extends RegistrationStoreContract {
  @Override
  protected Future<RegistrationStore> createStore(Vertx vertx) {
    return new MemoryStoreProvider().create(vertx, new JsonObject());
  }
}
