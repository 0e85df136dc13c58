package io.warpgw.store.memory;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.warpgw.model.Registration;
import io.warpgw.spi.BulkLoad;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A bulk load into the memory store: each account's registrations are gathered while they arrive and
 * handed to {@link AccountRegistrations#load} in one piece when the load moves on to another account
 * or finishes; an empty account then gets its indexes built from sorted arrays. With Vert.x, that work
 * runs on a worker (ordered, one account after another), so the caller goes on producing the next
 * account meanwhile and the event loop is never held by a million-registration sort.
 */
final class MemoryBulkLoad implements BulkLoad {
  private final Vertx vertx;
  /**
   * Sorting a million registrations takes seconds, longer on a busy machine: a pool of its own whose
   * blocked-thread limit allows that, rather than Vert.x's shared workers with their 60 s warning.
   */
  private final WorkerExecutor workers;
  private final Function<String, AccountRegistrations> accounts;
  private String account;
  private List<Registration> gathered = new ArrayList<>();
  private Future<Long> stored = Future.succeededFuture(0L);

  MemoryBulkLoad(Vertx vertx, Function<String, AccountRegistrations> accounts) {
    this.vertx = vertx;
    this.workers = vertx == null ? null
        : vertx.createSharedWorkerExecutor("warpgw-bulk-load", 1, 30, TimeUnit.MINUTES);
    this.accounts = accounts;
  }

  @Override
  public Future<Void> add(String accountId, List<Registration> batch) {
    if (stored.failed()) {
      return stored.mapEmpty();
    }
    if (!accountId.equals(account)) {
      flush();
      account = accountId;
    }
    gathered.addAll(batch);
    return Future.succeededFuture();
  }

  @Override
  public Future<Long> finish() {
    flush();
    return workers == null ? stored : stored.andThen(ar -> workers.close());
  }

  private void flush() {
    if (account == null || gathered.isEmpty()) {
      return;
    }
    AccountRegistrations target = accounts.apply(account);
    List<Registration> all = gathered;
    gathered = new ArrayList<>();
    Future<Long> before = stored;
    if (vertx == null) {
      stored = before.map(n -> n + target.load(all));
    } else {
      Future<Long> loaded = workers.executeBlocking(() -> target.load(all), true);
      stored = before.compose(n -> loaded.map(m -> n + m));
    }
  }
}
