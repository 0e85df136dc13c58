package io.warpgw.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warpgw.error.ApiError;
import io.warpgw.error.GatewayException;
import io.warpgw.model.Device;
import io.warpgw.model.Page;
import io.warpgw.model.Policy;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The store's own behaviour, and its lists checked page by page against the memory store. */
class PostgresRegistrationStoreTest {
  private static Vertx vertx;
  private static RegistrationStore store;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    store = await(new PostgresStoreProvider().create(vertx, PostgresTestServer.config()));
  }

  @AfterAll
  static void stop() throws Exception {
    await(store.close());
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  static ApiError errorOf(Future<?> f) {
    Throwable t = catchFailure(f);
    assertThat(t).isInstanceOf(GatewayException.class);
    return ((GatewayException) t).error();
  }

  static Throwable catchFailure(Future<?> f) {
    try {
      f.await(30, TimeUnit.SECONDS);
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  @DisplayName("a registration reads back exactly as written, to the microsecond")
  void roundTrip() throws Exception {
    String account = Registrations.account();
    Instant t = Instant.parse("2024-02-29T23:59:59.999999Z");
    Registration r = new Registration("full", t, t.plusSeconds(1), t.minusNanos(1000),
        new Device("dev", "Name ☃ 😀", "2025.3.1"), "pk", "secp256r1", "masque",
        new User(null, "e@x", null), new Policy("pol", true, false, null, null), t,
        RegistrationType.BROWSER_EXTENSION);
    Registration emptyUser = new Registration("empty-user", t, t, t, new Device("d", "n", null), "k",
        null, null, new User(null, null, null), null, null, RegistrationType.WARP);
    await(store.create(account, r));
    await(store.create(account, emptyUser));
    assertThat(await(store.get(account, "full"))).isEqualTo(r);
    assertThat(await(store.get(account, "empty-user"))).isEqualTo(emptyUser);
    assertThat(errorOf(store.get(Registrations.account(), "full"))).isEqualTo(ApiError.NOT_FOUND);
  }

  @Test
  @DisplayName("create refuses an id the account already has, and only that account")
  void conflict() throws Exception {
    String account = Registrations.account();
    await(store.create(account, Registrations.simple("a")));
    assertThat(errorOf(store.create(account, Registrations.simple("a")))).isEqualTo(ApiError.CONFLICT);
    await(store.create(Registrations.account(), Registrations.simple("a")));
  }

  @Test
  @DisplayName("insertBatch stores the new ids and reports the existing ones")
  void insertBatch() throws Exception {
    String account = Registrations.account();
    await(store.create(account, Registrations.simple("b")));
    List<Registration> batch = List.of(Registrations.simple("a"), Registrations.simple("b"),
        Registrations.simple("c"));
    assertThat(await(store.insertBatch(account, batch))).containsExactly("b");
    assertThat(await(store.get(account, "c"))).isEqualTo(Registrations.simple("c"));
    assertThat(await(store.insertBatch(account, List.of()))).isEmpty();
  }

  @Test
  @DisplayName("update applies the patch and sets updated_at; an absent id is NOT_FOUND")
  void update() throws Exception {
    String account = Registrations.account();
    await(store.create(account, Registrations.simple("a")));
    Instant now = Registrations.BASE.plusSeconds(60);
    RegistrationPatch patch = new RegistrationPatch(now, "new-key", Optional.of("curve25519"),
        Optional.empty(), "Renamed", Optional.of("1.0"), Optional.of(new User("u", "u@x", "U")),
        null);
    Registration updated = await(store.update(account, "a", patch, now));
    assertThat(updated).isEqualTo(patch.applyTo(Registrations.simple("a"), now));
    assertThat(await(store.get(account, "a"))).isEqualTo(updated);
    assertThat(await(store.list(account, RegistrationQuery.all().withSort(SortField.ID,
        SortOrder.ASC))).items()).containsExactly(updated);
    RegistrationQuery byName = new RegistrationQuery(Set.of(), null, Set.of(), null,
        SearchText.fold("RENAMED"), null, null, Status.ACTIVE, null, SortField.CREATED_AT,
        SortOrder.ASC, 20, null);
    assertThat(await(store.list(account, byName)).items()).containsExactly(updated);
    assertThat(errorOf(store.update(account, "nope", patch, now))).isEqualTo(ApiError.NOT_FOUND);
  }

  @Test
  @DisplayName("delete removes one; an absent id is NOT_FOUND")
  void delete() throws Exception {
    String account = Registrations.account();
    await(store.create(account, Registrations.simple("a")));
    await(store.delete(account, "a"));
    assertThat(errorOf(store.get(account, "a"))).isEqualTo(ApiError.NOT_FOUND);
    assertThat(errorOf(store.delete(account, "a"))).isEqualTo(ApiError.NOT_FOUND);
  }

  @Test
  @DisplayName("bulk operations change all or nothing and name the missing ids, sorted")
  void bulkAllOrNothing() throws Exception {
    String account = Registrations.account();
    await(store.insertBatch(account, List.of(Registrations.simple("a"), Registrations.simple("b"))));
    Instant now = Registrations.BASE.plusSeconds(10);
    Throwable missing = catchFailure(store.revoke(account, Set.of("a", "z", "y"), now));
    assertThat(((GatewayException) missing).error()).isEqualTo(ApiError.NOT_FOUND);
    assertThat(missing.getMessage()).endsWith(": y, z");
    assertThat(await(store.get(account, "a")).revokedAt()).isNull();
    assertThat(errorOf(store.deleteAll(account, Set.of("a", "q")))).isEqualTo(ApiError.NOT_FOUND);
    assertThat(await(store.get(account, "a"))).isEqualTo(Registrations.simple("a"));

    await(store.revoke(account, Set.of("a"), now));
    Instant later = now.plusSeconds(10);
    await(store.revoke(account, Set.of("a", "b"), later));
    assertThat(await(store.get(account, "a")).revokedAt()).isEqualTo(now);
    assertThat(await(store.get(account, "a")).updatedAt()).isEqualTo(now);
    assertThat(await(store.get(account, "b")).revokedAt()).isEqualTo(later);

    Instant evenLater = later.plusSeconds(10);
    await(store.unrevoke(account, Set.of("a"), evenLater));
    await(store.unrevoke(account, Set.of("a"), evenLater.plusSeconds(1)));
    Registration a = await(store.get(account, "a"));
    assertThat(a.revokedAt()).isNull();
    assertThat(a.updatedAt()).isEqualTo(evenLater);

    await(store.deleteAll(account, Set.of("a", "b")));
    assertThat(await(store.list(account, RegistrationQuery.all().withStatus(Status.ALL))).items())
        .isEmpty();
  }

  @Test
  @DisplayName("every sort, order and filter pages exactly like the memory store")
  void listsMatchTheReference() throws Exception {
    String account = Registrations.account();
    List<Registration> all = Registrations.random(400, 42);
    MemoryRegistrationStore reference = new MemoryRegistrationStore();
    await(reference.insertBatch(account, all));
    assertThat(await(store.insertBatch(account, all))).isEmpty();

    Registration some = all.get(7);
    Set<String> manyIds = new HashSet<>(Set.of("absent"));
    for (int i = 0; i < all.size(); i += 5) {
      manyIds.add(all.get(i).id());
    }
    List<UnaryOperator<RegistrationQuery>> filters = List.of(
        q -> q,
        q -> q.withStatus(Status.ALL),
        q -> q.withStatus(Status.REVOKED),
        q -> with(q, Set.of(some.id(), all.get(8).id(), all.get(9).id(), "absent"), null, Set.of(),
            null, null, null, null, null),
        q -> with(q, Set.of(some.id()), null, Set.of(), null, null, null, null, null),
        q -> with(q, Set.of(), "d3", Set.of(), null, null, null, null, null),
        q -> with(q, Set.of(), null, Set.of("u1"), null, null, null, null, null),
        q -> with(q, Set.of(), null, Set.of("u1", "u2", "u7"), null, null, null, null, null),
        // Every user of the data merged branch by branch, then one more: user_id = ANY.
        q -> with(q, Set.of(), null, users(ListStatement.MAX_MERGED_USERS), null, null, null, null,
            null),
        q -> with(q, Set.of(), null, users(ListStatement.MAX_MERGED_USERS + 1), null, null, null,
            null, null),
        q -> with(q.withStatus(Status.ALL), Set.of(), null, Set.of("u3", "u4"), null, "a", null,
            null, null),
        // Many ids over several pages, and ids with another filter, ordered by the gateway.
        q -> with(q, manyIds, null, Set.of(), null, null, null, null, null),
        q -> with(q.withStatus(Status.ALL), manyIds, null, Set.of("u1", "u5"), null, null, null,
            null, null),
        q -> with(q, Set.of(), null, Set.of(), "p1", null, null, null, null),
        q -> with(q, Set.of(), null, Set.of(), null, "zo", null, null, null),
        q -> with(q, Set.of(), null, Set.of(), null, "%", null, null, null),
        q -> with(q, Set.of(), null, Set.of(), null, "a_", null, null, null),
        q -> with(q, Set.of(), null, Set.of(), null, "😀", null, null, null),
        q -> with(q, Set.of(), null, Set.of(), null, null, some.lastSeenAt(), null, null),
        q -> with(q, Set.of(), null, Set.of(), null, null, null, some.lastSeenAt(), null),
        q -> with(q, Set.of(), null, Set.of(), null, null, null, null,
            RegistrationType.BROWSER_EXTENSION));
    int checked = 0;
    for (SortField field : SortField.values()) {
      for (SortOrder order : SortOrder.values()) {
        for (UnaryOperator<RegistrationQuery> filter : filters) {
          RegistrationQuery q = filter.apply(RegistrationQuery.all().withSort(field, order))
              .withPerPage(field == SortField.USER_NAME ? 7 : 13);
          assertThat(walk(store, account, q)).as("%s", q).isEqualTo(walk(reference, account, q));
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(210);
  }

  /** u0, u1, ...: the user ids {@link Registrations#random} draws from (8 of them), then absent ones. */
  private static Set<String> users(int n) {
    Set<String> out = new HashSet<>();
    for (int i = 0; i < n; i++) {
      out.add("u" + i);
    }
    return out;
  }

  @Test
  @DisplayName("ids and merged users: exactly a page, a page and one, ties and missing names")
  void pageBoundariesOfTheNewShapes() throws Exception {
    String account = Registrations.account();
    List<Registration> rs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      // Same created_at for all, two users, names missing on some: every order falls to the id.
      Registration base = Registrations.simple("t" + (4 - i));
      rs.add(new Registration(base.id(), base.createdAt(), base.updatedAt(), base.lastSeenAt(),
          base.device(), base.key(), null, null,
          new User(i % 2 == 0 ? "ua" : "ub", null, i % 3 == 0 ? null : "n" + (i % 2)), null, null,
          RegistrationType.WARP));
    }
    MemoryRegistrationStore reference = new MemoryRegistrationStore();
    await(reference.insertBatch(account, rs));
    await(store.insertBatch(account, rs));
    Set<String> ids = Set.of("t0", "t1", "t2", "t3", "t4");
    for (SortField field : SortField.values()) {
      for (SortOrder order : SortOrder.values()) {
        for (int perPage : List.of(1, 2, 4, 5, 6)) {
          RegistrationQuery sorted = RegistrationQuery.all().withSort(field, order)
              .withPerPage(perPage);
          for (RegistrationQuery q : List.of(
              with(sorted, ids, null, Set.of(), null, null, null, null, null),
              with(sorted, Set.of(), null, Set.of("ua", "ub"), null, null, null, null, null))) {
            List<Object> pages = walk(store, account, q);
            assertThat(pages).as("%s", q).isEqualTo(walk(reference, account, q));
            // One page when everything fits, and never an empty last page.
            assertThat(pages).as("%s", q).hasSize(2 * ((5 + perPage - 1) / perPage));
          }
        }
      }
    }
  }

  private static RegistrationQuery with(RegistrationQuery q, Set<String> ids, String deviceId,
      Set<String> userIds, String policyId, String search, Instant seenAfter, Instant seenBefore,
      RegistrationType type) {
    return new RegistrationQuery(ids, deviceId, userIds, policyId,
        search == null ? null : SearchText.fold(search), seenAfter, seenBefore, q.status(), type,
        q.sortBy(), q.sortOrder(), q.perPage(), q.after());
  }

  @Test
  @DisplayName("rows written before the doc column list and render exactly as rows written with it")
  void rowsWithoutTheirDoc() throws Exception {
    String account = Registrations.account();
    List<Registration> all = Registrations.random(300, 7);
    assertThat(await(store.insertBatch(account, all))).isEmpty();
    Set<String> revoked = new HashSet<>();
    for (int i = 0; i < all.size(); i += 3) {
      revoked.add(all.get(i).id());
    }
    await(store.revoke(account, revoked, Instant.parse("2025-06-01T00:00:00.5Z")));
    // Every write stored the doc: a page can be copied from it.
    PostgresTestServer.execute(PostgresTestServer.uri(), "DO $$ BEGIN IF EXISTS (SELECT 1 FROM registrations"
        + " WHERE account_id = '" + account + "' AND doc IS NULL) THEN RAISE EXCEPTION 'a row without doc';"
        + " END IF; END $$");
    List<RegistrationQuery> queries = List.of(
        RegistrationQuery.all().withPerPage(40),
        RegistrationQuery.all().withStatus(Status.ALL).withPerPage(70),
        RegistrationQuery.all().withStatus(Status.REVOKED).withSort(SortField.USER_NAME, SortOrder.DESC)
            .withPerPage(25),
        with(RegistrationQuery.all(), Set.of(all.get(4).id(), all.get(5).id()), null, Set.of(), null,
            null, null, null, null));
    List<Object> withDoc = new ArrayList<>();
    for (RegistrationQuery q : queries) {
      withDoc.add(walk(store, account, q));
      withDoc.add(rendered(account, q));
    }
    PostgresTestServer.execute(PostgresTestServer.uri(),
        "UPDATE registrations SET doc = NULL WHERE account_id = '" + account + "'");
    List<Object> withoutDoc = new ArrayList<>();
    for (RegistrationQuery q : queries) {
      withoutDoc.add(walk(store, account, q));
      withoutDoc.add(rendered(account, q));
    }
    assertThat(withoutDoc).isEqualTo(withDoc);
  }

  /** Each page of the query as the gateway writes it, with and without the policy. */
  private static List<String> rendered(String account, RegistrationQuery q) throws Exception {
    List<String> bodies = new ArrayList<>();
    RegistrationQuery next = q;
    for (int i = 0; i < 100; i++) {
      Page page = await(store.list(account, next));
      for (boolean policy : List.of(true, false)) {
        bodies.add(io.warpgw.json.JsonBodies.page(page.items(), policy, q.perPage(),
            String.valueOf(page.next())).toString());
      }
      if (page.next() == null) {
        return bodies;
      }
      next = q.withAfter(page.next());
    }
    throw new AssertionError("too many pages");
  }

  /** Every page of the query, each page's items and next position in turn. */
  static List<Object> walk(RegistrationStore s, String account, RegistrationQuery q)
      throws Exception {
    List<Object> pages = new ArrayList<>();
    RegistrationQuery next = q;
    for (int i = 0; i < 1000; i++) {
      Page page = await(s.list(account, next));
      pages.add(page.items());
      pages.add(page.next());
      if (page.next() == null) {
        return pages;
      }
      next = q.withAfter(page.next());
    }
    throw new AssertionError("too many pages");
  }
}
