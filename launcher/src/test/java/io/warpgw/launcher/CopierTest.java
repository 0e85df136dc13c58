package io.warpgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warpgw.json.RegistrationJson;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.model.SortField;
import io.warpgw.model.SortOrder;
import io.warpgw.model.Status;
import io.warpgw.spi.RegistrationStore;
import io.warpgw.store.memory.MemoryRegistrationStore;
import io.warpgw.store.postgres.PostgresStoreProvider;
import io.warpgw.store.postgres.PostgresTestServer;
import io.warpgw.store.redis.RedisStoreProvider;
import io.warpgw.store.redis.RedisTestServer;
import io.warpgw.testkit.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Copying between backends")
class CopierTest {
  @Test
  @DisplayName("memory → PostgreSQL → Redis → memory ends byte-identical to the start, every account")
  void roundTrip() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (RedisTestServer redisServer = RedisTestServer.start()) {
      RegistrationStore start = new MemoryRegistrationStore();
      List<String> accounts = List.of(Fixtures.account(), Fixtures.account(), Fixtures.account());
      for (int i = 0; i < accounts.size(); i++) {
        List<Registration> rs = Fixtures.varied("c" + i, 1500 + i * 700, i);
        for (int j = 0; j < rs.size(); j += 1000) {
          await(start.insertBatch(accounts.get(i), rs.subList(j, Math.min(rs.size(), j + 1000))));
        }
      }
      RegistrationStore pg = await(new PostgresStoreProvider().create(vertx,
          PostgresTestServer.config(PostgresTestServer.freshDatabase())));
      RegistrationStore redis = await(new RedisStoreProvider().create(vertx, redisServer.config()));
      RegistrationStore end = new MemoryRegistrationStore();

      assertThat(await(new Copier(start, pg).copy(null)).copied()).isEqualTo(total(start, accounts));
      assertThat(await(new Copier(pg, redis).copy(null)).accounts()).isEqualTo(3);
      Copier.Result last = await(new Copier(redis, end).copy(null));
      assertThat(last.alreadyThere()).isZero();
      for (String a : accounts) {
        assertThat(dump(end, a)).as(a).isEqualTo(dump(start, a)).isNotEmpty();
      }
      Copier.Result again = await(new Copier(redis, end).copy(accounts.get(0)));
      assertThat(again.copied()).isZero();
      assertThat(again.alreadyThere()).isEqualTo(dump(start, accounts.get(0)).size());
      await(pg.close());
      await(redis.close());
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static long total(RegistrationStore s, List<String> accounts) throws Exception {
    long n = 0;
    for (String a : accounts) {
      n += dump(s, a).size();
    }
    return n;
  }

  /** Every registration of the account as the JSON a client would see, in id order. */
  private static List<String> dump(RegistrationStore s, String account) throws Exception {
    List<String> out = new ArrayList<>();
    RegistrationQuery q = RegistrationQuery.all().withStatus(Status.ALL).withSort(SortField.ID, SortOrder.ASC).withPerPage(1000);
    var page = await(s.list(account, q));
    while (true) {
      page.items().forEach(r -> out.add(RegistrationJson.toJson(r, true).encode()));
      if (page.next() == null) {
        return out;
      }
      page = await(s.list(account, q.withAfter(page.next())));
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(120, TimeUnit.SECONDS);
  }

}
