package io.warpgw.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.Future;
import io.warpgw.error.ApiError;
import io.warpgw.error.GatewayException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for store futures from the test thread (never an event loop). */
final class StoreAwait {
  private StoreAwait() {}

  static <T> T await(Future<T> f) {
    try {
      return f.await(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the store did not answer within 60 s", e);
    }
  }

  static GatewayException failure(Future<?> f, ApiError expected) {
    try {
      Object v = f.await(60, TimeUnit.SECONDS);
      return fail("expected %s, got success: %s", expected, v);
    } catch (TimeoutException e) {
      throw new AssertionError("the store did not answer within 60 s", e);
    } catch (GatewayException e) {
      assertThat(e.error()).as(e.getMessage()).isEqualTo(expected);
      return e;
    }
  }
}
