package io.warpgw.store.postgres;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warpgw.contract.AccessControlContract;
import io.warpgw.spi.RegistrationStore;

class PostgresAccessControlTest extends AccessControlContract {
  @Override
  protected Future<RegistrationStore> createStore(Vertx vertx) {
    return new PostgresStoreProvider().create(vertx, PostgresTestServer.config());
  }
}
