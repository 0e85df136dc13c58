package io.warpgw.contract;

import static io.warpgw.contract.StoreAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.Gateway;
import io.warpgw.auth.Authenticator;
import io.warpgw.testkit.ApiClient;
import io.warpgw.testkit.ApiResponse;
import io.warpgw.testkit.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Cloudflare's rate limit, emulated, on the store under test: the store's shared counters when it
 * has them, else the gateway's own. Each test makes gateways of its own over the class's store, with
 * credentials named for that test only, so no budget carries over from one test to the next.
 */
public abstract class RateLimitContract extends GatewayKit {
  private static final Pattern RATELIMIT = Pattern.compile("\"default\";r=(\\d+);t=(\\d+)");
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final String ACCOUNT = "rate-limit";
  private final List<TestGateway> started = new ArrayList<>();

  /** A gateway with this {@code rate-limit} section and two fresh write tokens, {@link Limited#a} and {@link Limited#b}. */
  protected Limited limited(JsonObject rateLimit, int instances) {
    return limited(names -> rateLimit, instances);
  }

  /** As above, the section made knowing the tokens' names: {@code <names>a} and {@code <names>b}. */
  protected Limited limited(Function<String, JsonObject> rateLimit, int instances) {
    String prefix = "rl-" + NAMES.incrementAndGet() + "-" + System.nanoTime() + "-";
    String a = Gateway.randomSecret(24);
    String b = Gateway.randomSecret(24);
    JsonObject overrides = new JsonObject()
        .put("http", new JsonObject().put("instances", instances))
        .put("rate-limit", rateLimit.apply(prefix))
        .put("auth", new JsonObject().put("tokens", new JsonArray()
            .add(token(prefix + "a", a)).add(token(prefix + "b", b))));
    TestGateway g = await(TestGateway.start(vertx, store, overrides));
    started.add(g);
    return new Limited(g, new ApiClient(g.baseUrl(), a), new ApiClient(g.baseUrl(), b), prefix);
  }

  /** One gateway and a client for each of its two tokens; {@code names} prefixes the tokens' names. */
  protected record Limited(TestGateway gateway, ApiClient a, ApiClient b, String names) {}

  private static JsonObject token(String name, String secret) {
    return new JsonObject().put("name", name).put("sha256", Authenticator.sha256Hex(secret))
        .put("accounts", new JsonArray().add("*")).put("permission", "write");
  }

  protected static JsonObject limit(int requests, int windowSeconds) {
    return new JsonObject().put("requests", requests).put("window", windowSeconds);
  }

  @AfterEach
  void closeLimitedGateways() {
    started.forEach(g -> await(g.close()));
    started.clear();
  }

  protected static String list() {
    return ApiClient.accountPath(ACCOUNT) + "?per_page=1";
  }

  /** The {@code r} (remaining) of a response's {@code Ratelimit} header. */
  protected static long remaining(ApiResponse r) {
    return ratelimit(r).group(1).transform(Long::parseLong);
  }

  protected static long resetSeconds(ApiResponse r) {
    return ratelimit(r).group(2).transform(Long::parseLong);
  }

  private static Matcher ratelimit(ApiResponse r) {
    String h = r.header("ratelimit");
    assertThat(h).as("Ratelimit header of a %d answer", r.status()).isNotNull();
    Matcher m = RATELIMIT.matcher(h);
    assertThat(m.matches()).as("Ratelimit header %s", h).isTrue();
    return m;
  }

  /** Asserts Cloudflare's 429: code 971, Retry-After, not to be retried (API.md); returns Retry-After. */
  protected static long refused(ApiResponse r) {
    r.error(429, 971);
    assertThat(r.header("x-should-retry")).isEqualTo("false");
    assertThat(remaining(r)).isZero();
    long retryAfter = Long.parseLong(r.header("retry-after"));
    assertThat(retryAfter).isEqualTo(resetSeconds(r));
    return retryAfter;
  }

