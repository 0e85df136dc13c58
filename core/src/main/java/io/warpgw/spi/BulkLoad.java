package io.warpgw.spi;

import io.vertx.core.Future;
import io.warpgw.model.Registration;
import java.util.List;

/**
 * One bulk load into a store (seed, copy): batches of new registrations for any accounts, then
 * {@link #finish}. A store may take them faster than through {@link RegistrationStore#insertBatch} by
 * deferring work to the end, for instance building its indexes once instead of per registration.
 *
 * <p>What a load has added may stay invisible to readers until {@code finish} succeeds. As with
 * {@code insertBatch}, a registration whose id is already in its account is left as it is and not
 * counted. A load that fails, or whose process dies, may leave none, some or all of its batches
 * stored, but never part of a registration and never a registration without its index entries.
 * Calls are made one at a time: the next {@code add} only after the previous one's future completed.
 */
public interface BulkLoad {

  /** Ids are distinct within the batch and across the load; the batch may hold up to 10 000. */
  Future<Void> add(String accountId, List<Registration> batch);

  /** Makes every added registration visible; returns how many were stored (existing ids left out). */
  Future<Long> finish();

  /**
   * The load through {@link RegistrationStore#insertBatch}: every batch visible once its insert
   * completes, a few inserts in flight, a batch the store shed for load (unavailable, timeout) retried.
   */
  static BulkLoad batchByBatch(RegistrationStore store) {
    return new BatchByBatchLoad(store);
  }
}
