package io.warpgw.store.postgres;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warpgw.contract.RegistrationStoreContract;
import io.warpgw.spi.RegistrationStore;

class PostgresStoreContractTest extends RegistrationStoreContract {
  @Override
  protected Future<RegistrationStore> createStore(Vertx vertx) {
    return new PostgresStoreProvider().create(vertx, PostgresTestServer.config());
  }
}
