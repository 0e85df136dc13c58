package io.warpgw.contract;

import static io.warpgw.contract.StoreAwait.await;
import static io.warpgw.contract.StoreAwait.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warpgw.error.ApiError;
import io.warpgw.json.RegistrationJson;
import io.warpgw.model.Device;
import io.warpgw.model.Page;
import io.warpgw.model.Policy;
import io.warpgw.model.Position;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationPatch;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.model.RegistrationType;
import io.warpgw.model.SearchText;
import io.warpgw.model.SortField;
import io.warpgw.model.SortOrder;
import io.warpgw.model.Status;
import io.warpgw.model.Timestamps;
import io.warpgw.model.User;
import io.warpgw.spi.BulkLoad;
import io.warpgw.spi.RegistrationStore;
import io.warpgw.testkit.Fixtures;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every {@link RegistrationStore} must do, read as a specification. A store module runs it by
 * subclassing and building its store against a real server in {@link #createStore}. Every test works
 * in accounts of its own, so the store is shared by the whole class and never cleaned.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("A registration store")
public abstract class RegistrationStoreContract {
  protected Vertx vertx;
  protected RegistrationStore store;

  /** Builds the store under test; called once per test class. */
  protected abstract Future<RegistrationStore> createStore(Vertx vertx);

  @BeforeAll
  void openStore() {
    vertx = Vertx.vertx();
    store = await(createStore(vertx));
  }

  @AfterAll
  void closeStore() {
    if (store != null) {
      await(store.close());
    }
    await(vertx.close());
  }

  protected List<Registration> seed(String account, List<Registration> rs) {
    for (int i = 0; i < rs.size(); i += 500) {
      assertThat(await(store.insertBatch(account, rs.subList(i, Math.min(rs.size(), i + 500))))).isEmpty();
    }
    return rs;
  }

  /** Follows positions to the end, checking that only the last page has no next position. */
  protected List<Registration> walk(String account, RegistrationQuery q) {
    List<Registration> all = new ArrayList<>();
    Position after = null;
    for (int pages = 0; pages < 100_000; pages++) {
      Page page = await(store.list(account, q.withAfter(after)));
      assertThat(page.items().size()).isLessThanOrEqualTo(q.perPage());
      all.addAll(page.items());
      if (page.next() == null) {
        return all;
      }
      assertThat(page.items()).as("a page with a next position is full").hasSize(q.perPage());
      after = page.next();
    }
    throw new AssertionError("did not reach the last page");
  }

  protected static List<Registration> expected(List<Registration> all, RegistrationQuery q) {
    return all.stream().filter(q::matches).sorted(q.sortBy().comparator(q.sortOrder())).toList();
  }

  protected static List<String> ids(List<Registration> rs) {
    return rs.stream().map(Registration::id).toList();
  }

  /** Compares the way a client sees it: the JSON the gateway would write. */
  protected static void assertSame(Registration actual, Registration expected) {
    assertThat(RegistrationJson.toJson(actual, true).encode())
        .isEqualTo(RegistrationJson.toJson(expected, true).encode());
  }

  @Nested
  @DisplayName("create and get")
  class CreateAndGet {
    @Test
    @DisplayName("reads back exactly what was created, every field")
    void roundTrip() {
      String account = Fixtures.account();
      for (Registration r : Fixtures.varied("rt", 40, 1)) {
        assertSame(await(store.create(account, r)), r);
        assertSame(await(store.get(account, r.id())), r);
      }
    }

    @Test
    @DisplayName("keeps microseconds, nulls and characters outside the BMP")
    void edges() {
      String account = Fixtures.account();
      Instant t = Instant.parse("2024-02-29T23:59:59.999999Z");
      Registration r = new Registration("edge-1", t, t.plusNanos(1000), Instant.parse("9999-12-31T23:59:59.999999Z"),
          new Device("d\uD83D\uDE00", "名前 \uD83D\uDE00", null), "k", null, null,
          new User(null, null, "\uD83D\uDE00"), null, Instant.parse("0001-01-01T00:00:00Z"),
          RegistrationType.BROWSER_EXTENSION);
      await(store.create(account, r));
      assertSame(await(store.get(account, "edge-1")), r);
      Registration noUser = new Registration("edge-2", t, t, t, new Device("d", "n", "v"), "k",
          "secp256r1", "masque", null, new Policy("p", true, true, null, t), null, RegistrationType.WARP);
      await(store.create(account, noUser));
      assertSame(await(store.get(account, "edge-2")), noUser);
    }

    @Test
    @DisplayName("refuses an id that exists in the account with CONFLICT, and keeps the first")
    void conflict() {
      String account = Fixtures.account();
      Registration first = Fixtures.simple("dup");
      await(store.create(account, first));
      Registration second = new Registration("dup", first.createdAt(), first.updatedAt(), first.lastSeenAt(),
          new Device("other", "other", null), "other", null, null, null, null, null, RegistrationType.WARP);
      failure(store.create(account, second), ApiError.CONFLICT);
      assertSame(await(store.get(account, "dup")), first);
    }

    @Test
    @DisplayName("keeps accounts apart: the same id lives in two accounts, and neither sees the other's")
    void accountsApart() {
      String a = Fixtures.account();
      String b = Fixtures.account();
      await(store.create(a, Fixtures.simple("same")));
      await(store.create(b, Fixtures.simple("same")));
      await(store.create(a, Fixtures.simple("only-a")));
      failure(store.get(b, "only-a"), ApiError.NOT_FOUND);
      assertThat(ids(walk(b, RegistrationQuery.all()))).containsExactly("same");
    }

    @Test
    @DisplayName("answers NOT_FOUND naming the id for an unknown id or account")
    void notFound() {
      String account = Fixtures.account();
      assertThat(failure(store.get(account, "nope"), ApiError.NOT_FOUND).getMessage()).contains("nope");
      await(store.create(account, Fixtures.simple("x")));
      failure(store.get(account, "nope"), ApiError.NOT_FOUND);
    }

    @Test
    @DisplayName("insertBatch stores the new ones and reports those that existed")
    void insertBatch() {
      String account = Fixtures.account();
      await(store.create(account, Fixtures.simple("b-1")));
      Set<String> existing = await(store.insertBatch(account,
          List.of(Fixtures.simple("b-0"), Fixtures.simple("b-1"), Fixtures.simple("b-2"))));
      assertThat(existing).containsExactly("b-1");
      assertThat(ids(walk(account, RegistrationQuery.all().withSort(SortField.ID, SortOrder.ASC))))
          .containsExactly("b-0", "b-1", "b-2");
    }

    @Test
    @DisplayName("answers ping")
    void ping() {
      await(store.ping());
    }
  }

  @Nested
  @DisplayName("update")
  class Update {
    @Test
    @DisplayName("changes only the given fields and sets updated_at")
    void patch() {
      String account = Fixtures.account();
      Registration r = await(store.create(account, Fixtures.simple("p")));
      Instant now = Timestamps.truncate(Instant.now().plusSeconds(10));
      Instant seen = Instant.parse("2026-01-02T03:04:05.678901Z");
      RegistrationPatch patch = new RegistrationPatch(seen, "new-key", Optional.empty(), Optional.of("masque"),
          "renamed", null, Optional.of(new User("u2", "u2@example.com", null)), null);
      Registration updated = await(store.update(account, "p", patch, now));
      Registration expected = patch.applyTo(r, now);
      assertSame(updated, expected);
      assertSame(await(store.get(account, "p")), expected);
    }

    @Test
    @DisplayName("can clear the user and the policy, and the filters follow")
    void clear() {
      String account = Fixtures.account();
      await(store.create(account, Fixtures.simple("c")));
      Instant now = Timestamps.truncate(Instant.now());
      await(store.update(account, "c", new RegistrationPatch(null, null, null, null, null, Optional.empty(),
          Optional.empty(), Optional.empty()), now));
      Registration r = await(store.get(account, "c"));
      assertThat(r.user()).isNull();
      assertThat(r.policy()).isNull();
      assertThat(r.device().clientVersion()).isNull();
      RegistrationQuery byUser = new RegistrationQuery(Set.of(), null, Set.of("user-c"), null, null, null, null,
          Status.ALL, null, SortField.ID, SortOrder.ASC, 10, null);
      assertThat(await(store.list(account, byUser)).items()).isEmpty();
      RegistrationQuery byName = RegistrationQuery.all().withSort(SortField.USER_NAME, SortOrder.ASC);
      assertThat(ids(walk(account, byName))).containsExactly("c");
    }

    @Test
    @DisplayName("answers NOT_FOUND for an unknown id")
    void unknown() {
      failure(store.update(Fixtures.account(), "x", new RegistrationPatch(null, "k", null, null, null, null,
          null, null), Instant.now()), ApiError.NOT_FOUND);
    }
  }

  @Nested
  @DisplayName("delete")
  class Delete {
    @Test
    @DisplayName("removes one: later gets are NOT_FOUND and lists never show it")
    void one() {
      String account = Fixtures.account();
      seed(account, List.of(Fixtures.simple("d-1"), Fixtures.simple("d-2")));
      await(store.delete(account, "d-1"));
      failure(store.get(account, "d-1"), ApiError.NOT_FOUND);
      failure(store.delete(account, "d-1"), ApiError.NOT_FOUND);
      for (SortField f : SortField.values()) {
        assertThat(ids(walk(account, RegistrationQuery.all().withSort(f, SortOrder.ASC).withStatus(Status.ALL))))
            .containsExactly("d-2");
      }
    }

    @Test
    @DisplayName("bulk: all or nothing; a missing id fails NOT_FOUND naming it and deletes none")
    void bulkAllOrNothing() {
      String account = Fixtures.account();
      seed(account, List.of(Fixtures.simple("a"), Fixtures.simple("b"), Fixtures.simple("c")));
      String message = failure(store.deleteAll(account, new LinkedHashSet<>(List.of("a", "zz-missing", "b", "yy-missing"))),
          ApiError.NOT_FOUND).getMessage();
      assertThat(message).contains("zz-missing", "yy-missing").doesNotContain(" a,", " b,");
      assertThat(ids(walk(account, RegistrationQuery.all().withSort(SortField.ID, SortOrder.ASC))))
          .containsExactly("a", "b", "c");
      await(store.deleteAll(account, Set.of("a", "c")));
      assertThat(ids(walk(account, RegistrationQuery.all().withSort(SortField.ID, SortOrder.ASC))))
          .containsExactly("b");
    }
  }

  @Nested
  @DisplayName("revoke and unrevoke")
  class Revocation {
    @Test
    @DisplayName("revoke sets revoked_at and updated_at on those not yet revoked and leaves the others")
    void revoke() {
      String account = Fixtures.account();
      seed(account, List.of(Fixtures.simple("r-1"), Fixtures.simple("r-2")));
      Instant first = Timestamps.truncate(Instant.now().plusSeconds(1));
      await(store.revoke(account, Set.of("r-1"), first));
      Instant second = first.plusSeconds(5);
      await(store.revoke(account, Set.of("r-1", "r-2"), second));
      Registration r1 = await(store.get(account, "r-1"));
      Registration r2 = await(store.get(account, "r-2"));
      assertThat(r1.revokedAt()).isEqualTo(first);
      assertThat(r1.updatedAt()).isEqualTo(first);
      assertThat(r2.revokedAt()).isEqualTo(second);
      assertThat(r2.updatedAt()).isEqualTo(second);
    }

    @Test
    @DisplayName("unrevoke clears revoked_at and sets updated_at on those revoked only")
    void unrevoke() {
      String account = Fixtures.account();
      Registration active = Fixtures.simple("u-1");
      seed(account, List.of(active, Fixtures.simple("u-2")));
      Instant t1 = Timestamps.truncate(Instant.now().plusSeconds(1));
      await(store.revoke(account, Set.of("u-2"), t1));
      Instant t2 = t1.plusSeconds(1);
      await(store.unrevoke(account, Set.of("u-1", "u-2"), t2));
      assertSame(await(store.get(account, "u-1")), active);
      Registration u2 = await(store.get(account, "u-2"));
      assertThat(u2.revokedAt()).isNull();
      assertThat(u2.updatedAt()).isEqualTo(t2);
    }

    @Test
    @DisplayName("is all or nothing: a missing id fails NOT_FOUND and revokes none")
    void allOrNothing() {
      String account = Fixtures.account();
      seed(account, List.of(Fixtures.simple("x-1")));
      failure(store.revoke(account, Set.of("x-1", "x-missing"), Instant.now()), ApiError.NOT_FOUND);
      assertThat(await(store.get(account, "x-1")).revokedAt()).isNull();
      await(store.revoke(account, Set.of("x-1"), Timestamps.truncate(Instant.now())));
      failure(store.unrevoke(account, Set.of("x-1", "x-missing"), Instant.now()), ApiError.NOT_FOUND);
      assertThat(await(store.get(account, "x-1")).revokedAt()).isNotNull();
    }

    @Test
    @DisplayName("handles 1000 ids in one step, and status filters follow")
    void thousand() {
      String account = Fixtures.account();
      List<Registration> rs = IntStream.range(0, 1000).mapToObj(i -> Fixtures.simple("t-" + i)).toList();
      seed(account, rs);
      await(store.revoke(account, new HashSet<>(ids(rs)), Timestamps.truncate(Instant.now())));
      RegistrationQuery revoked = RegistrationQuery.all().withStatus(Status.REVOKED).withPerPage(1000);
      assertThat(walk(account, revoked)).hasSize(1000);
      assertThat(walk(account, RegistrationQuery.all())).isEmpty();
      await(store.unrevoke(account, new HashSet<>(ids(rs)), Timestamps.truncate(Instant.now())));
      assertThat(walk(account, RegistrationQuery.all().withPerPage(1000))).hasSize(1000);
    }

    @Test
    @DisplayName("is atomic: a concurrent reader sees all of a bulk revoke or none of it")
    void atomic() throws Exception {
      String account = Fixtures.account();
      List<Registration> rs = IntStream.range(0, 300).mapToObj(i -> Fixtures.simple("at-" + i)).toList();
      seed(account, rs);
      Set<String> all = new HashSet<>(ids(rs));
      RegistrationQuery revoked = RegistrationQuery.all().withStatus(Status.REVOKED).withPerPage(1000);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Integer> torn = new AtomicReference<>();
      Thread reader = new Thread(() -> {
        while (!stop.get()) {
          int n = await(store.list(account, revoked)).items().size();
          if (n != 0 && n != 300) {
            torn.set(n);
          }
        }
      });
      reader.start();
      for (int i = 0; i < 10; i++) {
        await(store.revoke(account, all, Timestamps.truncate(Instant.now())));
        await(store.unrevoke(account, all, Timestamps.truncate(Instant.now())));
      }
      stop.set(true);
      reader.join();
      assertThat(torn.get()).as("a reader saw a partly applied revoke").isNull();
    }
  }

  @Nested
  @DisplayName("list order (API.md: code-point order, id tie-break, missing names and emails last in asc)")
  class Order {
    @ParameterizedTest(name = "sort_by={0}")
    @EnumSource(SortField.class)
    @DisplayName("pages through every sort field, both directions, in exactly the reference order")
    void everySort(SortField field) {
      String account = Fixtures.account();
      List<Registration> all = seed(account, Fixtures.varied("o", 180, 7));
      for (SortOrder order : SortOrder.values()) {
        for (int perPage : new int[] {1, 7, 1000}) {
          RegistrationQuery q = RegistrationQuery.all().withStatus(Status.ALL).withSort(field, order).withPerPage(perPage);
          assertThat(ids(walk(account, q))).as("%s %s per_page=%d", field, order, perPage)
              .containsExactlyElementsOf(ids(expected(all, q)));
        }
      }
    }

    @Test
    @DisplayName("orders by code point, not UTF-16 unit: U+FF21 before U+1F600")
    void codePoints() {
      String account = Fixtures.account();
      Instant t = Fixtures.BASE;
      seed(account, List.of(
          withUser("cp-1", new User(null, null, "\uD83D\uDE00")),
          withUser("cp-2", new User(null, null, "\uFF21")),
          withUser("cp-3", new User(null, null, "Z")),
          withUser("cp-4", null),
          withUser("cp-5", new User("only-id", null, null))));
      RegistrationQuery asc = RegistrationQuery.all().withSort(SortField.USER_NAME, SortOrder.ASC);
      assertThat(ids(walk(account, asc))).containsExactly("cp-3", "cp-2", "cp-1", "cp-4", "cp-5");
      RegistrationQuery desc = RegistrationQuery.all().withSort(SortField.USER_NAME, SortOrder.DESC);
      assertThat(ids(walk(account, desc))).containsExactly("cp-5", "cp-4", "cp-1", "cp-2", "cp-3");
    }

    private Registration withUser(String id, User user) {
      Registration s = Fixtures.simple(id);
      return new Registration(id, s.createdAt(), s.updatedAt(), s.lastSeenAt(), s.device(), s.key(),
          s.keyType(), s.tunnelType(), user, s.policy(), null, s.registrationType());
    }

    @Test
    @DisplayName("returns next = null exactly when nothing further matches, also on a full last page")
    void exactLastPage() {
      String account = Fixtures.account();
      seed(account, IntStream.range(0, 10).mapToObj(i -> Fixtures.simple("e-" + i)).toList());
      Page page = await(store.list(account, RegistrationQuery.all().withPerPage(10)));
      assertThat(page.items()).hasSize(10);
      assertThat(page.next()).isNull();
      Page first = await(store.list(account, RegistrationQuery.all().withPerPage(5)));
      assertThat(first.next()).isNotNull();
      Page second = await(store.list(account, RegistrationQuery.all().withPerPage(5).withAfter(first.next())));
      assertThat(second.items()).hasSize(5);
      assertThat(second.next()).isNull();
      assertThat(await(store.list(Fixtures.account(), RegistrationQuery.all())).items()).isEmpty();
    }
  }

  @Nested
  @DisplayName("list filters (AND between filters, OR within one)")
  class Filters {
    private final String account = Fixtures.account();
    private List<Registration> all;

    private List<Registration> data() {
      if (all == null) {
        all = seed(account, Fixtures.varied("f", 150, 11));
      }
      return all;
    }

    private void check(String what, RegistrationQuery q) {
      List<Registration> rs = data();
      for (SortField f : new SortField[] {SortField.CREATED_AT, SortField.USER_NAME, SortField.ID}) {
        RegistrationQuery sorted = q.withSort(f, q.sortOrder()).withPerPage(9);
        List<Registration> want = expected(rs, sorted);
        assertThat(ids(walk(account, sorted))).as(what + " sorted by " + f).containsExactlyElementsOf(want.stream().map(Registration::id).toList());
      }
    }

    private RegistrationQuery q(Set<String> ids, String device, Set<String> users, String policy, String search,
        Instant after, Instant before, Status status, RegistrationType type) {
      return new RegistrationQuery(ids, device, users, policy, search, after, before, status, type,
          SortField.CREATED_AT, SortOrder.ASC, 20, null);
    }

    @Test
    @DisplayName("by id, device, user, policy, alone")
    void equality() {
      List<Registration> rs = data();
      Set<String> someIds = Set.of(rs.get(0).id(), rs.get(5).id(), rs.get(9).id(), "f-not-there");
      check("ids", q(someIds, null, Set.of(), null, null, null, null, Status.ALL, null));
      check("device", q(Set.of(), rs.get(3).device().id(), Set.of(), null, null, null, null, Status.ALL, null));
      check("users", q(Set.of(), null, Set.of("u-1", "u-3"), null, null, null, null, Status.ALL, null));
      check("policy", q(Set.of(), null, Set.of(), "policy-eng", null, null, null, Status.ALL, null));
      check("unknown device", q(Set.of(), "nothing", Set.of(), null, null, null, null, Status.ALL, null));
    }

    @Test
    @DisplayName("by status and registration type")
    void statusAndType() {
      for (Status s : Status.values()) {
        check("status " + s, q(Set.of(), null, Set.of(), null, null, null, null, s, null));
      }
      for (RegistrationType t : RegistrationType.values()) {
        check("type " + t, q(Set.of(), null, Set.of(), null, null, null, null, Status.ALL, t));
      }
    }

    @Test
    @DisplayName("by last_seen_at, strictly after and strictly before")
    void seen() {
      List<Registration> rs = data();
      Instant pivot = rs.get(10).lastSeenAt();
      check("after", q(Set.of(), null, Set.of(), null, null, pivot, null, Status.ALL, null));
      check("before", q(Set.of(), null, Set.of(), null, null, null, pivot, Status.ALL, null));
      check("between", q(Set.of(), null, Set.of(), null, null, pivot.minusSeconds(20), pivot.plusSeconds(20), Status.ALL, null));
      assertThat(walk(account, q(Set.of(rs.get(10).id()), null, Set.of(), null, null, pivot, null, Status.ALL, null))).isEmpty();
    }

    @Test
    @DisplayName("by search: case-insensitive substring of id, device id and name, user id, email and name")
    void search() {
      for (String term : List.of("alice", "ALICE", "zoë", "ZOË", "ωmega", "\uD83D\uDE00", "example.com", "f-0001",
          "device-1", "u-2", "laptop", "%", "_", "\\", "nothing-matches-this")) {
        String folded = SearchText.fold(term);
        check("search " + term, q(Set.of(), null, Set.of(), null, folded, null, null, Status.ALL, null));
      }
    }

    @Test
    @DisplayName("combined with AND")
    void combined() {
      List<Registration> rs = data();
      check("users+policy+active", q(Set.of(), null, Set.of("u-1", "u-2", "u-4"), "policy-default", null, null, null,
          Status.ACTIVE, null));
      check("search+type", q(Set.of(), null, Set.of(), null, "a", null, null, Status.ALL, RegistrationType.WARP));
      check("ids+seen", q(new HashSet<>(ids(rs.subList(0, 40))), null, Set.of(), null, null,
          rs.get(3).lastSeenAt(), null, Status.REVOKED, null));
    }
  }

  @Nested
  @DisplayName("bulk loads (seed, copy)")
  class BulkLoading {
    @Test
    @DisplayName("a load into new accounts stores every registration, indexed for every sort and filter")
    void intoNewAccounts() {
      String a = Fixtures.account();
      String b = Fixtures.account();
      List<Registration> inA = exactly("bl-a", 1700, 11);
      List<Registration> inB = exactly("bl-b", 300, 12);
      BulkLoad load = await(store.bulkLoad());
      await(load.add(a, inA.subList(0, 1500)));
      await(load.add(b, inB.subList(0, 100)));
      await(load.add(a, inA.subList(1500, 1700)));
      await(load.add(b, inB.subList(100, 300)));
      assertThat(await(load.finish())).isEqualTo(2000L);
      assertLoaded(a, inA);
      assertLoaded(b, inB);
    }

    @Test
    @DisplayName("into an account that has registrations, ids already there are left as they are and not counted")
    void intoAFilledAccount() {
      String account = Fixtures.account();
      List<Registration> before = seed(account, exactly("bl-f", 200, 13));
      List<Registration> loaded = new ArrayList<>(exactly("bl-n", 150, 14));
      Instant later = Fixtures.BASE.plus(500, ChronoUnit.DAYS);
      for (Registration r : before.subList(0, 50)) {
        loaded.add(new RegistrationPatch(later, "other-key", null, null, "other name", null, null, null)
            .applyTo(r, later));
      }
      BulkLoad load = await(store.bulkLoad());
      await(load.add(account, loaded));
      assertThat(await(load.finish())).isEqualTo(150L);
      List<Registration> all = new ArrayList<>(before);
      all.addAll(loaded.subList(0, 150));
      assertLoaded(account, all);
    }

    @Test
    @DisplayName("what a load stored takes later changes like anything else")
    void changedAfterwards() {
      String account = Fixtures.account();
      List<Registration> all = exactly("bl-c", 400, 16);
      BulkLoad load = await(store.bulkLoad());
      await(load.add(account, all));
      assertThat(await(load.finish())).isEqualTo(400L);
      Instant now = Fixtures.BASE.plus(400, ChronoUnit.DAYS);
      Set<String> revoked = new LinkedHashSet<>(ids(all.subList(0, 40)));
      await(store.revoke(account, revoked, now));
      Set<String> deleted = new LinkedHashSet<>(ids(all.subList(40, 80)));
      await(store.deleteAll(account, deleted));
      await(store.update(account, all.get(80).id(), new RegistrationPatch(now, null, null, null,
          "renamed", null, null, null), now));
      List<Registration> expected = new ArrayList<>();
      for (Registration r : all) {
        if (deleted.contains(r.id())) {
          continue;
        }
        expected.add(await(store.get(account, r.id())));
      }
      assertThat(expected.stream().filter(r -> revoked.contains(r.id())).allMatch(Registration::revoked)).isTrue();
      assertThat(expected.stream().filter(r -> r.id().equals(all.get(80).id())).findFirst().orElseThrow()
          .device().name()).isEqualTo("renamed");
      assertLoaded(account, expected);
    }

    /** {@code n} varied registrations with distinct ids ({@link Fixtures#varied} may drop some). */
    private List<Registration> exactly(String prefix, int n, long seed) {
      return new ArrayList<>(Fixtures.varied(prefix, 2 * n, seed).subList(0, n));
    }

    private RegistrationQuery filter(String deviceId, Set<String> userIds, String policyId) {
      return new RegistrationQuery(Set.of(), deviceId, userIds, policyId, null, null, null, Status.ALL, null,
          SortField.CREATED_AT, SortOrder.ASC, RegistrationQuery.DEFAULT_PER_PAGE, null);
    }

    /** Every sort both ways, the equality filters and get agree with the registrations given. */
    private void assertLoaded(String account, List<Registration> all) {
      for (Registration r : all) {
        assertSame(await(store.get(account, r.id())), r);
      }
      for (SortField field : SortField.values()) {
        for (SortOrder order : SortOrder.values()) {
          RegistrationQuery q = RegistrationQuery.all().withStatus(Status.ALL).withSort(field, order).withPerPage(97);
          assertThat(ids(walk(account, q))).as("%s %s", field, order).containsExactlyElementsOf(ids(expected(all, q)));
        }
      }
      Registration probe = all.get(all.size() / 2);
      List<RegistrationQuery> filters = new ArrayList<>();
      filters.add(filter(probe.device().id(), Set.of(), null));
      if (probe.policy() != null) {
        filters.add(filter(null, Set.of(), probe.policy().id()));
      }
      if (probe.userId() != null) {
        filters.add(filter(null, Set.of(probe.userId()), null));
      }
      filters.add(RegistrationQuery.all().withStatus(Status.REVOKED));
      for (RegistrationQuery q : filters) {
        assertThat(ids(walk(account, q.withPerPage(50)))).containsExactlyElementsOf(ids(expected(all, q)));
      }
    }
  }

  @Nested
  @DisplayName("whole accounts")
  class Accounts {
    @Test
    @DisplayName("accounts() names every account holding a registration, in code-point order")
    void list() {
      String a = "acct-\uFF21-" + Fixtures.account();
      String b = "acct-\uD83D\uDE00-" + Fixtures.account();
      String empty = Fixtures.account();
      await(store.create(a, Fixtures.simple("x")));
      await(store.create(b, Fixtures.simple("y")));
      await(store.create(empty, Fixtures.simple("z")));
      await(store.delete(empty, "z"));
      List<String> names = await(store.accounts());
      assertThat(names).contains(a, b).doesNotContain(empty);
      assertThat(names.indexOf(a)).isLessThan(names.indexOf(b));
    }

    @Test
    @DisplayName("deleteAccount removes all of one account and nothing of the others; the account can be used again")
    void deleteAccount() {
      String gone = Fixtures.account();
      String kept = Fixtures.account();
      seed(gone, Fixtures.varied("g", 300, 8));
      int keptCount = seed(kept, Fixtures.varied("k", 20, 9)).size();
      await(store.deleteAccount(gone));
      assertThat(walk(gone, RegistrationQuery.all().withStatus(Status.ALL).withPerPage(1000))).isEmpty();
      for (SortField f : SortField.values()) {
        assertThat(await(store.list(gone, RegistrationQuery.all().withStatus(Status.ALL).withSort(f, SortOrder.DESC))).items()).isEmpty();
      }
      failure(store.get(gone, "g-00001"), ApiError.NOT_FOUND);
      assertThat(await(store.accounts())).doesNotContain(gone).contains(kept);
      assertThat(walk(kept, RegistrationQuery.all().withStatus(Status.ALL))).hasSize(keptCount);
      await(store.create(gone, Fixtures.simple("g-00001")));
      assertThat(ids(walk(gone, RegistrationQuery.all()))).containsExactly("g-00001");
      await(store.deleteAccount(Fixtures.account()));
    }

    @Test
    @DisplayName("deleteAccount is atomic: a concurrent reader sees all of the account or none of it")
    void atomic() throws Exception {
      String account = Fixtures.account();
      List<Registration> rs = IntStream.range(0, 300).mapToObj(i -> Fixtures.simple("da-" + i)).toList();
      RegistrationQuery q = RegistrationQuery.all().withPerPage(1000);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Integer> torn = new AtomicReference<>();
      Thread reader = new Thread(() -> {
        while (!stop.get()) {
          int n = await(store.list(account, q)).items().size();
          if (n != 0 && n != 300) {
            torn.set(n);
          }
        }
      });
      reader.start();
      for (int i = 0; i < 5; i++) {
        seed(account, rs);
        await(store.deleteAccount(account));
      }
      stop.set(true);
      reader.join();
      assertThat(torn.get()).as("a reader saw a partly deleted account").isNull();
    }

    @Test
    @DisplayName("reset removes every account")
    void reset() {
      String a = Fixtures.account();
      seed(a, Fixtures.varied("r", 50, 1));
      await(store.reset());
      assertThat(await(store.accounts())).isEmpty();
      assertThat(walk(a, RegistrationQuery.all().withStatus(Status.ALL))).isEmpty();
      await(store.create(a, Fixtures.simple("after")));
      assertThat(await(store.accounts())).containsExactly(a);
    }
  }

  @Nested
  @DisplayName("paging under change")
  class Paging {
    @ParameterizedTest(name = "sort_by={0}")
    @EnumSource(SortField.class)
    @DisplayName("returns every registration that stays exactly once while others come and go between pages")
    void stableUnderChurn(SortField field) {
      String account = Fixtures.account();
      List<Registration> stable = seed(account, Fixtures.varied("s", 120, 3));
      for (SortOrder order : SortOrder.values()) {
        RegistrationQuery q = RegistrationQuery.all().withStatus(Status.ALL).withSort(field, order).withPerPage(10);
        List<String> seen = new ArrayList<>();
        Position after = null;
        int round = 0;
        do {
          Page page = await(store.list(account, q.withAfter(after)));
          page.items().stream().map(Registration::id).filter(id -> id.startsWith("s-")).forEach(seen::add);
          after = page.next();
          // churn: add two, delete one added earlier
          List<Registration> extra = Fixtures.varied("churn" + order.ordinal() + "x" + round, 2, round);
          seed(account, extra);
          if (round > 0) {
            String old = "churn" + order.ordinal() + "x" + (round - 1) + "-00000";
            await(store.delete(account, old).recover(e -> Future.succeededFuture()));
          }
          round++;
        } while (after != null);
        assertThat(seen).as("%s %s", field, order).doesNotHaveDuplicates()
            .containsExactlyInAnyOrderElementsOf(ids(stable));
      }
    }

    @Test
    @DisplayName("walks 10 000 registrations with every sort and order, each exactly once, while others come and go")
    void tenThousand() {
      String account = Fixtures.account();
      List<Registration> all = seed(account, Fixtures.varied("big", 10_000, 5));
      Set<String> stable = new HashSet<>(ids(all));
      int churn = 0;
      for (SortField f : SortField.values()) {
        for (SortOrder o : SortOrder.values()) {
          RegistrationQuery q = RegistrationQuery.all().withStatus(Status.ALL).withSort(f, o).withPerPage(500);
          List<String> got = new ArrayList<>();
          Position after = null;
          do {
            Page page = await(store.list(account, q.withAfter(after)));
            page.items().stream().map(Registration::id).filter(stable::contains).forEach(got::add);
            after = page.next();
            // between pages: one newcomer (anywhere in the order), and the previous newcomer leaves
            seed(account, List.of(Fixtures.varied("new" + churn, 1, churn).get(0)));
            if (churn > 0) {
              String prev = "new" + (churn - 1);
              await(store.deleteAll(account, Set.of(Fixtures.varied(prev, 1, churn - 1).get(0).id())));
            }
            churn++;
          } while (after != null);
          assertThat(got).as("%s %s", f, o).hasSize(all.size()).doesNotHaveDuplicates()
              .containsExactlyElementsOf(ids(expected(all, q)));
        }
      }
    }
  }

  /** For subclasses' own tests: how many registrations match. */
  protected int count(String account, Predicate<Registration> p) {
    return (int) walk(account, RegistrationQuery.all().withStatus(Status.ALL).withPerPage(1000)).stream().filter(p).count();
  }

  static Instant micros(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }
}
