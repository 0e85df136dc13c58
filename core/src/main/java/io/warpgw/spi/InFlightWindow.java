package io.warpgw.spi;

import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * At most {@code limit} operations of a {@link BulkLoad} in flight. {@link #add} answers when there is
 * room for the next one (once the oldest has finished), and fails as soon as any operation it holds has
 * failed; {@link #drained} when every one has finished. Calls come one at a time, as BulkLoad's do.
 */
public final class InFlightWindow {
  private final int limit;
  private final ArrayDeque<Future<?>> running = new ArrayDeque<>();

  public InFlightWindow(int limit) {
    this.limit = limit;
  }

  public synchronized Future<Void> add(Future<?> operation) {
    for (Future<?> f : running) {
      if (f.failed()) {
        return Future.failedFuture(f.cause());
      }
    }
    running.add(operation);
    return running.size() < limit ? Future.succeededFuture() : running.poll().mapEmpty();
  }

  /** Fails with the first failure among the operations still held. */
  public synchronized Future<Void> drained() {
    Future<Void> all = Future.all(new ArrayList<>(running)).mapEmpty();
    running.clear();
    return all;
  }
}
