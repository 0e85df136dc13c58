package io.warpgw.store.memory;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warpgw.error.GatewayException;
import io.warpgw.model.Page;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationPatch;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.spi.RegistrationStore;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The embedded store: everything in this process's heap, gone when it stops. Safe to call from every
 * event loop at once; each account is guarded by its own lock, so accounts never wait on each other.
 */
public final class MemoryRegistrationStore implements RegistrationStore {
  private final ConcurrentHashMap<String, AccountRegistrations> accounts = new ConcurrentHashMap<>();
  private final Vertx vertx;

  /** A store that answers every call on the caller's thread. */
  public MemoryRegistrationStore() {
    this(null);
  }

  /**
   * A store that moves list queries which may scan the whole account (search, time and type filters
   * with no id, device, user or policy filter to narrow them) and large insert batches to worker
   * threads, so that such work on millions of registrations never holds an event loop.
   */
  public MemoryRegistrationStore(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<Page> list(String accountId, RegistrationQuery query) {
    AccountRegistrations account = accounts.get(accountId);
    if (account == null) {
      return Future.succeededFuture(new Page(List.of(), null));
    }
    if (vertx != null && mayScan(query)) {
      return vertx.executeBlocking(() -> account.list(query), false);
    }
    return call(account, a -> a.list(query));
  }

  @Override
  public Future<Registration> get(String accountId, String id) {
    return call(existing(accountId, id), a -> a.get(id));
  }

  @Override
  public Future<Registration> create(String accountId, Registration registration) {
    return call(account(accountId), a -> a.create(registration));
  }

  /**
   * Batches at least this large go to a worker thread: a thousand registrations take milliseconds to
   * index, and an import or seed sends them back to back, so on the event loop they would starve
   * every other request on it; on a worker, the next batch is parsed or generated meanwhile.
   */
  static final int WORKER_BATCH = 64;

  @Override
  public Future<Set<String>> insertBatch(String accountId, List<Registration> batch) {
    AccountRegistrations account = account(accountId);
    if (vertx != null && batch.size() >= WORKER_BATCH) {
      // Ordered: one caller's batches (an import, the seeder) take turns on one worker instead of
      // queueing several workers on the account's lock.
      return vertx.executeBlocking(() -> account.insertAll(batch), true);
    }
    return call(account, a -> a.insertAll(batch));
  }

  /** See {@link MemoryBulkLoad}: indexes of an empty account built once, from sorted arrays. */
  @Override
  public Future<io.warpgw.spi.BulkLoad> bulkLoad() {
    return Future.succeededFuture(new MemoryBulkLoad(vertx, this::account));
  }

  @Override
  public Future<Registration> update(String accountId, String id, RegistrationPatch patch, Instant now) {
    return call(existing(accountId, id), a -> a.update(id, r -> patch.applyTo(r, now)));
  }

  @Override
  public Future<Void> delete(String accountId, String id) {
    return deleteAll(accountId, Set.of(id));
  }

  @Override
  public Future<Void> deleteAll(String accountId, Set<String> ids) {
    return changeAll(accountId, ids, r -> null);
  }

  @Override
  public Future<Void> revoke(String accountId, Set<String> ids, Instant now) {
    return changeAll(accountId, ids, r -> r.revoked() ? r : r.withRevokedAt(now, now));
  }

  @Override
  public Future<Void> unrevoke(String accountId, Set<String> ids, Instant now) {
    return changeAll(accountId, ids, r -> r.revoked() ? r.withRevokedAt(null, now) : r);
  }

  @Override
  public Future<List<String>> accounts() {
    return Future.succeededFuture(accounts.entrySet().stream()
        .filter(e -> e.getValue().size() > 0)
        .map(java.util.Map.Entry::getKey)
        .sorted(io.warpgw.model.CodePoints.ORDER)
        .toList());
  }

  @Override
  public Future<Void> deleteAccount(String accountId) {
    AccountRegistrations a = accounts.get(accountId);
    if (a != null) {
      // Emptied under its own lock rather than unmapped: a write racing on this instance must not
      // land in a detached copy and vanish.
      a.clear();
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> reset() {
    accounts.values().forEach(AccountRegistrations::clear);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    accounts.clear();
    return Future.succeededFuture();
  }

  private static boolean mayScan(RegistrationQuery q) {
    boolean unindexed = q.search() != null || q.seenAfter() != null || q.seenBefore() != null
        || q.registrationType() != null;
    boolean narrowed = !q.ids().isEmpty() || q.deviceId() != null || !q.userIds().isEmpty() || q.policyId() != null;
    return unindexed && !narrowed;
  }

  /** How many registrations the account holds, for tests and the launcher's seed report. */
  public int size(String accountId) {
    AccountRegistrations a = accounts.get(accountId);
    return a == null ? 0 : a.size();
  }

  private Future<Void> changeAll(String accountId, Set<String> ids,
      java.util.function.UnaryOperator<Registration> change) {
    AccountRegistrations account = accounts.get(accountId);
    if (account == null) {
      return Future.failedFuture(GatewayException.notFound(ids.stream().sorted().toList()));
    }
    return call(account, a -> {
      a.changeAll(ids, change);
      return null;
    });
  }

  private AccountRegistrations account(String accountId) {
    return accounts.computeIfAbsent(accountId, k -> new AccountRegistrations());
  }

  /** The account, or an empty one standing in for an unknown account (never stored). */
  private AccountRegistrations existing(String accountId, String id) {
    AccountRegistrations a = accounts.get(accountId);
    return a != null ? a : EMPTY;
  }

  private static final AccountRegistrations EMPTY = new AccountRegistrations();

  private static <T> Future<T> call(AccountRegistrations account, Function<AccountRegistrations, T> op) {
    try {
      return Future.succeededFuture(op.apply(account));
    } catch (GatewayException e) {
      return Future.failedFuture(e);
    }
  }
}
