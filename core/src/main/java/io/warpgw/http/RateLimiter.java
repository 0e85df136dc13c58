package io.warpgw.http;

import io.vertx.core.http.HttpServerResponse;
import io.warpgw.error.ApiError;
import io.warpgw.error.GatewayException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Cloudflare's per-token request limit (by default 1200 requests per 5 minutes), emulated in this
 * process: a fixed window per credential, started by its first request. Every answered request carries
 * {@code Ratelimit} and {@code Ratelimit-Policy}; past the limit the answer is 429 (971) with
 * {@code Retry-After} set to the seconds left in the window.
 */
public final class RateLimiter {
  private final long limit;
  private final long windowMillis;
  private final LongSupplier clockMillis;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  public RateLimiter(long limit, long windowSeconds, LongSupplier clockMillis) {
    this.limit = limit;
    this.windowMillis = windowSeconds * 1000;
    this.clockMillis = clockMillis;
  }

  private static final class Window {
    final long start;
    final AtomicLong used = new AtomicLong();

    Window(long start) {
      this.start = start;
    }
  }

  /** Counts one request of {@code credential}; throws RATE_LIMITED past the limit. */
  void acquire(String credential, HttpServerResponse response) {
    long now = clockMillis.getAsLong();
    Window w = windows.compute(credential, (k, old) -> old == null || now - old.start >= windowMillis ? new Window(now) : old);
    long used = w.used.incrementAndGet();
    long resetSeconds = Math.max(1, (w.start + windowMillis - now + 999) / 1000);
    response.putHeader("Ratelimit", "\"default\";r=" + Math.max(0, limit - used) + ";t=" + resetSeconds);
    response.putHeader("Ratelimit-Policy", "\"default\";q=" + limit + ";w=" + windowMillis / 1000);
    if (used > limit) {
      response.putHeader("Retry-After", Long.toString(resetSeconds));
      throw new GatewayException(ApiError.RATE_LIMITED, "rate limit exceeded: " + limit + " requests per "
          + windowMillis / 1000 + " s for this credential; retry after " + resetSeconds + " s");
    }
  }
}
