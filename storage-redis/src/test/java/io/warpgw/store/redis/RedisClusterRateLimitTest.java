package io.warpgw.store.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warpgw.contract.RateLimitContract;
import io.warpgw.spi.RegistrationStore;
import org.junit.jupiter.api.AfterAll;

class RedisClusterRateLimitTest extends RateLimitContract {
  private RedisTestCluster cluster;

  @Override
  protected Future<RegistrationStore> createStore(Vertx vertx) {
    cluster = RedisTestCluster.start();
    return new RedisStoreProvider().create(vertx, cluster.config());
  }

  @AfterAll
  void stopCluster() {
    cluster.close();
  }
}
