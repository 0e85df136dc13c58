package io.warpgw.spi;

import io.vertx.core.Future;

/**
 * Fixed-window request counters, an optional capability of a store: a store that offers them (see
 * {@link RegistrationStore#rateCounters()}) lets every gateway on it share one budget per credential.
 * Without it each gateway counts in its own process.
 *
 * <p>A window opens at a key's first hit and lasts {@code windowMillis}; every hit in it counts,
 * atomically, however many event loops or gateways hit the key at once. When the count reaches
 * {@code restartAt} (0 = never) the window restarts from that moment with the count kept: this is how
 * a lockout lasts one whole window from the hit that passed the limit.
 */
public interface RateCounters {

  /** The state of a key's window right after one hit. */
  record Window(long count, long millisLeft) {}

  /** Counts one hit on {@code key}; the key is a credential's name, never a secret. */
  Future<Window> hit(String key, long windowMillis, long restartAt);
}
