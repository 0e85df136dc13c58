package io.warpgw.store.postgres;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warpgw.contract.RateLimitContract;
import io.warpgw.spi.RegistrationStore;

class PostgresRateLimitTest extends RateLimitContract {
  @Override
  protected Future<RegistrationStore> createStore(Vertx vertx) {
    return new PostgresStoreProvider().create(vertx, PostgresTestServer.config());
  }
}
