package io.warpgw.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.warpgw.model.Page;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationPatch;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.model.RegistrationType;
import io.warpgw.model.SearchText;
import io.warpgw.model.SortField;
import io.warpgw.model.SortOrder;
import io.warpgw.model.Status;
import io.warpgw.model.User;
import io.warpgw.spi.RegistrationStore;
import io.warpgw.store.memory.MemoryRegistrationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The memory store is the reference: on random data built to stress ordering and random queries, the
 * Redis store must return the same pages, page by page, cursor by cursor. Run twice: with the
 * production scan limits, and with tiny ones that force every list through resumed scans and
 * index walks instead of candidate sets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisStoreAgreesWithMemoryStoreTest {
  private static final List<String> TERMS = List.of("a", "zo", "\ud83d\ude00", "example", "-", "user-1",
      "\u00e9", "ab", "\u4e2d", "b", "dz", "1");

  private Vertx vertx;
  private RedisTestServer server;
  private RegistrationStore redis;
  private RegistrationStore tinyScans;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    server = RedisTestServer.start();
    RedisStoreConfig config = RedisStoreConfig.from(server.config());
    redis = Await.result(RedisStoreProvider.create(vertx, config, ListScan.Limits.DEFAULT));
    tinyScans = Await.result(RedisStoreProvider.create(vertx, config, new ListScan.Limits(3, 2)));
  }

  @AfterAll
  void stop() {
    Await.result(redis.close());
    Await.result(tinyScans.close());
    Await.result(vertx.close());
    server.close();
  }

  @Test
  @DisplayName("random queries page identically to the memory store, before and after random changes")
  void agrees() {
    RandomRegistrations gen = new RandomRegistrations(42);
    Random random = gen.random();
    String account = "acct-" + random.nextInt(1_000_000);
    MemoryRegistrationStore memory = new MemoryRegistrationStore();
    List<Registration> all = gen.make(400);
    Set<String> existing = Await.result(redis.insertBatch(account, all));
    assertThat(existing).isEmpty();
    Await.result(memory.insertBatch(account, all));

    compareQueries(gen, account, memory, all, 150);

    List<String> ids = new ArrayList<>(all.stream().map(Registration::id).toList());
    Instant now = Instant.parse("2030-01-01T00:00:00.000001Z");
    for (int round = 0; round < 60; round++) {
      Set<String> some = new HashSet<>();
      for (int i = 0; i < 1 + random.nextInt(5); i++) {
        some.add(gen.pick(ids));
      }
      switch (random.nextInt(4)) {
        case 0 -> {
          Await.result(redis.revoke(account, some, now));
          Await.result(memory.revoke(account, some, now));
        }
        case 1 -> {
          Await.result(redis.unrevoke(account, some, now));
          Await.result(memory.unrevoke(account, some, now));
        }
        case 2 -> {
          String id = gen.pick(ids);
          RegistrationPatch patch = new RegistrationPatch(gen.time(), "k2", Optional.empty(), null,
              "renamed " + round, null,
              Optional.ofNullable(random.nextBoolean() ? null : new User("user-9", "e" + round, gen.pick(RandomRegistrations.TEXTS))),
              Optional.empty());
          assertThat(Await.result(redis.update(account, id, patch, now)))
              .isEqualTo(Await.result(memory.update(account, id, patch, now)));
        }
        default -> {
          Await.result(redis.deleteAll(account, some));
          Await.result(memory.deleteAll(account, some));
          ids.removeAll(some);
        }
      }
      now = now.plusSeconds(1);
    }
    for (String id : ids) {
      assertThat(Await.result(redis.get(account, id))).isEqualTo(Await.result(memory.get(account, id)));
    }
    compareQueries(gen, account, memory, all, 150);
  }

  private void compareQueries(RandomRegistrations gen, String account, RegistrationStore memory,
      List<Registration> all, int count) {
    int items = 0;
    int nonEmpty = 0;
    for (int n = 0; n < count; n++) {
      RegistrationQuery q = randomQuery(gen, all);
      RegistrationStore store = n % 2 == 0 ? redis : tinyScans;
      int pages = 0;
      while (true) {
        Page expected = Await.result(memory.list(account, q));
        Page actual = Await.result(store.list(account, q));
        assertThat(actual).as("query %s, page %d", q, pages).isEqualTo(expected);
        items += expected.items().size();
        nonEmpty += expected.items().isEmpty() ? 0 : 1;
        if (expected.next() == null || ++pages > 100) {
          break;
        }
        q = q.withAfter(expected.next());
      }
    }
    // Guards the comparison itself: filters so narrow that every page is empty would prove nothing.
    assertThat(items).isGreaterThan(count * 20);
    assertThat(nonEmpty).isGreaterThan(count / 2);
    System.out.printf("compared %d items on %d non-empty pages%n", items, nonEmpty);
  }

  private static RegistrationQuery randomQuery(RandomRegistrations gen, List<Registration> all) {
    Random random = gen.random();
    Set<String> ids = new HashSet<>();
    if (random.nextInt(6) == 0) {
      for (int i = 0; i < 1 + random.nextInt(30); i++) {
        ids.add(random.nextInt(10) == 0 ? "nope" + i : gen.pick(all).id());
      }
    }
    Set<String> users = new HashSet<>();
    if (random.nextInt(6) == 0) {
      for (int i = 0; i < 1 + random.nextInt(3); i++) {
        users.add("user-" + random.nextInt(7));
      }
    }
    Instant seenAfter = random.nextInt(5) == 0 ? gen.time() : null;
    Instant seenBefore = random.nextInt(5) == 0 ? gen.time() : null;
    return new RegistrationQuery(ids,
        random.nextInt(6) == 0 ? "device-" + random.nextInt(20) : null,
        users,
        random.nextInt(6) == 0 ? "policy-" + random.nextInt(3) : null,
        random.nextInt(5) == 0 ? SearchText.fold(gen.pick(TERMS)) : null,
        seenAfter, seenBefore,
        gen.pick(List.of(Status.values())),
        random.nextInt(5) == 0 ? gen.pick(List.of(RegistrationType.values())) : null,
        gen.pick(List.of(SortField.values())),
        gen.pick(List.of(SortOrder.values())),
        gen.pick(List.of(1, 2, 5, 20, 1000)),
        null);
  }
}
