package io.warpgw.launcher;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.warpgw.model.Registration;
import io.warpgw.spi.RegistrationStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes synthetic registrations through the SPI: batches of {@value #BATCH}, a few in flight at once,
 * a progress line (count, rate, ETA) every two seconds and the final rate. Accounts are named
 * {@code account-1} … {@code account-N}.
 */
public final class Seeder {
  private static final Logger LOG = LoggerFactory.getLogger(Seeder.class);
  static final int BATCH = 1000;
  private static final int IN_FLIGHT = 4;

  private final Vertx vertx;
  private final RegistrationStore store;

  public Seeder(Vertx vertx, RegistrationStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  public static String accountName(int i) {
    return "account-" + i;
  }

  /** @return how many registrations were written */
  public Future<Long> seed(int accounts, long perAccount, long seed) {
    long total = accounts * perAccount;
    long started = System.nanoTime();
    AtomicLong written = new AtomicLong();
    long timer = vertx.setPeriodic(2000, id -> progress(written.get(), total, started));
    Promise<Long> done = Promise.promise();
    SyntheticRegistrations gen = new SyntheticRegistrations(seed);
    Plan plan = new Plan(accounts, perAccount);
    // All pumping happens on one context; each next batch is a new task, so a store that answers at
    // once (memory) does not recurse.
    io.vertx.core.Context ctx = vertx.getOrCreateContext();
    ctx.runOnContext(v -> {
      for (int i = 0; i < IN_FLIGHT; i++) {
        pump(ctx, plan, gen, written, done);
      }
    });
    return done.future().eventually(() -> {
      vertx.cancelTimer(timer);
      double secs = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
      LOG.info("seeded {} registrations into {} account(s) in {} s: {} registrations/s", written.get(), accounts,
          String.format("%.1f", secs), Math.round(written.get() / secs));
      return Future.succeededFuture();
    });
  }

  /** Which account gets the next batch; shared by the pumps, all on one event loop. */
  private static final class Plan {
    final int accounts;
    final long perAccount;
    int account = 1;
    long inAccount;
    int running;

    Plan(int accounts, long perAccount) {
      this.accounts = accounts;
      this.perAccount = perAccount;
    }
  }

  private void pump(io.vertx.core.Context ctx, Plan plan, SyntheticRegistrations gen, AtomicLong written,
      Promise<Long> done) {
    if (plan.account > plan.accounts || plan.perAccount == 0) {
      if (plan.running == 0) {
        done.tryComplete(written.get());
      }
      return;
    }
    String account = accountName(plan.account);
    int n = (int) Math.min(BATCH, plan.perAccount - plan.inAccount);
    List<Registration> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      batch.add(gen.next());
    }
    plan.inAccount += n;
    if (plan.inAccount == plan.perAccount) {
      plan.account++;
      plan.inAccount = 0;
    }
    plan.running++;
    insertWithRetry(account, batch, 1)
        .onSuccess(existing -> {
          plan.running--;
          written.addAndGet(n - existing.size());
          ctx.runOnContext(v -> pump(ctx, plan, gen, written, done));
        })
        .onFailure(e -> {
          plan.running--;
          done.tryFail(e);
        });
  }

  /**
   * A loaded database may time out or shed a batch; the batch is retried (insertBatch reports what
   * already exists, so a retry after a lost answer is safe) with a growing pause, a few times.
   */
  private Future<java.util.Set<String>> insertWithRetry(String account, List<Registration> batch, int attempt) {
    return store.insertBatch(account, batch).recover(e -> {
      boolean transient_ = e instanceof io.warpgw.error.GatewayException g
          && (g.error() == io.warpgw.error.ApiError.UNAVAILABLE || g.error() == io.warpgw.error.ApiError.TIMEOUT);
      if (!transient_ || attempt >= MAX_ATTEMPTS) {
        return Future.failedFuture(e);
      }
      long pause = 200L << Math.min(attempt, 5);
      LOG.warn("seeding: a batch failed ({}); retry {} of {} in {} ms", e.getMessage(), attempt, MAX_ATTEMPTS - 1, pause);
      Promise<Void> waited = Promise.promise();
      vertx.setTimer(pause, id -> waited.complete());
      return waited.future().compose(v -> insertWithRetry(account, batch, attempt + 1));
    });
  }

  private static final int MAX_ATTEMPTS = 6;

  private static void progress(long written, long total, long started) {
    double secs = (System.nanoTime() - started) / 1e9;
    double rate = written / Math.max(secs, 1e-9);
    long eta = rate > 0 ? Math.round((total - written) / rate) : -1;
    LOG.info("seeding: {}/{} ({}%), {} registrations/s, ETA {}", written, total,
        total == 0 ? 100 : written * 100 / total, Math.round(rate), eta < 0 ? "?" : TimeUnit.SECONDS.toSeconds(eta) + " s");
  }
}
