package io.warpgw.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.warpgw.store.memory.MemoryRegistrationStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The load and its ledger on the memory store, with 503s injected by the admin fault rules (before
 * the store is called): the harness must accept a correct gateway, and see every failed write as
 * not committed.
 */
class SteadyLoadTest {
  @Test
  @DisplayName("steady load with injected 503s: answers checked, every write accounted for, none lost")
  void injectedFaults() throws Exception {
    Vertx vertx = Vertx.vertx();
    TestGateway gateway = TestGateway.start(vertx, new MemoryRegistrationStore()).await(30, TimeUnit.SECONDS);
    try {
      ApiClient admin = new ApiClient(gateway.rootUrl(), gateway.adminToken());
      WriteLedger ledger = new WriteLedger();
      SteadyLoad load = SteadyLoad.start(new SteadyLoad.Options(gateway.baseUrl(), gateway.writeToken(),
          List.of("load-a", "load-b"), 4, Duration.ofSeconds(10), 2), ledger);
      Thread.sleep(500);
      load.phase("fault");
      admin.send("PUT", "/__admin/faults",
          "{\"seed\":7,\"rules\":[{\"name\":\"flaky\",\"probability\":0.3,\"error\":{\"status\":503}},"
              + "{\"name\":\"slow\",\"probability\":0.1,\"error\":{\"status\":504}}]}", "application/json").ok();
      Thread.sleep(1_000);
      admin.delete("/__admin/faults").ok();
      var recovery = load.awaitRecovery("after", Duration.ofSeconds(10));
      Thread.sleep(300);
      load.stop();
      WriteLedger.Verification v = ledger.verify(new ApiClient(gateway.baseUrl(), gateway.writeToken()));
      System.out.printf("steady load (memory, injected faults):%n%s%n  recovery %s ms; %d acknowledged writes; %s%n",
          load.summary(), recovery, ledger.acknowledgedWrites(), v);
      assertThat(load.problems()).isEmpty();
      assertThat(v.problems()).isEmpty();
      assertThat(load.totals(SteadyLoad.BEFORE).keySet()).allMatch(s -> s.startsWith("20"));
      assertThat(load.totals("fault")).containsKeys("503/1100", "504/1101");
      assertThat(v.unsureWrites()).isPositive();
      assertThat(v.committedAnyway()).isZero();
      assertThat(recovery.values()).allMatch(ms -> ms >= 0);
    } finally {
      gateway.close().await(30, TimeUnit.SECONDS);
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
