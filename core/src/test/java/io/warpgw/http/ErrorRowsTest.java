package io.warpgw.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.warpgw.error.GatewayException;
import io.warpgw.model.Page;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationPatch;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.spi.RegistrationStore;
import io.warpgw.store.memory.MemoryRegistrationStore;
import io.warpgw.testkit.ApiClient;
import io.warpgw.testkit.TestGateway;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The rows of API.md's error table that only a failing store or a configured limit can produce: 500,
 * 503, 504 and 429, plus the header-size limit. A store that fails on chosen accounts stands in for a
 * broken backend (the real outages are tested in the store modules).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Failures from the store and limits")
class ErrorRowsTest {
  private Vertx vertx;
  private TestGateway gateway;
  private ApiClient api;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    gateway = TestGateway.start(vertx, new FailingStore(new MemoryRegistrationStore()),
        new JsonObject().put("rate-limit", new JsonObject().put("requests", 1000).put("window", 60)))
        .await(30, TimeUnit.SECONDS);
    api = new ApiClient(gateway.baseUrl(), gateway.writeToken());
  }

  @AfterAll
  void stop() throws Exception {
    gateway.close().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("an unexpected store failure → 500 (1): the message gives the request id, never the cause")
  void internal() {
    ApiResponseAssert r = new ApiResponseAssert(api.get("/accounts/boom/devices/registrations"));
    String message = r.response.error(500, 1);
    assertThat(message).contains(r.response.header("cf-ray")).doesNotContain("secret detail");
  }

  @Test
  @DisplayName("an unreachable store → 503 (1100) with Retry-After")
  void unavailable() {
    api.get("/accounts/down/devices/registrations").error(503, 1100);
    api.post("/accounts/down/devices/registrations/revoke?id=a", null).error(503, 1100);
  }

  @Test
  @DisplayName("a store that does not answer in time → 504 (1101) with Retry-After")
  void timeout() {
    api.get("/accounts/slow/devices/registrations/x").error(504, 1101);
  }

  @Test
  @DisplayName("/ready answers 503 (1100) while the store does not answer ping")
  void ready() {
    FailingStore.pingFails = true;
    try {
      new ApiClient(gateway.rootUrl(), null).get("/ready").error(503, 1100);
    } finally {
      FailingStore.pingFails = false;
    }
    new ApiClient(gateway.rootUrl(), null).get("/ready").ok();
  }

  @Test
  @DisplayName("past the configured rate limit → 429 (971) with Retry-After and Cloudflare's Ratelimit headers")
  void rateLimited() {
    ApiClient scoped = api.withToken(gateway.scopedToken());
    String path = "/accounts/" + TestGateway.SCOPED_ACCOUNT + "/devices/registrations";
    for (int i = 0; i < 1000; i++) {
      var r = scoped.get(path);
      assertThat(r.status()).isEqualTo(200);
      if (i == 0) {
        assertThat(r.header("ratelimit")).isEqualTo("\"default\";r=999;t=60");
        assertThat(r.header("ratelimit-policy")).isEqualTo("\"default\";q=1000;w=60");
      }
    }
    var limited = scoped.get(path);
    limited.error(429, 971);
    assertThat(Integer.parseInt(limited.header("retry-after"))).isBetween(1, 60);
    api.get("/accounts/other/devices/registrations").ok();
  }

  @Test
  @DisplayName("headers over http.max-header-size → 431 (1008)")
  void headersTooLarge() {
    api.send("GET", "/accounts/a/devices/registrations", null, null, "X-Big", "x".repeat(20_000)).error(431, 1008);
  }

  private record ApiResponseAssert(io.warpgw.testkit.ApiResponse response) {}

  /** Delegates to a real store, failing on the accounts named boom, down and slow. */
  static final class FailingStore implements RegistrationStore {
    static volatile boolean pingFails;
    private final RegistrationStore delegate;

    FailingStore(RegistrationStore delegate) {
      this.delegate = delegate;
    }

    private static <T> Future<T> check(String account, Future<T> otherwise) {
      return switch (account) {
        case "boom" -> Future.failedFuture(new IllegalStateException("secret detail"));
        case "down" -> Future.failedFuture(GatewayException.unavailable("the store is not reachable", null));
        case "slow" -> Future.failedFuture(GatewayException.timeout("the store did not answer within 5 s", null));
        default -> otherwise;
      };
    }

    @Override
    public Future<Page> list(String a, RegistrationQuery q) {
      return check(a, delegate.list(a, q));
    }

    @Override
    public Future<Registration> get(String a, String id) {
      return check(a, delegate.get(a, id));
    }

    @Override
    public Future<Registration> create(String a, Registration r) {
      return check(a, delegate.create(a, r));
    }

    @Override
    public Future<Set<String>> insertBatch(String a, List<Registration> b) {
      return check(a, delegate.insertBatch(a, b));
    }

    @Override
    public Future<Registration> update(String a, String id, RegistrationPatch p, Instant now) {
      return check(a, delegate.update(a, id, p, now));
    }

    @Override
    public Future<Void> delete(String a, String id) {
      return check(a, delegate.delete(a, id));
    }

    @Override
    public Future<Void> deleteAll(String a, Set<String> ids) {
      return check(a, delegate.deleteAll(a, ids));
    }

    @Override
    public Future<Void> revoke(String a, Set<String> ids, Instant now) {
      return check(a, delegate.revoke(a, ids, now));
    }

    @Override
    public Future<Void> unrevoke(String a, Set<String> ids, Instant now) {
      return check(a, delegate.unrevoke(a, ids, now));
    }

    @Override
    public Future<List<String>> accounts() {
      return delegate.accounts();
    }

    @Override
    public Future<Void> deleteAccount(String a) {
      return check(a, delegate.deleteAccount(a));
    }

    @Override
    public Future<Void> reset() {
      return delegate.reset();
    }

    @Override
    public Future<Void> ping() {
      return pingFails ? Future.failedFuture(GatewayException.unavailable("ping failed", null)) : delegate.ping();
    }

    @Override
    public Future<Void> close() {
      return delegate.close();
    }
  }
}