  protected static void sleepSeconds(double seconds) {
    try {
      Thread.sleep((long) (seconds * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  @DisplayName("off by default: no Ratelimit headers, no 429")
  void offByDefault() {
    ApiClient api = new ApiClient(gateway.baseUrl(), gateway.writeToken());
    for (int i = 0; i < 5; i++) {
      ApiResponse r = api.get(list());
      r.ok();
      assertThat(r.header("ratelimit")).isNull();
      assertThat(r.header("ratelimit-policy")).isNull();
    }
  }

  @Nested
  @DisplayName("counting (the default mode)")
  class Counting {
    @Test
    @DisplayName("every answer to a credential carries Ratelimit (remaining, reset) and Ratelimit-Policy, errors included")
    void headersOnEveryAnswer() {
      Limited l = limited(limit(10, 60), 2);
      List<ApiResponse> answers = List.of(
          l.a().get(list()),
          l.a().get(ApiClient.accountPath(ACCOUNT) + "/no-such-id"),
          l.a().get(ApiClient.accountPath(ACCOUNT) + "?per_page=0"),
          l.a().post(ApiClient.accountPath(ACCOUNT), "{\"device\":{\"id\":\"d\",\"name\":\"n\"},\"key\":\"k\"}"),
          l.a().get(ApiClient.accountPath("bad.account!")));
      assertThat(answers).extracting(ApiResponse::status).containsExactly(200, 404, 400, 201, 400);
      for (int i = 0; i < answers.size(); i++) {
        ApiResponse r = answers.get(i);
        assertThat(remaining(r)).as("remaining after request %d", i + 1).isEqualTo(10 - (i + 1));
        assertThat(resetSeconds(r)).isBetween(1L, 60L);
        assertThat(r.header("ratelimit-policy")).isEqualTo("\"default\";q=10;w=60");
      }
    }

    @Test
    @DisplayName("past the limit: 429 (971) with Retry-After = the rest of the window and x-should-retry: false; other credentials unaffected")
    void refusedPastTheLimit() {
      Limited l = limited(limit(3, 60), 2);
      for (int i = 0; i < 3; i++) {
        l.a().get(list()).ok();
      }
      for (int i = 0; i < 3; i++) {
        long retryAfter = refused(l.a().get(list()));
        assertThat(retryAfter).isBetween(1L, 60L);
      }
      ApiResponse other = l.b().get(list());
      other.ok();
      assertThat(remaining(other)).isEqualTo(2);
    }

    @Test
    @DisplayName("the window's end lifts the refusal: a fresh window with the whole budget")
    void windowReset() {
      Limited l = limited(limit(2, 2), 2);
      l.a().get(list()).ok();
      l.a().get(list()).ok();
      long retryAfter = refused(l.a().get(list()));
      assertThat(retryAfter).isBetween(1L, 2L);
      sleepSeconds(retryAfter + 0.1);
      ApiResponse fresh = l.a().get(list());
      fresh.ok();
      assertThat(remaining(fresh)).isEqualTo(1);
    }

    @Test
    @DisplayName("a per-credential limit (rate-limit.tokens) overrides rate-limit.requests for that credential only")
    void perCredential() {
      Limited l = limited(names -> limit(5, 60).put("tokens", new JsonObject().put(names + "a", 1)), 2);
      l.a().get(list()).ok();
      refused(l.a().get(list()));
      assertThat(l.a().get(list()).header("ratelimit-policy")).isEqualTo("\"default\";q=1;w=60");
      ApiResponse b = l.b().get(list());
      b.ok();
      assertThat(b.header("ratelimit-policy")).isEqualTo("\"default\";q=5;w=60");
    }
  }

  @Nested
  @DisplayName("lockout (rate-limit.lockout: true)")
  class Lockout {
    @Test
    @DisplayName("the request that passes the limit starts a whole window of refusals, outlasting the window it fell in; then a fresh window")
    void lockedForAWholeWindow() {
      Limited l = limited(limit(2, 4).put("lockout", true), 2);
      l.a().get(list()).ok();
      l.a().get(list()).ok();
      sleepSeconds(2.5);
      // Counting mode would say "the rest of this window" (about 2 s); lockout says a whole window.
      assertThat(refused(l.a().get(list()))).isEqualTo(4);
      sleepSeconds(2);
      // More than a window after the first request: counting mode would pass it; lockout refuses.
      long rest = refused(l.a().get(list()));
      assertThat(rest).isBetween(1L, 3L);
      assertThat(l.b().get(list()).status()).isEqualTo(200);
      sleepSeconds(rest + 0.2);
      ApiResponse fresh = l.a().get(list());
      fresh.ok();
      assertThat(remaining(fresh)).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("exact across event loops: 4 verticle instances, 400 concurrent requests, limit 150 → exactly 150 pass, each remaining count once")
  void exactAcrossEventLoops() throws Exception {
    Limited l = limited(limit(150, 300), 4);
    List<ApiResponse> answers = concurrently(400, i -> l.a());
    assertExactly(answers, 150);
  }

  /** Sends {@code n} list requests from 16 threads at once, request i through {@code client.apply(i)}. */
  protected static List<ApiResponse> concurrently(int n, IntFunction<ApiClient> client) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Callable<ApiResponse>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ApiClient c = client.apply(i);
        calls.add(() -> c.get(list()));
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

  /** Exactly {@code limit} passed, each with a distinct remaining count, and every other one is a 429. */
  protected static void assertExactly(List<ApiResponse> answers, int limit) {
    List<Long> passed = new ArrayList<>();
    int refusedCount = 0;
    for (ApiResponse r : answers) {
      if (r.status() == 200) {
        passed.add(remaining(r));
      } else {
        refused(r);
        refusedCount++;
      }
    }
    assertThat(passed).hasSize(limit);
    assertThat(passed).doesNotHaveDuplicates().allMatch(x -> x >= 0 && x < limit);
    assertThat(refusedCount).isEqualTo(answers.size() - limit);
  }
}
