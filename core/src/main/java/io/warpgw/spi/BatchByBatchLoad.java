package io.warpgw.spi;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.warpgw.error.ApiError;
import io.warpgw.error.GatewayException;
import io.warpgw.model.Registration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link BulkLoad#batchByBatch}: up to {@value #IN_FLIGHT} inserts of at most 1000 in flight; {@code add}
 * answers when there is room for the next batch. A batch that failed because the backend shed load is
 * retried with a growing pause (insertBatch reports what already exists, so a retry after a lost answer
 * is safe); any other failure fails the load.
 */
final class BatchByBatchLoad implements BulkLoad {
  private static final Logger LOG = LoggerFactory.getLogger(BatchByBatchLoad.class);
  private static final int IN_FLIGHT = 4;
  private static final int MAX_ATTEMPTS = 6;

  private final RegistrationStore store;
  private final InFlightWindow window = new InFlightWindow(IN_FLIGHT);
  private final AtomicLong stored = new AtomicLong();

  BatchByBatchLoad(RegistrationStore store) {
    this.store = store;
  }

  @Override
  public Future<Void> add(String accountId, List<Registration> batch) {
    Context context = Vertx.currentContext();
    Future<Void> room = Future.succeededFuture();
    for (int from = 0; from < batch.size(); from += 1000) {
      List<Registration> part = batch.subList(from, Math.min(batch.size(), from + 1000));
      // Each part waits for room before it is sent, so no more than IN_FLIGHT are ever in the store.
      room = room.compose(v -> window.add(insert(context, accountId, part, 1)
          .map(existing -> stored.addAndGet(part.size() - existing.size()))));
    }
    return room;
  }

  @Override
  public Future<Long> finish() {
    return window.drained().map(v -> stored.get());
  }

  private Future<Set<String>> insert(Context context, String accountId, List<Registration> part, int attempt) {
    return store.insertBatch(accountId, part).recover(e -> {
      boolean shed = e instanceof GatewayException g
          && (g.error() == ApiError.UNAVAILABLE || g.error() == ApiError.TIMEOUT);
      if (!shed || attempt >= MAX_ATTEMPTS || context == null) {
        return Future.failedFuture(e);
      }
      long pause = 200L << Math.min(attempt, 5);
      LOG.warn("bulk load: a batch failed ({}); retry {} of {} in {} ms", e.getMessage(), attempt,
          MAX_ATTEMPTS - 1, pause);
      return pause(context, pause).compose(v -> insert(context, accountId, part, attempt + 1));
    });
  }

  private static Future<Void> pause(Context context, long millis) {
    Promise<Void> waited = Promise.promise();
    context.owner().setTimer(millis, id -> waited.complete());
    return waited.future();
  }
}
