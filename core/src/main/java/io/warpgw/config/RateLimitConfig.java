package io.warpgw.config;

import java.util.Map;

/**
 * {@code rate-limit}: Cloudflare's per-credential request limit, emulated (off by default).
 *
 * @param requests per credential and window; 0 = no limit
 * @param windowSeconds the window's length
 * @param lockout past the limit, refuse everything for one whole window from that moment (Cloudflare:
 *     "all API calls for the next five minutes will be blocked") instead of until the current window ends
 * @param perCredential limits for particular credentials by name, overriding {@code requests}; 0 = none
 */
public record RateLimitConfig(long requests, long windowSeconds, boolean lockout, Map<String, Long> perCredential) {
  public static final RateLimitConfig OFF = new RateLimitConfig(0, 300, false, Map.of());

  public RateLimitConfig {
    perCredential = Map.copyOf(perCredential);
  }

  /** Whether any credential has a limit at all. */
  public boolean enabled() {
    return requests > 0 || perCredential.values().stream().anyMatch(n -> n > 0);
  }

  /** The limit of a credential; 0 = none. */
  public long limitOf(String credentialName) {
    return perCredential.getOrDefault(credentialName, requests);
  }
}
