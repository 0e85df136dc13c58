package io.warpgw.store.postgres;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warpgw.contract.ConcurrencyContract;
import io.warpgw.spi.RegistrationStore;

class PostgresConcurrencyTest extends ConcurrencyContract {
  @Override
  protected Future<RegistrationStore> createStore(Vertx vertx) {
    return new PostgresStoreProvider().create(vertx, PostgresTestServer.config());
  }
}
