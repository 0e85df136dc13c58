package io.warpgw.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.model.Status;
import io.warpgw.spi.RegistrationStore;
import io.warpgw.testkit.Fixtures;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Whole-store operations key by key: deleteAccount leaves nothing of an account larger than one
 * script chunk, and reset removes this store's keys and none of another store sharing the server
 * under a longer prefix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisWholeStoreTest {
  private RedisTestServer server;
  private Vertx vertx;
  private Keys keys;
  private Keys otherKeys;
  private RegistrationStore store;
  private RegistrationStore other;
  private String host;
  private int port;

  @BeforeAll
  void start() {
    server = RedisTestServer.start();
    URI uri = URI.create(server.uri());
    host = uri.getHost();
    port = uri.getPort();
    vertx = Vertx.vertx();
    keys = new Keys(server.keyPrefix());
    // Its prefix begins with this store's: a careless pattern would take its keys too.
    String otherPrefix = server.keyPrefix() + "x:";
    otherKeys = new Keys(otherPrefix);
    store = Await.result(new RedisStoreProvider().create(vertx, server.config()));
    other = Await.result(new RedisStoreProvider().create(vertx,
        server.config().put("key-prefix", otherPrefix)));
  }

  @AfterAll
  void stop() {
    Await.result(store.close());
    Await.result(other.close());
    Await.result(vertx.close());
    server.close();
  }

  @Test
  @DisplayName("deleteAccount removes every key of an account of several script chunks, active and revoked")
  void deleteLargeAccount() {
    String gone = Fixtures.account();
    String kept = Fixtures.account();
    List<Registration> rs = seed(store, gone, 2_500);
    int keptCount = seed(store, kept, 30).size();
    List<String> revoked = new ArrayList<>();
    for (int i = 0; i < rs.size(); i += 3) {
      revoked.add(rs.get(i).id());
    }
    Await.result(store.revoke(gone, new HashSet<>(revoked), Instant.parse("2026-01-01T00:00:00Z")));
    assertThat(scan(keys.base(gone) + ":*")).hasSizeGreaterThan(rs.size());

    Await.result(store.deleteAccount(gone));

    assertThat(scan(keys.base(gone) + ":*")).isEmpty();
    assertThat(AccountConsistency.check(host, port, keys, kept)).hasSize(keptCount);
    assertThat(Await.result(store.accounts())).contains(kept).doesNotContain(gone);
  }

  @Test
  @DisplayName("reset removes this store's keys and none of a store whose prefix extends this one's")
  void resetKeepsOtherPrefixes() {
    String theirs = Fixtures.account();
    int theirCount = seed(other, theirs, 40).size();
    List<String> ours = List.of(Fixtures.account(), Fixtures.account(), Fixtures.account());
    for (String a : ours) {
      seed(store, a, 1_200);
    }
    assertThat(Await.result(store.accounts())).containsAll(ours).doesNotContain(theirs);
    assertThat(Await.result(other.accounts())).containsExactly(theirs);
    int theirKeys = scan(otherKeys.base(theirs) + ":*").size();

    Await.result(store.reset());

    assertThat(scan(server.keyPrefix() + "{*")).isEmpty();
    assertThat(Await.result(store.accounts())).isEmpty();
    assertThat(scan(otherKeys.base(theirs) + ":*")).hasSize(theirKeys);
    assertThat(AccountConsistency.check(host, port, otherKeys, theirs)).hasSize(theirCount);
    assertThat(Await.result(other.list(theirs, RegistrationQuery.all().withStatus(Status.ALL)
        .withPerPage(100))).items()).hasSize(theirCount);
  }

  private static List<Registration> seed(RegistrationStore s, String account, int n) {
    List<Registration> rs = Fixtures.varied(account.substring(0, 4), n, n);
    for (int i = 0; i < rs.size(); i += 500) {
      assertThat(Await.result(s.insertBatch(account, rs.subList(i, Math.min(rs.size(), i + 500)))))
          .isEmpty();
    }
    return rs;
  }

  private List<String> scan(String pattern) {
    List<String> found = new ArrayList<>();
    String cursor = "0";
    do {
      List<?> r = (List<?>) Resp.call(host, port, "SCAN", cursor, "MATCH", pattern, "COUNT", "1000");
      cursor = (String) r.get(0);
      ((List<?>) r.get(1)).forEach(k -> found.add((String) k));
    } while (!cursor.equals("0"));
    return found;
  }
}
