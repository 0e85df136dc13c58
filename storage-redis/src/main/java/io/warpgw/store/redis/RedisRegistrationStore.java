package io.warpgw.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import io.warpgw.error.GatewayException;
import io.warpgw.json.StoredItems;
import io.warpgw.model.CodePoints;
import io.warpgw.model.Page;
import io.warpgw.model.Position;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationPatch;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.model.SortField;
import io.warpgw.model.Timestamps;
import io.warpgw.spi.RateCounters;
import io.warpgw.spi.RegistrationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Registrations in Redis (standalone, sentinel or cluster), laid out as {@link Keys} describes. Every
 * change that touches more than one key runs as one Lua script, so it is atomic and all or nothing;
 * reads of a single registration are one GET.
 */
public final class RedisRegistrationStore implements RegistrationStore {
  /**
   * Records per insert script: long enough to amortise a round trip, short enough not to stall Redis
   * (a few milliseconds), and at least the batches the gateway sends (import and seed: 1000), so a
   * reader sees such a batch all at once or not at all, as it would on the other stores.
   */
  // At most ~3 900: insert.lua unpacks two arguments per record into one call, and Lua 5.1 takes
  // at most 8 000 values on its stack.
  static final int INSERT_CHUNK = 1_000;
  /**
   * Keys one SCAN step examines: a few milliseconds of Redis time, and few round trips even over
   * millions of keys.
   */
  static final int SCAN_COUNT = 10_000;
  /** Accounts a reset removes at once. */
  private static final int RESET_WIDTH = 8;
  /** How often update re-reads after a concurrent change before giving up. */
  private static final int UPDATE_ATTEMPTS = 16;

  private final Redis redis;
  private final SlotRouter router;
  private final Keys keys;
  private final long timeoutMillis;
  private final ListScan.Limits limits;
  private final InFlightLimit inFlight;
  private final LuaScript insert = LuaScript.load("insert");
  private final LuaScript update = LuaScript.load("update");
  private final LuaScript delete = LuaScript.load("delete");
  private final LuaScript revoke = LuaScript.load("revoke");
  private final LuaScript unrevoke = LuaScript.load("unrevoke");
  private final LuaScript list = LuaScript.load("list");
  private final LuaScript drop = LuaScript.load("drop");
  private final LuaScript scanStep = LuaScript.load("scan");
  private final LuaScript rateHit = LuaScript.load("ratelimit");
  private final boolean cluster;

  RedisRegistrationStore(SlotRouter router, Keys keys, long timeoutMillis, ListScan.Limits limits,
      InFlightLimit inFlight, boolean cluster) {
    this.router = router;
    this.redis = router.client();
    this.cluster = cluster;
    this.inFlight = inFlight;
    this.keys = keys;
    this.timeoutMillis = timeoutMillis;
    this.limits = limits;
  }

  @Override
  public Future<Page> list(String accountId, RegistrationQuery query) {
    ListScan scan = new ListScan(query, limits);
    if (scan.empty()) {
      return Future.succeededFuture(new Page(List.of(), null));
    }
    Request range = scan.range(keys, accountId, query.perPage() + 1);
    if (range != null) {
      return unfiltered(accountId, query, range, scan);
    }
    return scan(accountId, scan, query.perPage() + 1, new StoredItems.Builder(query.perPage() + 1))
        .map(fetched -> page(fetched, query, null));
  }

  /**
   * The page of up to perPage + 1 items fetched. They stay stored bytes, written into the page as
   * they are; the position the next page starts after comes from the last item's index member when
   * known, else from the item decoded.
   */
  private static Page page(StoredItems.Builder fetched, RegistrationQuery query, Response members) {
    int perPage = query.perPage();
    StoredItems items = fetched.build(perPage);
    if (fetched.size() <= perPage) {
      return new Page(items, null);
    }
    return new Page(items, members != null
        ? SortKeys.position(query.sortBy(), members.get(perPage - 1).toString())
        : Position.of(query.sortBy(), items.get(perPage - 1)));
  }

