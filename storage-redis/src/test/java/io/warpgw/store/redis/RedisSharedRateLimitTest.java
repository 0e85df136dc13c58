package io.warpgw.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.Gateway;
import io.warpgw.auth.Authenticator;
import io.warpgw.spi.RegistrationStore;
import io.warpgw.testkit.ApiClient;
import io.warpgw.testkit.ApiResponse;
import io.warpgw.testkit.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The rate limit across gateways: on one Redis, every gateway counts in the same place, so a
 * credential has one budget however many gateways it calls; with Redis gone, each gateway falls back
 * to its own counters, never to a 500 nor to no limit.
 */
@DisplayName("The rate limit shared through Redis")
class RedisSharedRateLimitTest {
  private static final String LIST = ApiClient.accountPath("shared-limit") + "?per_page=1";

  /** One gateway in a Vert.x and a store of its own, as a separate process would have them. */
  private record Node(Vertx vertx, RegistrationStore store, TestGateway gateway) implements AutoCloseable {
    static Node start(JsonObject storeConfig, JsonObject overrides) {
      Vertx vertx = Vertx.vertx();
      RegistrationStore store = Await.result(new RedisStoreProvider().create(vertx, storeConfig));
      return new Node(vertx, store, Await.result(TestGateway.start(vertx, store, overrides)));
    }

    @Override
    public void close() {
      Await.result(gateway.close());
      Await.result(store.close());
      Await.result(vertx.close());
    }
  }

  private static JsonObject limited(String tokenName, String secret, int requests) {
    return new JsonObject()
        .put("http", new JsonObject().put("instances", 2))
        .put("rate-limit", new JsonObject().put("requests", requests).put("window", 300))
        .put("auth", new JsonObject().put("tokens", new JsonArray().add(new JsonObject()
            .put("name", tokenName).put("sha256", Authenticator.sha256Hex(secret))
            .put("accounts", new JsonArray().add("*")).put("permission", "write"))));
  }

  @Test
  @DisplayName("two gateways on one Redis share one budget per credential: 300 concurrent requests, limit 100 → exactly 100 pass")
  void twoGatewaysOneBudget() throws Exception {
    String secret = Gateway.randomSecret(24);
    JsonObject overrides = limited("shared", secret, 100);
    try (RedisTestServer redis = RedisTestServer.start();
        Node one = Node.start(redis.config(), overrides);
        Node two = Node.start(redis.config(), overrides)) {
      ApiClient a = new ApiClient(one.gateway().baseUrl(), secret);
      ApiClient b = new ApiClient(two.gateway().baseUrl(), secret);
      List<ApiResponse> answers = concurrently(300, i -> i % 2 == 0 ? a : b);

      List<Long> passed = new ArrayList<>();
      int[] servedByEach = new int[2];
      for (int i = 0; i < answers.size(); i++) {
        ApiResponse r = answers.get(i);
        String ratelimit = r.header("ratelimit");
        assertThat(ratelimit).isNotNull();
        if (r.status() == 200) {
          passed.add(Long.parseLong(ratelimit.replaceAll(".*;r=(\\d+);.*", "$1")));
          servedByEach[i % 2]++;
        } else {
          r.error(429, 971);
          assertThat(r.header("retry-after")).isNotBlank();
        }
      }
      System.out.printf("shared budget: %d passed (%d through gateway one, %d through two)%n",
          passed.size(), servedByEach[0], servedByEach[1]);
      assertThat(passed).hasSize(100).doesNotHaveDuplicates().allMatch(x -> x >= 0 && x < 100);
      assertThat(servedByEach[0]).as("gateway one served some").isPositive();
      assertThat(servedByEach[1]).as("gateway two served some").isPositive();
      // Whichever gateway is asked now, the budget is spent.
      a.get(LIST).error(429, 971);
      b.get(LIST).error(429, 971);
    }
  }

  @Test
  @DisplayName("with Redis down the limiter counts in the gateway (headers, 429) and the store's 503 comes through; never a 500")
  void redisDownFallsBackToLocalCounting() {
    String secret = Gateway.randomSecret(24);
    RedisProcess server = RedisProcess.start();
    JsonObject storeConfig = new JsonObject().put("endpoints", new JsonArray().add(server.uri()))
        .put("key-prefix", "outage:");
    try (Node node = Node.start(storeConfig, limited("outage", secret, 3))) {
      ApiClient api = new ApiClient(node.gateway().baseUrl(), secret);
      api.get(LIST).ok();
      server.kill();
      RedisProcess.sleep(300);
      for (int i = 0; i < 3; i++) {
        ApiResponse r = api.get(LIST);
        assertThat(r.status()).as("answer %d with Redis down: %s", i, r.body()).isIn(503, 429);
        assertThat(r.header("ratelimit")).isNotNull();
      }
      // The local count started with the outage: 3 requests so far, the 4th is past the limit.
      ApiResponse past = api.get(LIST);
      past.error(429, 971);
      server.launch();
      long restarted = System.nanoTime();
      ApiResponse back = api.get(LIST);
      while (back.status() != 200 && System.nanoTime() - restarted < 10_000_000_000L) {
        RedisProcess.sleep(100);
        back = api.get(LIST);
      }
      // The restarted Redis starts out empty: the shared count starts afresh there.
      back.ok();
      assertThat(back.header("ratelimit")).isNotNull();
    } finally {
      server.stop();
    }
  }

  private static List<ApiResponse> concurrently(int n, IntFunction<ApiClient> client)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Callable<ApiResponse>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ApiClient c = client.apply(i);
        calls.add(() -> c.get(LIST));
      }
      List<ApiResponse> out = new ArrayList<>();
      for (Future<ApiResponse> f : pool.invokeAll(calls)) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
