package io.warpgw.store.postgres;

import static io.warpgw.store.postgres.PostgresRegistrationStoreTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warpgw.model.Device;
import io.warpgw.model.Policy;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationType;
import io.warpgw.model.User;
import io.warpgw.spi.RegistrationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The seed command stores millions of registrations through insertBatch: how fast does it go? */
class InsertBatchRateTest {
  static final int TOTAL = 100_000;
  static final int BATCH = 2_000;
  static final int IN_FLIGHT = 2;

  @Test
  @DisplayName("insertBatch stores seed-shaped registrations at tens of thousands per second")
  void rate() throws Exception {
    Vertx vertx = Vertx.vertx();
    RegistrationStore store = await(new PostgresStoreProvider().create(vertx,
        PostgresTestServer.config(PostgresTestServer.freshDatabase())));
    try {
      String account = Registrations.account();
      List<List<Registration>> batches = new ArrayList<>();
      for (int b = 0; b < TOTAL / BATCH; b++) {
        batches.add(batch(b));
      }
      await(store.insertBatch(Registrations.account(), batches.get(0)));

      long start = System.nanoTime();
      AtomicInteger next = new AtomicInteger();
      List<Future<Void>> lanes = new ArrayList<>();
      for (int i = 0; i < IN_FLIGHT; i++) {
        lanes.add(lane(store, account, batches, next));
      }
      await(Future.all(lanes));
      double seconds = (System.nanoTime() - start) / 1e9;
      double rate = TOTAL / seconds;
      System.out.printf("insertBatch: %d registrations in batches of %d, %d in flight: %.2f s, "
          + "%.0f registrations/s%n", TOTAL, BATCH, IN_FLIGHT, seconds, rate);
      // Speed is reported, never asserted (the machine is shared); each batch is checked as it lands.
    } finally {
      await(store.close());
      await(vertx.close());
    }
  }

  private static Future<Void> lane(RegistrationStore store, String account,
      List<List<Registration>> batches, AtomicInteger next) {
    int i = next.getAndIncrement();
    if (i >= batches.size()) {
      return Future.succeededFuture();
    }
    return store.insertBatch(account, batches.get(i)).compose(existing -> {
      assertThat(existing).isEmpty();
      return lane(store, account, batches, next);
    });
  }

  /** Like the launcher's seed: every field set, users and policies on most. */
  private static List<Registration> batch(int b) {
    Instant t = Instant.parse("2025-01-01T00:00:00Z");
    List<Registration> out = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      int n = b * BATCH + i;
      Instant at = t.plusMillis(n * 37L).plusNanos(1000L * (n % 999));
      out.add(new Registration("reg-" + n, at, at, at.plusSeconds(n % 86_400),
          new Device("device-" + n, "Laptop " + n, "2025.1." + (n % 10)), "key-" + n + "-abcdefghij",
          "curve25519", "wireguard", new User("user-" + (n / 3), "user" + (n / 3) + "@example.com",
              "User " + (n / 3)), n % 4 == 0 ? null : new Policy("policy-" + (n % 50), false, false,
              "Default", t), n % 20 == 0 ? at : null, RegistrationType.WARP));
    }
    return out;
  }
}
