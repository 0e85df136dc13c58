package io.warpgw.store.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warpgw.contract.AdminContract;
import io.warpgw.spi.RegistrationStore;
import org.junit.jupiter.api.AfterAll;

class RedisAdminTest extends AdminContract {
  private RedisTestServer server;

  @Override
  protected Future<RegistrationStore> createStore(Vertx vertx) {
    server = RedisTestServer.start();
    return new RedisStoreProvider().create(vertx, server.config());
  }

  @AfterAll
  void stopServer() {
    server.close();
  }
}
