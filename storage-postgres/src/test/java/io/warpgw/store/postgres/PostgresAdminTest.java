package io.warpgw.store.postgres;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warpgw.contract.AdminContract;
import io.warpgw.spi.RegistrationStore;

class PostgresAdminTest extends AdminContract {
  @Override
  protected Future<RegistrationStore> createStore(Vertx vertx) {
    return new PostgresStoreProvider().create(vertx, PostgresTestServer.config());
  }
}
