package io.warpgw.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.error.ApiError;
import io.warpgw.error.GatewayException;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.spi.RegistrationStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InFlightLimitTest {

  @Test
  @DisplayName("past pool-size in flight and max-wait-queue waiting, requests fail at once with UNAVAILABLE")
  void exhausted() {
    InFlightLimit limit = new InFlightLimit(1, 1);
    Promise<String> first = Promise.promise();
    Future<String> running = limit.run(first::future);
    Future<String> waiting = limit.run(() -> Future.succeededFuture("second"));
    Future<String> rejected = limit.run(() -> Future.succeededFuture("third"));

    assertThat(rejected.failed()).isTrue();
    assertThat(((GatewayException) rejected.cause()).error()).isEqualTo(ApiError.UNAVAILABLE);
    assertThat(waiting.isComplete()).isFalse();
    first.complete("first");
    assertThat(running.result()).isEqualTo("first");
    assertThat(waiting.result()).isEqualTo("second");
    assertThat(limit.run(() -> Future.succeededFuture("again")).result()).isEqualTo("again");
  }

  @Test
  @DisplayName("a store with a tiny pool under a burst answers or reports UNAVAILABLE, nothing else")
  void burst() {
    Vertx vertx = Vertx.vertx();
    try (RedisTestServer server = RedisTestServer.start()) {
      JsonObject config = server.config().put("pool-size", 1).put("max-wait-queue", 2);
      RegistrationStore store = Await.result(new RedisStoreProvider().create(vertx, config));
      List<Future<?>> burst = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        burst.add(store.list("burst", RegistrationQuery.all()));
      }
      int ok = 0;
      int unavailable = 0;
      for (Future<?> f : burst) {
        try {
          Await.result(f);
          ok++;
        } catch (GatewayException e) {
          assertThat(e.error()).isEqualTo(ApiError.UNAVAILABLE);
          unavailable++;
        }
      }
      assertThat(ok).isGreaterThanOrEqualTo(3);
      assertThat(unavailable).isPositive();
      Await.result(store.ping());
      Await.result(store.close());
    } finally {
      Await.result(vertx.close());
    }
  }
}
