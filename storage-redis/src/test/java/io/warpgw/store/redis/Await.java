package io.warpgw.store.redis;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for a store's future on the test thread (never an event loop). */
final class Await {
  private Await() {}

  static <T> T result(Future<T> f) {
    try {
      return f.await(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within 30 s", e);
    }
  }

  static Throwable failure(Future<?> f) {
    try {
      f.await(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within 30 s", e);
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected a failure, got success");
  }
}