  /**
   * An unfiltered page of one status in two steps, without the list script: one ZRANGEBYLEX names the
   * page's index members, then one MULTI reads the same range again and MGETs the records of those
   * members: if the range still holds the same members, the records are the page as of that MULTI.
   * Otherwise (the index changed in between, or Redis refused the batch) the page is read as a
   * filtered one is, in the script. Records passed through a script cost Redis more than twice what
   * the MGET does (Lua hashes every byte it receives), and Redis runs one script at a time.
   */
  private Future<Page> unfiltered(String accountId, RegistrationQuery query, Request range, ListScan scan) {
    String base = keys.base(accountId);
    SortField sort = query.sortBy();
    return call(() -> router.send(base, range)).compose(members -> {
      int n = members.size();
      if (n == 0) {
        return Future.succeededFuture(new Page(List.of(), null));
      }
      Request mget = Request.cmd(Command.MGET);
      for (Response member : members) {
        mget.arg(keys.record(accountId, SortKeys.idOf(sort, member.toString())));
      }
      List<Request> batch = List.of(Request.cmd(Command.MULTI), range, mget, Request.cmd(Command.EXEC));
      return call(() -> router.batch(base, batch).map(replies -> {
        Response exec = replies.get(3);
        Response again = exec == null || exec.size() != 2 ? null : exec.get(0);
        if (again == null || again.type() != ResponseType.MULTI || !sameMembers(members, again)) {
          return null;
        }
        Response records = exec.get(1);
        StoredItems.Builder fetched = new StoredItems.Builder(n);
        for (int i = 0; i < n; i++) {
          Response record = records.get(i);
          if (record == null) {
            return null;
          }
          RecordFields.add(fetched, record.toBytes());
        }
        return page(fetched, query, members);
      }).recover(e -> e instanceof Response ? Future.succeededFuture(null) : Future.failedFuture(e)));
    }).compose(page -> page != null ? Future.succeededFuture(page)
        : scan(accountId, scan, query.perPage() + 1, new StoredItems.Builder(query.perPage() + 1))
            .map(fetched -> page(fetched, query, null)));
  }

