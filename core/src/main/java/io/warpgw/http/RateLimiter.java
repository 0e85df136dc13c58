package io.warpgw.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.warpgw.config.RateLimitConfig;
import io.warpgw.error.ApiError;
import io.warpgw.error.GatewayException;
import io.warpgw.spi.RateCounters;

/**
 * Cloudflare's per-credential request limit (Cloudflare: 1200 requests per 5 minutes), emulated with a
 * fixed window per credential that its first request opens. Every request counts, refused ones too:
 * in a fixed window that changes nothing, since the window's end, not the count, lifts the refusal.
 * Every answered request carries {@code Ratelimit} and {@code Ratelimit-Policy}; past the limit the
 * answer is 429 (971) with {@code Retry-After}, the seconds until requests pass again: the window's
 * end, or in lockout mode the end of one whole window counted from the request that passed the limit.
 */
public final class RateLimiter {
  private final RateLimitConfig config;
  private final RateCounters counters;

  public RateLimiter(RateLimitConfig config, RateCounters counters) {
    this.config = config;
    this.counters = counters;
  }

  /** Counts one request of {@code credential}; fails with RATE_LIMITED past its limit. */
  Future<Void> acquire(String credential, HttpServerResponse response) {
    long limit = config.limitOf(credential);
    if (limit <= 0) {
      return Future.succeededFuture();
    }
    long windowMillis = config.windowSeconds() * 1000;
    // In lockout mode the hit that passes the limit restarts the window: a whole window of refusals.
    return counters.hit(credential, windowMillis, config.lockout() ? limit + 1 : 0).map(w -> {
      long resetSeconds = Math.max(1, (w.millisLeft() + 999) / 1000);
      response.putHeader("Ratelimit", "\"default\";r=" + Math.max(0, limit - w.count()) + ";t=" + resetSeconds);
      response.putHeader("Ratelimit-Policy", "\"default\";q=" + limit + ";w=" + config.windowSeconds());
      if (w.count() > limit) {
        response.putHeader("Retry-After", Long.toString(resetSeconds));
        throw new GatewayException(ApiError.RATE_LIMITED, "rate limit exceeded: " + limit + " requests per "
            + config.windowSeconds() + " s for this credential"
            + (config.lockout() ? "; locked out for a whole window from the request that passed it" : "")
            + "; retry after " + resetSeconds + " s");
      }
      return null;
    });
  }
}
