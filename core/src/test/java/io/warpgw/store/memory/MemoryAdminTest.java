package io.warpgw.store.memory;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warpgw.contract.AdminContract;
import io.warpgw.spi.RegistrationStore;

class MemoryAdminTest extends AdminContract {
  @Override
  protected Future<RegistrationStore> createStore(Vertx vertx) {
    return new MemoryStoreProvider().create(vertx, new io.vertx.core.json.JsonObject());
  }
}
