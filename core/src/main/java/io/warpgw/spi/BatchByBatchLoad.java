package io.warpgw.spi;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.warpgw.error.ApiError;
import io.warpgw.error.GatewayException;
import io.warpgw.model.Registration;
import java.util.List;
import java.util.Set;
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
  private long stored;
  private int running;
  private Throwable failure;
  private Promise<Void> room;
  private Promise<Long> finished;

  BatchByBatchLoad(RegistrationStore store) {
    this.store = store;
  }

  @Override
  public synchronized Future<Void> add(String accountId, List<Registration> batch) {
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    Context context = Vertx.currentContext();
    for (int from = 0; from < batch.size(); from += 1000) {
      List<Registration> part = batch.subList(from, Math.min(batch.size(), from + 1000));
      running++;
      insert(context, accountId, part, 1).onComplete(ar -> done(part.size(), ar));
    }
    if (running < IN_FLIGHT) {
      return Future.succeededFuture();
    }
    room = Promise.promise();
    return room.future();
  }

  @Override
  public synchronized Future<Long> finish() {
    if (running == 0) {
      return failure != null ? Future.failedFuture(failure) : Future.succeededFuture(stored);
    }
    finished = Promise.promise();
    return finished.future();
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
      Promise<Void> waited = Promise.promise();
      context.owner().setTimer(pause, id -> waited.complete());
      return waited.future().compose(v -> insert(context, accountId, part, attempt + 1));
    });
  }

  private void done(int size, AsyncResult<Set<String>> ar) {
    Promise<Void> wake = null;
    Promise<Long> end = null;
    Throwable failed;
    long total;
    synchronized (this) {
      running--;
      if (ar.succeeded()) {
        stored += size - ar.result().size();
      } else if (failure == null) {
        failure = ar.cause();
      }
      if (room != null && (running < IN_FLIGHT || failure != null)) {
        wake = room;
        room = null;
      }
      if (finished != null && running == 0) {
        end = finished;
        finished = null;
      }
      failed = failure;
      total = stored;
    }
    if (wake != null) {
      if (failed != null) {
        wake.fail(failed);
      } else {
        wake.complete();
      }
    }
    if (end != null) {
      if (failed != null) {
        end.fail(failed);
      } else {
        end.complete(total);
      }
    }
  }
}
