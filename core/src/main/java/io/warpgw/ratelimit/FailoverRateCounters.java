package io.warpgw.ratelimit;

import io.vertx.core.Future;
import io.warpgw.spi.RateCounters;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's shared counters while they answer, this process's own while they do not: a store
 * outage never turns into a 500 nor lifts the limit, it only stops the sharing (each gateway then
 * allows the whole budget). Says so once when the sharing stops and once when it resumes.
 */
public final class FailoverRateCounters implements RateCounters {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverRateCounters.class);

  private final RateCounters shared;
  private final RateCounters local;
  private final AtomicBoolean failing = new AtomicBoolean();

  public FailoverRateCounters(RateCounters shared, RateCounters local) {
    this.shared = shared;
    this.local = local;
  }

  @Override
  public Future<Window> hit(String key, long windowMillis, long restartAt) {
    Future<Window> f;
    try {
      f = shared.hit(key, windowMillis, restartAt);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.map(w -> {
      if (failing.compareAndSet(true, false)) {
        LOG.info("rate limit: the store's shared counters answer again; counting there");
      }
      return w;
    }).recover(e -> {
      if (failing.compareAndSet(false, true)) {
        LOG.warn("rate limit: the store's shared counters failed ({}); counting in this process until they"
            + " answer again, so each gateway allows the whole budget meanwhile", e.getMessage());
      }
      return local.hit(key, windowMillis, restartAt);
    });
  }
}
