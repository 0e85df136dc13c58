package io.warpgw.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.warpgw.json.RegistrationJson;
import io.warpgw.model.Page;
import io.warpgw.model.Position;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.model.SortField;
import io.warpgw.model.SortOrder;
import io.warpgw.model.Status;
import io.warpgw.spi.RegistrationStore;

/**
 * One NDJSON export: every registration of the account, revoked ones included, in id order, one
 * Create/Import-shaped line each (policy included). Pages are read from the store only as fast as the
 * client takes the bytes, so memory stays flat whatever the account's size.
 */
final class ExportJob {
  static final int PAGE = 1000;

  private final RegistrationStore store;
  private final String account;
  private final HttpServerResponse response;
  private final Promise<Void> done = Promise.promise();
  private final RegistrationQuery query = RegistrationQuery.all().withStatus(Status.ALL)
      .withSort(SortField.ID, SortOrder.ASC).withPerPage(PAGE);

  ExportJob(RegistrationStore store, String account, HttpServerResponse response) {
    this.store = store;
    this.account = account;
    this.response = response;
  }

  private boolean closed;

  Future<Void> run() {
    // The first page decides the status: a failure before any byte is written is still an envelope.
    return store.list(account, query).compose(first -> {
      response.setStatusCode(200).setChunked(true).putHeader("Content-Type", "application/x-ndjson");
      response.closeHandler(v -> {
        closed = true;
        done.tryComplete();
      });
      write(first);
      return done.future();
    });
  }

  private void write(Page page) {
    StringBuilder sb = new StringBuilder(page.items().size() * 600);
    for (Registration r : page.items()) {
      sb.append(RegistrationJson.toJson(r, true).encode()).append('\n');
    }
    response.write(Buffer.buffer(sb.toString()));
    Position next = page.next();
    if (next == null) {
      response.end().onComplete(ar -> done.tryComplete());
      return;
    }
    if (response.writeQueueFull()) {
      response.drainHandler(v -> fetch(next));
    } else {
      fetch(next);
    }
  }

  private void fetch(Position next) {
    if (closed) {
      return;
    }
    store.list(account, query.withAfter(next))
        .onSuccess(this::write)
        // Headers are gone: all that can be said now is that the stream is cut short.
        .onFailure(e -> {
          response.reset();
          done.tryComplete();
        });
  }
}
