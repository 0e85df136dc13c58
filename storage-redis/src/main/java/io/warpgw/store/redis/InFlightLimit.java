package io.warpgw.store.redis;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.warpgw.error.GatewayException;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * Lets at most {@code pool-size} requests reach the Redis client at once and queues up to
 * {@code max-wait-queue} more; beyond that, requests fail at once with UNAVAILABLE.
 *
 * <p>Why not leave this to the client's pool: in cluster mode every request first leases one pooled
 * connection to each master, one at a time. With more concurrent requests than the pool has
 * connections, requests holding some leases wait forever for the others (observed: a race test
 * stalled until its timeout). At most pool-size requests in flight can all hold a lease on every
 * node, so none waits on another.
 */
final class InFlightLimit {
  private final int permits;
  private final int maxWaiting;
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private int inFlight;

  private record Waiter(Context context, Promise<Void> turn) {}

  InFlightLimit(int permits, int maxWaiting) {
    this.permits = permits;
    this.maxWaiting = maxWaiting;
  }

  <T> Future<T> run(Supplier<Future<T>> request) {
    return acquire().compose(ok -> {
      Future<T> f;
      try {
        f = request.get();
      } catch (RuntimeException e) {
        release();
        throw e;
      }
      return f.andThen(done -> release());
    });
  }

  private Future<Void> acquire() {
    synchronized (this) {
      if (inFlight < permits) {
        inFlight++;
        return Future.succeededFuture();
      }
      if (waiting.size() >= maxWaiting) {
        return Future.failedFuture(GatewayException.unavailable(
            "the Redis store is busy: " + permits + " requests in flight and " + maxWaiting
                + " waiting (pool-size, max-wait-queue); retry later", null));
      }
      Waiter w = new Waiter(Vertx.currentContext(), Promise.promise());
      waiting.add(w);
      return w.turn().future();
    }
  }

  private void release() {
    Waiter next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        inFlight--;
        return;
      }
    }
    // The permit passes straight to the next waiter, resumed on its own event loop.
    if (next.context() != null) {
      next.context().runOnContext(v -> next.turn().complete());
    } else {
      next.turn().complete();
    }
  }
}
