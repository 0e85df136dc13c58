package io.warpgw.ratelimit;

import io.vertx.core.Future;
import io.warpgw.spi.RateCounters;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Rate counters in this process: exact across event loops, since each hit is one atomic
 * {@link ConcurrentHashMap#compute} on an immutable state, but private to this gateway. Holds one
 * entry per credential that ever called, which the configured credentials bound.
 */
public final class LocalRateCounters implements RateCounters {
  private record State(long endMillis, long count) {}

  private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();
  private final LongSupplier clockMillis;

  public LocalRateCounters(LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
  }

  @Override
  public Future<Window> hit(String key, long windowMillis, long restartAt) {
    long now = clockMillis.getAsLong();
    State s = states.compute(key, (k, old) -> {
      State next = old == null || now >= old.endMillis() ? new State(now + windowMillis, 1)
          : new State(old.endMillis(), old.count() + 1);
      return restartAt > 0 && next.count() == restartAt ? new State(now + windowMillis, next.count()) : next;
    });
    return Future.succeededFuture(new Window(s.count(), Math.max(0, s.endMillis() - now)));
  }
}
