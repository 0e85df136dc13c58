package io.warpgw.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import io.warpgw.error.GatewayException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/** Translates what the Redis client reports into the API's errors, at the store's boundary. */
final class RedisFailures {
  /** Replies that mean the server is there but cannot serve right now: retrying later helps. */
  private static final Set<String> TRANSIENT = Set.of(
      "CONNECTION_CLOSED", "LOADING", "BUSY", "CLUSTERDOWN", "TRYAGAIN", "MASTERDOWN", "READONLY", "NOREPLICAS",
      "MISCONF", "OOM");

  private RedisFailures() {}

  static <T> Future<T> translate(Throwable e) {
    return Future.failedFuture(of(e));
  }

  static Throwable of(Throwable e) {
    if (e instanceof GatewayException) {
      return e;
    }
    if (e instanceof TimeoutException) {
      return GatewayException.timeout("the Redis store did not answer in time; retry later", e);
    }
    String code = replyCode(e);
    if (code == null || TRANSIENT.contains(code)) {
      // No Redis reply at all: refused or lost connection, pool wait queue full, cluster topology
      // unknown. All of these pass once Redis is back, which the client notices by itself.
      return GatewayException.unavailable("the Redis store is unavailable; retry later", e);
    }
    // A reply the store did not expect (a script error, WRONGTYPE from foreign keys): a bug to log.
    return new IllegalStateException("Redis replied " + e.getMessage(), e);
  }

  /** The error code of a Redis error reply ({@code NOSCRIPT}, {@code BUSY}...), or null if none. */
  private static String replyCode(Throwable e) {
    if (!(e instanceof Response r && r.type() == ResponseType.ERROR)) {
      return null;
    }
    String m = e.getMessage();
    int space = m == null ? -1 : m.indexOf(' ');
    return m == null ? "" : space < 0 ? m : m.substring(0, space);
  }
}
