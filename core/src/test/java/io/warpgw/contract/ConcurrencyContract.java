package io.warpgw.contract;

import static io.warpgw.contract.StoreAwait.await;
import static io.warpgw.testkit.ApiClient.accountPath;
import static io.warpgw.testkit.ApiClient.enc;
import static io.warpgw.testkit.ApiClient.ids;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.contract.RaceOp.Kind;
import io.warpgw.model.Registration;
import io.warpgw.model.Timestamps;
import io.warpgw.testkit.ApiClient;
import io.warpgw.testkit.ApiResponse;
import io.warpgw.testkit.Fixtures;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Races over HTTP: {@value #CLIENTS} clients, each on its own connection, revoke, unrevoke, PATCH,
 * delete and bulk delete {@value #IDS} overlapping registrations of one account, with gets and list
 * pages in between ({@value #OPERATIONS} requests in all). Every request is recorded with the
 * client's clock just before it was sent and just after its answer was read; then the history is
 * judged by {@link RaceOracle}, and the quiet store is checked for partial records.
 *
 * <h2>What each answer means (API.md)</h2>
 * <ul>
 *   <li>200 to revoke, unrevoke, bulk delete: every id existed, and all of them changed in one atomic
 *       step at some instant between sending and answer. Revoke and unrevoke succeed on ids already in
 *       the target state, so 200 says: at that instant all existed, and afterwards each is revoked
 *       (unrevoked).</li>
 *   <li>404 (1004) to those: all or nothing, so nothing changed; the message names the missing ids,
 *       so at some instant of the request each named id did not exist.</li>
 *   <li>200 / 404 to a single delete, PATCH or get: the id existed (and was deleted, or now has the
 *       PATCHed key and device name) / did not exist, at some instant of the request.</li>
 *   <li>503, 504 or no answer: the operation may or may not have taken effect, at any instant after
 *       it was sent (a store that timed out may still apply it). Nothing else is a possible answer
 *       here: a 500, a 400 (a cursor of a page taken during the race included) fails the race.</li>
 * </ul>
 *
 * <h2>The oracle</h2>
 * The requests touch each registration through three objects that no request changes together in a
 * way the checks below would confuse, so a linearizable gateway passes each per registration (the
 * converse needs the cross-id atomicity too, which the quiet checks and the all-or-nothing 404s probe):
 * <ul>
 *   <li><b>Existence.</b> Nothing re-creates an id, so it is deleted at most once, at one instant T.
 *       At most one delete or bulk delete naming it may answer 200. If it exists at the end, none did
 *       and no 404 named it. If it is gone, T lies in the acknowledged delete's interval (or after the
 *       sending of an undecided one), after the sending of every request that saw it (a 200 naming it,
 *       a page or get showing it) and before the answer to every 404 that named it. A bulk delete
 *       answered 404 that removed some ids anyway leaves them gone with no possible T: a violation.</li>
 *   <li><b>Revoked state</b>, a register: revoke writes true, unrevoke false, acknowledged ones in their
 *       interval, undecided ones maybe, any time after sending; creation wrote false before all. At the
 *       end the state must be the value of a write that no acknowledged write <em>strictly followed</em>
 *       (sent after the first write's answer). Every read during the race (a get, a list item, a PATCH's
 *       answer) must return the value of a write sent before the read's answer and not strictly
 *       followed by an acknowledged write answered before the read was sent (no stale reads). A revoke
 *       answered 404 is no write: if it changed anything, that value has no source.</li>
 *   <li><b>PATCHed fields</b>, a register: a PATCH writes key {@code k-TAG} and device name
 *       {@code n-TAG} together, with a tag of its own; the same rules as the revoked state, and a key of
 *       one PATCH with the name of another is a torn record.</li>
 * </ul>
 * Every acknowledged bulk delete's ids are gone at the end (implied by the above, checked on its own).
 *
 * <h2>No partial records, once the race is over</h2>
 * Every id is fetched; every registration a complete list walk (small pages, cursors, two sort
 * orders) returns is fetched with the same body, appears exactly once, and the fetchable ids are
 * exactly the walked ones; {@code status=revoked} and {@code status=active} walk to exactly the
 * revoked and not-revoked ones. Every registration any answer showed, during the race or after,
 * has every field API.md lists. A store module may add checks of its own storage
 * ({@link #checkStoreInternals}).
 *
 * <p>{@code -Drace.seed=N} varies the requests (the interleaving is the machine's);
 * {@code -Drace.operations}, {@code -Drace.clients} scale it. The numbers are printed.
 */
@DisplayName("Races over HTTP")
public abstract class ConcurrencyContract extends GatewayKit {
  private static final long SEED = Long.getLong("race.seed", 0x7ACEL);
  private static final int CLIENTS = Integer.getInteger("race.clients", 16);
  private static final int OPERATIONS = Integer.getInteger("race.operations", 3200);
  private static final int IDS = 50;

  /** What the clients saw wrong on the spot (a page item outside the page's filters). */
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

  /**
   * Store-level checks after the race, e.g. indexes agreeing with records.
   *
   * @param present the ids the gateway serves at the end
   */
  protected void checkStoreInternals(String account, Set<String> present) {}

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  @DisplayName("revokes, unrevokes, PATCHes, deletes and bulk deletes racing: explained by a serial order, no partial records")
  void race() throws Exception {
    String account = Fixtures.account();
    List<String> ids = IntStream.range(0, IDS).mapToObj(i -> String.format("r-%02d", i)).toList();
    List<Registration> created = ids.stream().map(Fixtures::simple).toList();
    assertThat(await(store.insertBatch(account, created))).isEmpty();
    Map<String, String> initialKey = new HashMap<>();
    Map<String, String> initialName = new HashMap<>();
    created.forEach(r -> {
      initialKey.put(r.id(), r.key());
      initialName.put(r.id(), r.device().name());
    });

    problems.clear();
    Instant wallStart = Timestamps.truncate(Instant.now());
    long t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    List<Future<List<RaceOp>>> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      int count = OPERATIONS / CLIENTS + (c < OPERATIONS % CLIENTS ? 1 : 0);
      clients.add(pool.submit(() -> new Client(client, account, ids, count).run()));
    }
    List<RaceOp> history = new ArrayList<>();
    for (Future<List<RaceOp>> f : clients) {
      history.addAll(f.get(90, TimeUnit.SECONDS));
    }
    pool.shutdown();
    long raceMs = (System.nanoTime() - t0) / 1_000_000;
    Instant wallEnd = Timestamps.truncate(Instant.now()).plusSeconds(1);

    ApiClient api = new ApiClient(gateway.baseUrl(), gateway.writeToken());
    Map<String, JsonObject> finalState = new TreeMap<>();
    for (String id : ids) {
      ApiResponse r = api.get(accountPath(account) + "/" + id);
      if (r.status() == 404) {
        r.error(404, 1004);
        finalState.put(id, null);
      } else {
        finalState.put(id, r.result());
      }
    }
    List<String> violations = new ArrayList<>(problems);
    for (RaceOp op : history) {
      for (JsonObject r : op.shown()) {
        complete(r, "answer to " + op.describe(), violations);
      }
    }
    long c0 = System.nanoTime();
    violations.addAll(new RaceOracle(history).check(finalState, initialKey, initialName));
    long checkMs = (System.nanoTime() - c0) / 1_000_000;
    Set<String> present = finalState.entrySet().stream().filter(e -> e.getValue() != null)
        .map(Map.Entry::getKey).collect(Collectors.toCollection(LinkedHashSet::new));
    for (String id : present) {
      JsonObject r = finalState.get(id);
      complete(r, "final " + id, violations);
      String revokedAt = r.getString("revoked_at");
      if (revokedAt != null) {
        Instant at = Instant.parse(revokedAt);
        if (at.isBefore(wallStart) || at.isAfter(wallEnd)) {
          violations.add(id + " has revoked_at " + revokedAt + ", outside the race [" + wallStart + ", " + wallEnd + "]");
        }
      }
    }
    summary(history, finalState, raceMs, checkMs);
    assertThat(violations).as("violations (replay the requests with -Drace.seed=" + SEED + ")").isEmpty();

    // Quiet now: the walks must agree with the gets and with each other.
    for (String sort : List.of("sort_by=id&sort_order=asc&per_page=7", "sort_by=created_at&sort_order=desc&per_page=6")) {
      List<JsonObject> walked = walk(api, account, "status=all&" + sort);
      List<String> walkedIds = walked.stream().map(o -> o.getString("id")).toList();
      assertThat(walkedIds).as("a walk (%s) returns each registration exactly once", sort).doesNotHaveDuplicates();
      assertThat(walkedIds).as("a walk (%s) returns exactly the fetchable registrations", sort)
          .containsExactlyInAnyOrderElementsOf(present);
      for (JsonObject item : walked) {
        assertThat(item).as("listed and fetched bodies of %s", item.getString("id"))
            .isEqualTo(finalState.get(item.getString("id")));
      }
    }
    Set<String> revoked = present.stream().filter(id -> finalState.get(id).getValue("revoked_at") != null)
        .collect(Collectors.toSet());
    List<String> revokedWalk = walk(api, account, "status=revoked&per_page=9").stream().map(o -> o.getString("id")).toList();
    List<String> activeWalk = walk(api, account, "status=active&per_page=9").stream().map(o -> o.getString("id")).toList();
    assertThat(revokedWalk).as("status=revoked").doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(revoked);
    assertThat(activeWalk).as("status=active").doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(present.stream().filter(id -> !revoked.contains(id)).toList());
    assertThat(revokedWalk.size() + activeWalk.size()).as("revoked + active = all").isEqualTo(present.size());
    checkStoreInternals(account, present);
  }

  /** One client: its own connection, its own seeded choices, its requests one after the other. */
  private final class Client {
    private final int client;
    private final String account;
    private final List<String> ids;
    private final int count;
    private final Random rnd;
    private final ApiClient api = new ApiClient(gateway.baseUrl(), gateway.writeToken());
    private final List<RaceOp> ops = new ArrayList<>();

    Client(int client, String account, List<String> ids, int count) {
      this.client = client;
      this.account = account;
      this.ids = ids;
      this.count = count;
      this.rnd = new Random(SEED * 1_000_003L + client);
    }

    List<RaceOp> run() {
      String path = accountPath(account);
      for (int i = 0; i < count; i++) {
        String tag = client + "-" + i;
        int roll = rnd.nextInt(10_000);
        if (roll < 2200) {
          List<String> some = some(rnd.nextInt(10) == 0 ? 8 + rnd.nextInt(5) : 1 + rnd.nextInt(4));
          send(Kind.REVOKE, some, tag, null, () -> api.post(path + "/revoke?" + ids(some), null));
        } else if (roll < 4200) {
          List<String> some = some(rnd.nextInt(10) == 0 ? 8 + rnd.nextInt(5) : 1 + rnd.nextInt(4));
          send(Kind.UNREVOKE, some, tag, null, () -> api.post(path + "/unrevoke?" + ids(some), null));
        } else if (roll < 6000) {
          List<String> one = some(1);
          // A heartbeat that also rotates the key: key and device name carry this request's tag.
          String body = new JsonObject().put("key", "k-" + tag).put("device", new JsonObject().put("name", "n-" + tag))
              .put("last_seen_at", Timestamps.format(Instant.now())).encode();
          send(Kind.PATCH, one, tag, null, () -> api.patch(path + "/" + one.get(0), body));
        } else if (roll < 6030) {
          List<String> one = some(1);
          send(Kind.DELETE, one, tag, null, () -> api.delete(path + "/" + one.get(0)));
        } else if (roll < 6075) {
          List<String> some = some(rnd.nextInt(4) == 0 ? 3 : 2);
          send(Kind.BULK_DELETE, some, tag, null, () -> api.delete(path + "?" + ids(some)));
        } else if (roll < 7700) {
          List<String> one = some(1);
          send(Kind.GET, one, tag, null, () -> api.get(path + "/" + one.get(0)));
        } else {
          list(path, tag);
        }
      }
      return ops;
    }

    private void list(String path, String tag) {
      List<String> filter = rnd.nextInt(4) == 0 ? some(1 + rnd.nextInt(6)) : List.of();
      String status = List.of("all", "active", "revoked", "").get(rnd.nextInt(4));
      String query = "per_page=" + (5 + rnd.nextInt(46))
          + "&sort_by=" + List.of("id", "created_at", "last_seen_at").get(rnd.nextInt(3))
          + "&sort_order=" + (rnd.nextBoolean() ? "asc" : "desc")
          + (status.isEmpty() ? "" : "&status=" + status)
          + (filter.isEmpty() ? "" : "&" + ids(filter));
      RaceOp page = send(Kind.LIST, filter, tag, query, () -> api.get(path + "?" + query));
      // Sometimes the next page too: a cursor made before changes must still be accepted.
      if (page.cursor() != null && !page.cursor().isEmpty() && rnd.nextInt(3) == 0) {
        String next = query + "&cursor=" + enc(page.cursor());
        send(Kind.LIST, filter, tag, next, () -> api.get(path + "?" + next));
      }
    }

    private List<String> some(int n) {
      Set<String> chosen = new LinkedHashSet<>();
      while (chosen.size() < Math.min(n, ids.size())) {
        chosen.add(ids.get(rnd.nextInt(ids.size())));
      }
      return List.copyOf(chosen);
    }

    private RaceOp send(Kind kind, List<String> opIds, String tag, String query, java.util.function.Supplier<ApiResponse> request) {
      long invoked = System.nanoTime();
      ApiResponse r;
      try {
        r = request.get();
      } catch (UncheckedIOException e) {
        RaceOp op = new RaceOp(kind, opIds, tag, query, invoked, System.nanoTime(), RaceOp.NO_ANSWER, 0, e.toString(),
            null, null, null);
        ops.add(op);
        return op;
      }
      long answered = System.nanoTime();
      int code = 0;
      String message = null;
      JsonObject result = null;
      JsonArray items = null;
      String cursor = null;
      JsonObject env;
      try {
        env = r.json();
      } catch (RuntimeException e) {
        env = new JsonObject();
        message = "not JSON: " + r.body();
      }
      if (r.status() == 200 && Boolean.TRUE.equals(env.getBoolean("success"))) {
        Object value = env.getValue("result");
        if (kind == Kind.LIST) {
          items = (JsonArray) value;
          cursor = env.getJsonObject("result_info").getString("cursor");
        } else if (value instanceof JsonObject o) {
          result = o;
        }
      } else if (env.getJsonArray("errors") != null && !env.getJsonArray("errors").isEmpty()) {
        code = env.getJsonArray("errors").getJsonObject(0).getInteger("code", 0);
        message = env.getJsonArray("errors").getJsonObject(0).getString("message");
      }
      RaceOp op = new RaceOp(kind, opIds, tag, query, invoked, answered, r.status(), code, message, result, items, cursor);
      if (items != null) {
        for (Object o : items) {
          JsonObject item = (JsonObject) o;
          boolean isRevoked = item.getValue("revoked_at") != null;
          boolean wanted = query.contains("status=all") || (query.contains("status=revoked") == isRevoked);
          if (!wanted || !opIds.isEmpty() && !opIds.contains(item.getString("id"))) {
            problems.add("a page with an item outside its filters: " + op.describe() + " " + item);
          }
        }
      }
      ops.add(op);
      return op;
    }
  }

  /** Every field API.md lists for a registration, the PATCHed pair untorn. */
  private static void complete(JsonObject r, String where, List<String> violations) {
    List<String> missing = new ArrayList<>();
    for (String f : List.of("id", "created_at", "updated_at", "last_seen_at", "key", "registration_type")) {
      if (!(r.getValue(f) instanceof String)) {
        missing.add(f);
      }
    }
    for (String f : List.of("key_type", "tunnel_type", "revoked_at", "deleted_at")) {
      if (!r.containsKey(f)) {
        missing.add(f);
      }
    }
    JsonObject device = r.getValue("device") instanceof JsonObject d ? d : null;
    if (device == null || !(device.getValue("id") instanceof String) || !(device.getValue("name") instanceof String)) {
      missing.add("device");
    }
    if (r.getValue("deleted_at") != null) {
      missing.add("deleted_at null");
    }
    if (!missing.isEmpty()) {
      violations.add("a partial record (" + String.join(", ", missing) + ") in the " + where + ": " + r);
      return;
    }
    String key = r.getString("key");
    String name = device.getString("name");
    boolean untorn = key.startsWith("k-") ? name.equals("n-" + key.substring(2)) : name.equals("Device " + r.getString("id"));
    if (!untorn) {
      violations.add("a torn PATCH (key " + key + ", device name " + name + ") in the " + where);
    }
  }

  private static List<JsonObject> walk(ApiClient api, String account, String query) {
    List<JsonObject> all = new ArrayList<>();
    String cursor = null;
    for (int pages = 0; pages < 1000; pages++) {
      JsonObject env = api.get(accountPath(account) + "?" + query + (cursor == null ? "" : "&cursor=" + enc(cursor))).ok();
      env.getJsonArray("result").forEach(o -> all.add((JsonObject) o));
      cursor = env.getJsonObject("result_info").getString("cursor");
      if (cursor.isEmpty()) {
        return all;
      }
    }
    throw new AssertionError("a walk that does not end: " + query);
  }

  private void summary(List<RaceOp> history, Map<String, JsonObject> finalState, long raceMs, long checkMs) {
    Map<String, Map<String, Long>> byKind = new LinkedHashMap<>();
    for (Kind k : Kind.values()) {
      Map<String, Long> answers = history.stream().filter(o -> o.kind() == k)
          .collect(Collectors.groupingBy(o -> o.status() == RaceOp.NO_ANSWER ? "none" : Integer.toString(o.status()),
              TreeMap::new, Collectors.counting()));
      byKind.put(k.name().toLowerCase(), answers);
    }
    long gone = finalState.values().stream().filter(v -> v == null).count();
    long revoked = finalState.values().stream().filter(v -> v != null && v.getValue("revoked_at") != null).count();
    long patched = finalState.values().stream().filter(v -> v != null && v.getString("key").startsWith("k-")).count();
    long undecided = history.stream().filter(o -> o.outcome() == RaceOp.Outcome.UNKNOWN).count();
    System.out.printf("races [%s]: %d requests by %d clients on %d ids (seed %d) in %d ms (%.0f/s); answers by kind %s;"
            + " undecided %d; at the end %d present (%d revoked, %d PATCHed), %d gone; judged in %d ms%n",
        getClass().getSimpleName(), history.size(), CLIENTS, IDS, SEED, raceMs, history.size() * 1000.0 / Math.max(1, raceMs),
        byKind, undecided, finalState.size() - gone, revoked, patched, gone, checkMs);
  }
}
