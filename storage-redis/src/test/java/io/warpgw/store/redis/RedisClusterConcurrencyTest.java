package io.warpgw.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warpgw.contract.ConcurrencyContract;
import io.warpgw.spi.RegistrationStore;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;

/** The HTTP race on a Redis Cluster; afterwards every key of the account is checked on its node. */
class RedisClusterConcurrencyTest extends ConcurrencyContract {
  private RedisTestCluster cluster;

  @Override
  protected Future<RegistrationStore> createStore(Vertx vertx) {
    cluster = RedisTestCluster.start();
    return new RedisStoreProvider().create(vertx, cluster.config());
  }

  @Override
  protected void checkStoreInternals(String account, Set<String> present) {
    Keys keys = new Keys(cluster.keyPrefix());
    assertThat(AccountConsistency.check("127.0.0.1", cluster.nodeOf(keys.base(account)), keys, account))
        .as("registrations in Redis").containsExactlyInAnyOrderElementsOf(present);
  }

  @AfterAll
  void stopCluster() {
    cluster.close();
  }
}