  private static boolean sameMembers(Response a, Response b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).toBuffer().equals(b.get(i).toBuffer())) {
        return false;
      }
    }
    return true;
  }

  private Future<StoredItems.Builder> scan(String accountId, ListScan scan, int want,
      StoredItems.Builder fetched) {
    return script(list, accountId, scan.args(want - fetched.size())).compose(r -> {
      for (int i = 1; i < r.size(); i++) {
        RecordFields.add(fetched, r.get(i).toBytes());
      }
      String resume = r.get(0).toString();
      if (resume.isEmpty() || fetched.size() >= want) {
        return Future.succeededFuture(fetched);
      }
      scan.resumeAfter(resume);
      return scan(accountId, scan, want, fetched);
    });
  }

  @Override
  public Future<Registration> get(String accountId, String id) {
    String key = keys.record(accountId, id);
    Request get = Request.cmd(Command.GET).arg(key);
    return call(() -> router.send(key, get)).map(stored -> {
      if (stored == null) {
        throw GatewayException.notFound(List.of(id));
      }
      return RecordFields.unpack(stored.toBytes());
    });
  }

  @Override
  public Future<Registration> create(String accountId, Registration registration) {
    return insertBatch(accountId, List.of(registration)).map(existing -> {
      if (!existing.isEmpty()) {
        throw GatewayException.conflict(registration.id());
      }
      return registration;
    });
  }

  @Override
  public Future<Set<String>> insertBatch(String accountId, List<Registration> batch) {
    List<Future<Response>> chunks = new ArrayList<>();
    for (int from = 0; from < batch.size(); from += INSERT_CHUNK) {
      List<Registration> chunk = batch.subList(from, Math.min(batch.size(), from + INSERT_CHUNK));
      chunks.add(script(insert, accountId, ImportArgs.of(chunk)));
    }
    return Future.all(chunks).map(all -> {
      Set<String> existing = new LinkedHashSet<>();
      for (Future<Response> chunk : chunks) {
        chunk.result().forEach(id -> existing.add(id.toString()));
      }
      return existing;
    });
  }

  @Override
  public Future<Registration> update(String accountId, String id, RegistrationPatch patch, Instant now) {
    return update(accountId, id, patch, now, UPDATE_ATTEMPTS);
  }

  /** Compare-and-set: reads, patches in Java, writes only if nobody changed the record meanwhile. */
  private Future<Registration> update(String accountId, String id, RegistrationPatch patch, Instant now,
      int attempts) {
    return read(accountId, id).compose(stored -> {
      if (stored == null) {
        throw GatewayException.notFound(List.of(id));
      }
      Registration updated = patch.applyTo(RecordFields.unpack(stored), now);
      return script(update, accountId, List.of(stored, id, RecordFields.pack(updated))).compose(r -> switch (r.toInteger()) {
        case 0 -> Future.failedFuture(GatewayException.notFound(List.of(id)));
        case 1 -> attempts > 1
            ? update(accountId, id, patch, now, attempts - 1)
            : Future.failedFuture(GatewayException.unavailable(
                "registration " + id + " kept changing while being updated; retry later", null));
        default -> Future.succeededFuture(updated);
      });
    });
  }

  @Override
  public Future<Void> delete(String accountId, String id) {
    return deleteAll(accountId, Set.of(id));
  }

  @Override
  public Future<Void> deleteAll(String accountId, Set<String> ids) {
    return allOrNothing(delete, accountId, null, ids);
  }

  @Override
  public Future<Void> revoke(String accountId, Set<String> ids, Instant now) {
    return allOrNothing(revoke, accountId, Timestamps.format(now), ids);
  }

  @Override
  public Future<Void> unrevoke(String accountId, Set<String> ids, Instant now) {
    return allOrNothing(unrevoke, accountId, Timestamps.format(now), ids);
  }

  private Future<Void> allOrNothing(LuaScript script, String accountId, String now, Set<String> ids) {
    List<String> args = new ArrayList<>(ids.size() + 1);
    if (now != null) {
      args.add(now);
    }
    args.addAll(ids);
    return script(script, accountId, args).compose(missing -> {
      if (missing.size() == 0) {
        return Future.succeededFuture();
      }
      List<String> absent = new ArrayList<>(missing.size());
      missing.forEach(id -> absent.add(id.toString()));
      absent.sort(null);
      return Future.failedFuture(GatewayException.notFound(absent));
    });
  }

  /**
   * Scans every master for the account id indexes (see {@link Keys#idIndexes}): no registry to keep
   * in step, so nothing to repair, and an emptied account has no index left to be found by.
   */
  @Override
  public Future<List<String>> accounts() {
    Set<String> accounts = new ConcurrentSkipListSet<>(CodePoints.ORDER);
    return scanMasters(keys.idIndexes(), found -> {
      found.forEach(key -> accounts.add(keys.accountOfIdIndex(key)));
      return Future.succeededFuture();
    }).map(done -> List.copyOf(accounts));
  }

  /** One script: atomic, and any write acknowledged after it lands in the emptied account. */
  @Override
  public Future<Void> deleteAccount(String accountId) {
    return script(drop, accountId, List.of()).mapEmpty();
  }

  /**
   * Scans every master for this store's keys and removes them by account, each account in one
   * {@link #deleteAccount}-like step that also takes the keys found: an account is never left half
   * indexed, even if the reset stops part way. Keys of other prefixes (other stores, other software)
   * stay, so the server may be shared; never FLUSHDB.
   */
  @Override
  public Future<Void> reset() {
    return scanMasters(keys.allAccountKeys(), found -> {
      Map<String, List<String>> byAccount = new HashMap<>();
      List<Supplier<Future<Response>>> drops = new ArrayList<>();
      for (String key : found) {
        String base = keys.baseOf(key);
        if (base != null) {
          byAccount.computeIfAbsent(base, b -> new ArrayList<>()).add(key);
        } else {
          drops.add(() -> redis.send(Request.cmd(Command.UNLINK).arg(key)));
        }
      }
      byAccount.forEach((base, accountKeys) -> drops.add(() -> drop.run(router, base, accountKeys)));
      return inWaves(drops, 0);
    });
  }

  /**
   * Runs the calls {@link #RESET_WIDTH} at a time: a scan step may name thousands of accounts, and
   * sending them all at once would overflow the wait queue that request traffic shares.
   */
  private Future<Void> inWaves(List<Supplier<Future<Response>>> calls, int from) {
    if (from >= calls.size()) {
      return Future.succeededFuture();
    }
    List<Future<Response>> wave = new ArrayList<>(RESET_WIDTH);
    for (int i = from; i < Math.min(calls.size(), from + RESET_WIDTH); i++) {
      wave.add(call(calls.get(i)));
    }
    return Future.all(wave).compose(done -> inWaves(calls, from + RESET_WIDTH));
  }

  /**
   * SCANs each master for {@code pattern}, handing every step's keys to {@code found} before the next
   * step; masters run side by side.
   */
  private Future<Void> scanMasters(String pattern, Function<List<String>, Future<Void>> found) {
    return call(() -> Masters.routes(cluster, keys, redis::send)).compose(routes -> {
      List<Future<Void>> scans = new ArrayList<>(routes.size());
      for (String route : routes) {
        scans.add(scan(route, pattern, "0", found));
      }
      return Future.all(scans).mapEmpty();
    });
  }

  private Future<Void> scan(String route, String pattern, String cursor,
      Function<List<String>, Future<Void>> found) {
    List<String> args = List.of(cursor, pattern, Integer.toString(SCAN_COUNT));
    return call(() -> scanStep.run(router, route, args)).compose(step -> {
      List<String> keys = new ArrayList<>(step.get(1).size());
      step.get(1).forEach(k -> keys.add(k.toString()));
      String next = step.get(0).toString();
      return found.apply(keys).compose(v -> next.equals("0") ? Future.<Void>succeededFuture()
          : scan(route, pattern, next, found));
    });
  }

  /** One INCR-and-expire script per hit, so every gateway on this Redis shares each credential's budget. */
  @Override
  public Optional<RateCounters> rateCounters() {
    return Optional.of((credential, windowMillis, restartAt) ->
        call(() -> rateHit.run(router, keys.rateCounter(credential),
            List.of(Long.toString(windowMillis), Long.toString(restartAt))))
            .map(r -> new RateCounters.Window(r.get(0).toLong(), r.get(1).toLong())));
  }

  @Override
  public Future<Void> ping() {
    return call(() -> redis.send(Request.cmd(Command.PING))).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return router.close();
  }

  /** The stored value, or null when there is none. */
  private Future<String> read(String accountId, String id) {
    String key = keys.record(accountId, id);
    Request get = Request.cmd(Command.GET).arg(key);
    return call(() -> router.send(key, get)).map(r -> r == null ? null : r.toString());
  }

  private Future<Response> script(LuaScript script, String accountId, List<String> args) {
    return call(() -> script.run(router, keys.base(accountId), args));
  }

  private <T> Future<T> call(Supplier<Future<T>> request) {
    // The timeout sits inside the in-flight slot, so a request that never gets an answer (a peer
    // gone without a reset) gives its slot back instead of holding it forever.
    return inFlight.run(() -> request.get().timeout(timeoutMillis, TimeUnit.MILLISECONDS))
        .recover(RedisFailures::translate);
  }
}
