package io.warpgw.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warpgw.contract.RegistrationStoreContract;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.spi.RegistrationStore;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RedisClusterStoreContractTest extends RegistrationStoreContract {
  private RedisTestCluster cluster;

  @Override
  protected Future<RegistrationStore> createStore(Vertx vertx) {
    cluster = RedisTestCluster.start();
    return new RedisStoreProvider().create(vertx, cluster.config());
  }

  @AfterAll
  void stopCluster() {
    cluster.close();
  }

  @Test
  @DisplayName("on a cluster, accounts spread over the masters and each keeps all its keys on one")
  void accountsSpread() {
    Keys keys = new Keys(cluster.keyPrefix());
    RandomRegistrations gen = new RandomRegistrations(11);
    Set<Integer> nodes = new HashSet<>();
    List<String> accounts = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String account = "spread-" + i + "-" + System.nanoTime();
      accounts.add(account);
      List<Registration> rs = gen.make(5);
      assertThat(awaitResult(store.insertBatch(account, rs))).isEmpty();
      int node = cluster.nodeOf(keys.base(account));
      nodes.add(node);
      for (Registration r : rs) {
        assertThat(Resp.call(node, "EXISTS", keys.record(account, r.id()))).isEqualTo(1L);
      }
      assertThat(awaitResult(store.list(account, RegistrationQuery.all().withStatus(io.warpgw.model.Status.ALL)))
          .items()).hasSize(5);
      AccountConsistency.check("127.0.0.1", node, keys, account);
    }
    assertThat(nodes).as("masters holding accounts").hasSizeGreaterThan(1);
    assertThat(awaitResult(store.accounts())).as("accounts() scans every master").containsAll(accounts);
  }

  @Test
  @DisplayName("the store computes the cluster slot of a route key as Redis does")
  void slotsAgree() {
    Keys keys = new Keys(cluster.keyPrefix());
    for (int n = 0; n < 50; n++) {
      assertThat((long) Masters.slot(keys.route(n)))
          .isEqualTo(Resp.call(cluster.nodes().get(0).port(), "CLUSTER", "KEYSLOT", keys.route(n)));
    }
  }

  private static <T> T awaitResult(Future<T> f) {
    return Await.result(f);
  }
}
