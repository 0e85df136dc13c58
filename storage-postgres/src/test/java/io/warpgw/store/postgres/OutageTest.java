package io.warpgw.store.postgres;

import static io.warpgw.store.postgres.PostgresRegistrationStoreTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.warpgw.error.ApiError;
import io.warpgw.error.GatewayException;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.spi.RegistrationStore;
import io.warpgw.testkit.ApiClient;
import io.warpgw.testkit.ApiResponse;
import io.warpgw.testkit.TestGateway;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stops under load and comes back on the same port and data: callers see only
 * UNAVAILABLE or TIMEOUT, never later than the store's deadline, and the same store instance serves
 * again within seconds. Runs its own embedded server, since it must stop it.
 */
class OutageTest {
  static final int STATEMENT_TIMEOUT_MS = 1_000;
  static final int CONNECT_TIMEOUT_MS = 1_000;
  static final int WORKERS = 12;

  private final Vertx vertx = Vertx.vertx();
  private RestartablePostgres pg;

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  @DisplayName("a database restart under load fails calls only with UNAVAILABLE or TIMEOUT (503 over HTTP, /ready too), in time, and the store recovers")
  void restartUnderLoad() throws Exception {
    pg = RestartablePostgres.start("outage-pg");
    JsonObject config = pg.storeConfig(4, 8, STATEMENT_TIMEOUT_MS);
    RegistrationStore store = await(new PostgresStoreProvider().create(vertx, config));
    TestGateway gateway = await(TestGateway.start(vertx, store));
    ApiClient api = new ApiClient(gateway.baseUrl(), gateway.writeToken());
    ApiClient operations = new ApiClient(gateway.rootUrl(), null);
    String account = Registrations.account();
    List<Registration> seed = Registrations.random(200, 7);
    await(store.insertBatch(account, seed));
    String one = ApiClient.accountPath(account) + "/" + seed.get(0).id();
    api.get(one).ok();
    assertThat(operations.get("/ready").status()).isEqualTo(200);

    Load load = new Load(store, account, seed);
    load.start();
    Thread.sleep(1_000);
    long okBeforeOutage = load.successes.sum();

    pg.stop();
    long stoppedAt = System.nanoTime();
    Thread.sleep(2_000);
    Throwable pingDown = catchFailure(store.ping());
    ApiResponse down = api.get(one);
    down.error(503, 1100);
    assertThat(down.header("retry-after")).isNotBlank();
    assertThat(operations.get("/ready").status()).isEqualTo(503);
    long okDuringOutage = load.successes.sum();
    Thread.sleep(300);
    long okLateInOutage = load.successes.sum() - okDuringOutage;

    pg.restart();
    long restartedAt = System.nanoTime();
    load.successAfter(restartedAt);
    long recoveredAt = load.awaitSuccessAfterRestart(15_000);
    Thread.sleep(1_000);
    load.stop();
    await(store.ping());
    api.get(one).ok();
    assertThat(operations.get("/ready").status()).isEqualTo(200);

    System.out.printf("outage: %d ok before, %d ok in the last 300 ms of the outage, failures %s, "
            + "slowest call %d ms, first success %d ms after the restart (outage lasted %d ms)%n",
        okBeforeOutage, okLateInOutage, load.failures, load.slowestMs.get(),
        (recoveredAt - restartedAt) / 1_000_000, (restartedAt - stoppedAt) / 1_000_000);
    assertThat(okBeforeOutage).isPositive();
    assertThat(okLateInOutage).isZero();
    assertThat(pingDown).isInstanceOf(GatewayException.class);
    assertThat(((GatewayException) pingDown).error()).isEqualTo(ApiError.UNAVAILABLE);
    assertThat(load.failures).isNotEmpty();
    assertThat(load.failures.keySet()).allMatch(k -> k.equals("UNAVAILABLE") || k.equals("TIMEOUT"),
        "only UNAVAILABLE or TIMEOUT");
    // The store's deadline, plus slack for a loaded machine's timers.
    assertThat(load.slowestMs.get())
        .isLessThanOrEqualTo(CONNECT_TIMEOUT_MS + STATEMENT_TIMEOUT_MS + 1_000 + 2_000);
    assertThat((recoveredAt - restartedAt) / 1_000_000).isLessThan(10_000);
    await(gateway.close());
    await(store.close());
  }


  private static Throwable catchFailure(Future<?> f) {
    return PostgresRegistrationStoreTest.catchFailure(f);
  }

  /** Workers that each call the store in a loop: reads, writes and bulk operations mixed. */
  final class Load {
    final RegistrationStore store;
    final String account;
    final List<Registration> seed;
    final AtomicBoolean running = new AtomicBoolean(true);
    final LongAdder successes = new LongAdder();
    final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    final AtomicLong slowestMs = new AtomicLong();
    final AtomicLong watchFrom = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong firstSuccessAfter = new AtomicLong();
    final AtomicInteger counter = new AtomicInteger();
    final List<Future<Void>> done = new ArrayList<>();

    Load(RegistrationStore store, String account, List<Registration> seed) {
      this.store = store;
      this.account = account;
      this.seed = seed;
    }

    void start() {
      for (int i = 0; i < WORKERS; i++) {
        Promise<Void> finished = Promise.promise();
        done.add(finished.future());
        vertx.runOnContext(v -> loop(finished));
      }
    }

    void stop() throws Exception {
      running.set(false);
      await(Future.all(done));
    }

    void successAfter(long nanos) {
      watchFrom.set(nanos);
    }

    long awaitSuccessAfterRestart(long timeoutMs) throws InterruptedException {
      long deadline = System.currentTimeMillis() + timeoutMs;
      while (firstSuccessAfter.get() == 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertThat(firstSuccessAfter.get()).as("a success after the restart").isPositive();
      return firstSuccessAfter.get();
    }

    private void loop(Promise<Void> finished) {
      if (!running.get()) {
        finished.complete();
        return;
      }
      long start = System.nanoTime();
      call(counter.incrementAndGet()).onComplete(ar -> {
        long end = System.nanoTime();
        slowestMs.accumulateAndGet((end - start) / 1_000_000, Math::max);
        if (ar.failed()) {
          Throwable t = ar.cause();
          String kind = t instanceof GatewayException g ? g.error().name() : t.getClass().getName()
              + ": " + t.getMessage();
          failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
        } else {
          successes.increment();
          if (start >= watchFrom.get()) {
            firstSuccessAfter.compareAndSet(0, end);
          }
        }
        // A short pause, so that a refused connection does not spin the loop.
        vertx.setTimer(2, id -> loop(finished));
      });
    }

    private Future<?> call(int n) {
      Registration r = seed.get(n % seed.size());
      Instant now = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(n);
      return switch (n % 5) {
        case 0 -> store.get(account, r.id());
        case 1 -> store.list(account, RegistrationQuery.all());
        case 2 -> store.revoke(account, Set.of(r.id(), seed.get((n + 1) % seed.size()).id()), now);
        case 3 -> store.unrevoke(account, Set.of(r.id()), now);
        default -> store.create(account, Registrations.simple("new-" + n));
      };
    }
  }
}
