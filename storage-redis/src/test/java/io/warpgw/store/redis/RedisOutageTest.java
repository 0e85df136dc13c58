package io.warpgw.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.error.ApiError;
import io.warpgw.error.GatewayException;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.spi.RegistrationStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Redis dies under load and comes back on the same port: meanwhile callers get only UNAVAILABLE, and
 * the same store instance serves again within seconds, without being recreated. Always runs against a
 * server of its own: it must never kill one it did not start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisOutageTest {
  private static final int IN_FLIGHT = 32;
  private Vertx vertx;
  private RedisProcess server;
  private RegistrationStore store;
  private final RandomRegistrations gen = new RandomRegistrations(3);

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    server = RedisProcess.start();
    JsonObject config = new JsonObject().put("endpoints", new JsonArray().add(server.uri()))
        .put("pool-size", 8).put("max-wait-queue", 64);
    store = Await.result(new RedisStoreProvider().create(vertx, config));
  }

  @AfterAll
  void stop() {
    Await.result(store.close());
    Await.result(vertx.close());
    server.stop();
  }

  @Test
  @DisplayName("killing Redis under load fails requests only with UNAVAILABLE, and they succeed again after its restart")
  void survivesRestart() {
    String account = "outage";
    Await.result(store.insertBatch(account, gen.make(50)));

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    Map<String, Integer> failures = new ConcurrentHashMap<>();
    AtomicInteger counter = new AtomicInteger();
    List<Future<Void>> loops = new ArrayList<>();
    for (int i = 0; i < IN_FLIGHT; i++) {
      loops.add(vertx.<Void>executeBlocking(() -> null).compose(v -> loop(account, running, ok, failures, counter)));
    }
    RedisProcess.sleep(300);
    assertThat(ok.get()).as("successes before the kill").isPositive();

    server.kill();
    RedisProcess.sleep(1_000);
    int okDuringOutage = ok.get();
    assertThat(Await.failure(store.ping())).isInstanceOf(GatewayException.class);
    RedisProcess.sleep(200);
    assertThat(ok.get()).as("nothing succeeds while Redis is down").isEqualTo(okDuringOutage);

    long restarted = System.nanoTime();
    server.launch();
    while (ok.get() == okDuringOutage) {
      assertThat(System.nanoTime() - restarted).as("recovery time").isLessThan(10_000_000_000L);
      RedisProcess.sleep(20);
    }
    long recoveryMillis = (System.nanoTime() - restarted) / 1_000_000;
    RedisProcess.sleep(300);
    running.set(false);
    loops.forEach(Await::result);
    Await.result(store.ping());

    System.out.printf("outage: %d ok, failures %s, recovered %d ms after restart%n", ok.get(), failures, recoveryMillis);
    assertThat(failures).isNotEmpty();
    assertThat(failures.keySet()).containsOnly(ApiError.UNAVAILABLE.name());
  }

  /** One caller: keeps one request in flight until stopped, counting outcomes by API error. */
  private Future<Void> loop(String account, AtomicBoolean running, AtomicInteger ok,
      Map<String, Integer> failures, AtomicInteger counter) {
    if (!running.get()) {
      return Future.succeededFuture();
    }
    int n = counter.incrementAndGet();
    // Operations that cannot meet NOT_FOUND or CONFLICT: the restarted server starts out empty.
    Future<?> op = switch (n % 3) {
      case 0 -> store.create(account, gen.make("op-" + n));
      case 1 -> store.list(account, RegistrationQuery.all());
      default -> store.ping();
    };
    return op.transform(ar -> {
      if (ar.succeeded()) {
        ok.incrementAndGet();
      } else {
        String kind = ar.cause() instanceof GatewayException g ? g.error().name() : ar.cause().toString();
        failures.merge(kind, 1, Integer::sum);
      }
      // Fails fast while Redis is down; a short pause keeps the loop from spinning.
      return ar.succeeded() ? Future.<Void>succeededFuture()
          : vertx.timer(5).<Void>mapEmpty();
    }).compose(v -> loop(account, running, ok, failures, counter));
  }
}
