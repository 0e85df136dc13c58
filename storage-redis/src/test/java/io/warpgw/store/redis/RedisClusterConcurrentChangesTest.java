package io.warpgw.store.redis;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterConcurrentChangesTest {
  private Vertx vertx;
  private RedisTestCluster cluster;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    cluster = RedisTestCluster.start();
  }

  @AfterAll
  void stop() {
    Await.result(vertx.close());
    cluster.close();
  }

  @Test
  @DisplayName("on a cluster too, racing changes leave every registration whole or gone")
  void racingChanges() {
    Keys keys = new Keys(cluster.keyPrefix());
    for (int i = 0; i < 3; i++) {
      ConcurrentChangesScenario.run(vertx, cluster.config(), "race-" + i + "-" + System.nanoTime(),
          account -> AccountConsistency.check("127.0.0.1", cluster.nodeOf(keys.base(account)), keys, account));
    }
  }
}
