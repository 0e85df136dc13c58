package io.warpgw.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.warpgw.spi.RegistrationStore;
import io.warpgw.testkit.OutageUnderLoad;
import io.warpgw.testkit.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A 3-master Redis Cluster under a steady HTTP load in one account per master; one master is killed
 * (SIGKILL) and started again on the same port, directory and nodes.conf. The accounts on the other
 * masters keep succeeding throughout; the killed master's account gets only 503/504 envelopes, then
 * succeeds again within seconds without restarting the gateway; every acknowledged write is present
 * and no failed one half applied.
 *
 * <p>The nodes run with {@code appendonly yes}, {@code appendfsync always} (no acknowledged write is
 * lost to the crash) and {@code cluster-require-full-coverage no} (with the default, yes, the other
 * masters refuse every command with CLUSTERDOWN once the cluster marks the dead one as failed, and
 * the whole store is down).
 */
class RedisClusterMasterKillUnderLoadTest {
  static final int TIMEOUT_MS = 5_000;
  static final Duration HANG = Duration.ofMillis(TIMEOUT_MS + 8_000);

  @Test
  @DisplayName("Redis Cluster: one master killed and restarted under HTTP load: other masters' accounts unaffected, its own 503/504 then recovery, no lost or half-applied write")
  void killOneMaster() throws Exception {
    try (RedisTestCluster cluster = RedisTestCluster.start("--appendonly", "yes", "--appendfsync", "always",
        "--cluster-require-full-coverage", "no")) {
      Map<Integer, String> accountOfMaster = new LinkedHashMap<>();
      for (int n = 0; accountOfMaster.size() < RedisTestCluster.MASTERS; n++) {
        String account = "cluster-load-" + n;
        accountOfMaster.putIfAbsent(cluster.nodeOf(cluster.keyPrefix() + "{" + account + "}"), account);
      }
      RedisProcess victim = cluster.nodes().get(0);
      String victimAccount = accountOfMaster.get(victim.port());
      List<String> accounts = new ArrayList<>(accountOfMaster.values());
      List<String> others = accounts.stream().filter(a -> !a.equals(victimAccount)).toList();

      Vertx vertx = Vertx.vertx();
      try {
        RegistrationStore store = Await.result(new RedisStoreProvider().create(vertx,
            cluster.config().put("pool-size", 8).put("max-wait-queue", 64).put("timeout-ms", TIMEOUT_MS)));
        TestGateway gateway = Await.result(TestGateway.start(vertx, store));
        OutageUnderLoad run = OutageUnderLoad.run(gateway, accounts, HANG, () -> {
          victim.kill();
          RedisProcess.sleep(3_000);
          victim.launch();
          return "appendfsync always";
        });
        run.print("redis cluster, master :" + victim.port() + " (account " + victimAccount + ") killed");
        run.assertHeld();
        for (String phase : List.of("before->fault", "fault", "fault->restarted", "restarted", "restarted->after", "after")) {
          for (String other : others) {
            assertThat(run.load.answers(phase).getOrDefault(other, Map.of()).keySet())
                .as("answers in %s on the surviving master's account %s", phase, other)
                .allMatch(s -> s.equals("200") || s.equals("201"));
          }
        }
        assertThat(run.load.answers("fault").get(victimAccount).keySet()).containsAnyOf("503/1100", "504/1101");
        Await.result(gateway.close());
        Await.result(store.close());
      } finally {
        Await.result(vertx.close());
      }
    }
  }
}
