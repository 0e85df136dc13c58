package io.warpgw.launcher;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.warpgw.model.Registration;
import io.warpgw.spi.BulkLoad;
import io.warpgw.spi.RegistrationStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes synthetic registrations through one {@link BulkLoad} of the store: batches of {@value #BATCH},
 * account after account, a progress line (count, rate, ETA) every two seconds and the final rate.
 * Accounts are named {@code account-1} … {@code account-N}.
 */
public final class Seeder {
  private static final Logger LOG = LoggerFactory.getLogger(Seeder.class);
  static final int BATCH = 1000;

  private final Vertx vertx;
  private final RegistrationStore store;

  public Seeder(Vertx vertx, RegistrationStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  public static String accountName(int i) {
    return "account-" + i;
  }

  /** @return how many registrations were stored */
  public Future<Long> seed(AccountSizes sizes, long seed) {
    long total = sizes.total();
    long started = System.nanoTime();
    AtomicLong added = new AtomicLong();
    long timer = vertx.setPeriodic(2000, id -> progress(added.get(), total, started));
    SyntheticRegistrations gen = new SyntheticRegistrations(seed);
    Promise<Long> done = Promise.promise();
    Context ctx = vertx.getOrCreateContext();
    ctx.runOnContext(v -> store.bulkLoad()
        .compose(load -> {
          Promise<Void> all = Promise.promise();
          pump(ctx, load, new Cursor(sizes), gen, added, all);
          return all.future().compose(x -> load.finish());
        })
        .onComplete(done));
    return done.future().andThen(x -> vertx.cancelTimer(timer)).onSuccess(count -> {
      double secs = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
      LOG.info("seeded {} registrations into {} account(s) in {} s: {} registrations/s", count,
          sizes.accounts(), String.format("%.1f", secs), Math.round(count / secs));
    });
  }

  /** Which account gets the next batch. */
  private static final class Cursor {
    final AccountSizes sizes;
    int account = 1;
    long inAccount;

    Cursor(AccountSizes sizes) {
      this.sizes = sizes;
    }

    /** How many the next batch holds, 0 when done; moves past empty and full accounts. */
    int next() {
      while (account <= sizes.accounts() && inAccount == sizes.of(account)) {
        account++;
        inAccount = 0;
      }
      return account > sizes.accounts() ? 0 : (int) Math.min(BATCH, sizes.of(account) - inAccount);
    }
  }

  /**
   * One batch at a time, each next one a new task so that a load answering at once does not recurse.
   * A loop of unknown length completes one promise at its end rather than composing a future per
   * batch: a chain of thousands of nested futures would complete through as many stack frames.
   */
  private static void pump(Context ctx, BulkLoad load, Cursor cursor, SyntheticRegistrations gen,
      AtomicLong added, Promise<Void> all) {
    int n = cursor.next();
    if (n == 0) {
      all.complete();
      return;
    }
    String account = accountName(cursor.account);
    List<Registration> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      batch.add(gen.next());
    }
    cursor.inAccount += n;
    load.add(account, batch)
        .onSuccess(v -> {
          added.addAndGet(n);
          ctx.runOnContext(x -> pump(ctx, load, cursor, gen, added, all));
        })
        .onFailure(all::fail);
  }

  private static void progress(long added, long total, long started) {
    double secs = (System.nanoTime() - started) / 1e9;
    double rate = added / Math.max(secs, 1e-9);
    long eta = rate > 0 ? Math.round((total - added) / rate) : -1;
    LOG.info("seeding: {}/{} ({}%), {} registrations/s, ETA {}", added, total,
        total == 0 ? 100 : added * 100 / total, Math.round(rate), eta < 0 ? "?" : eta + " s");
  }
}
