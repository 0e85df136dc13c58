package io.warpgw.spi;

import io.vertx.core.Future;
import io.warpgw.model.Page;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationPatch;
import io.warpgw.model.RegistrationQuery;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where registrations live. Every operation is scoped by account id, never blocks the calling event
 * loop, and reports failures as {@link io.warpgw.error.GatewayException}s: {@code NOT_FOUND} naming
 * the missing ids, {@code CONFLICT}, {@code UNAVAILABLE} when the backend cannot be reached or its
 * pool is exhausted, {@code TIMEOUT} when it did not answer in time. Times handed in are already
 * truncated to microseconds; a store keeps them exactly.
 */
public interface RegistrationStore {

  /**
   * One page in the query's order, starting strictly after {@code query.after()}. A store fetches one
   * item more than the page so that {@link Page#next()} is null exactly when nothing further matches.
   */
  Future<Page> list(String accountId, RegistrationQuery query);

  /** Fails with {@code NOT_FOUND} when the id is not in the account. */
  Future<Registration> get(String accountId, String id);

  /** Stores a new registration; fails with {@code CONFLICT} when the id exists in the account. */
  Future<Registration> create(String accountId, Registration registration);

  /**
   * Stores many new registrations (import, seed). Ids are distinct within the batch, at most 1000. Each
   * one whose id already exists is left out and reported; the others are all stored, and appear to
   * readers at once.
   *
   * @return the ids that already existed
   */
  Future<Set<String>> insertBatch(String accountId, List<Registration> batch);

  /** Applies the patch atomically and returns the result; {@code NOT_FOUND} when absent. */
  Future<Registration> update(String accountId, String id, RegistrationPatch patch, Instant now);

  /** {@code NOT_FOUND} when absent. */
  Future<Void> delete(String accountId, String id);

  /** All or nothing: if any id is absent, fails with {@code NOT_FOUND} naming them and changes nothing. */
  Future<Void> deleteAll(String accountId, Set<String> ids);

  /**
   * All or nothing, as {@link #deleteAll}. Sets {@code revoked_at} and {@code updated_at} to
   * {@code now} on those not yet revoked; the others are left as they are.
   */
  Future<Void> revoke(String accountId, Set<String> ids, Instant now);

  /** All or nothing. Clears {@code revoked_at} and sets {@code updated_at} on those revoked. */
  Future<Void> unrevoke(String accountId, Set<String> ids, Instant now);

  /**
   * Every account that holds at least one registration, in code-point order. For whole-store work
   * (copy between backends, reset), not for request paths.
   */
  Future<List<String>> accounts();

  /**
   * Removes every registration of the account in one atomic step: a reader sees all of them or none,
   * and no write acknowledged after this completes is lost to it.
   */
  Future<Void> deleteAccount(String accountId);

  /** Removes every registration of every account this store holds (and nothing else). */
  Future<Void> reset();

  /**
   * Starts a bulk load (seed, copy). The default adds every batch through {@link #insertBatch}; a
   * store that can load faster by deferring work to the end overrides it.
   */
  default Future<BulkLoad> bulkLoad() {
    return Future.succeededFuture(BulkLoad.batchByBatch(this));
  }

  /**
   * Counters shared by every gateway on this store, for the rate limiter; empty (the default) when the
   * store has none, and each gateway then counts in its own process.
   */
  default Optional<RateCounters> rateCounters() {
    return Optional.empty();
  }

  /** Succeeds when the backend answers; drives {@code /ready}. */
  Future<Void> ping();

  Future<Void> close();
}
