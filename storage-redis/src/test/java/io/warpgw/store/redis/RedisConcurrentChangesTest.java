package io.warpgw.store.redis;

import io.vertx.core.Vertx;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisConcurrentChangesTest {
  private Vertx vertx;
  private RedisTestServer server;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    server = RedisTestServer.start();
  }

  @AfterAll
  void stop() {
    Await.result(vertx.close());
    server.close();
  }

  @Test
  @DisplayName("racing revoke, unrevoke, update and delete leave every registration whole or gone")
  void racingChanges() {
    URI uri = URI.create(server.uri());
    Keys keys = new Keys(server.keyPrefix());
    ConcurrentChangesScenario.run(vertx, server.config(), "race-" + System.nanoTime(),
        account -> AccountConsistency.check(uri.getHost(), uri.getPort(), keys, account));
  }
}
