package io.warpgw.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Continues a request once something asynchronous is done (a shared rate counter, a fault's delay),
 * keeping its body: vertx-web does not pause requests, and body bytes that arrive while no handler
 * reads them are lost. The request is paused meanwhile and resumed after the next step has attached
 * its readers (the body handler, an import's parser).
 */
final class Paused {
  private Paused() {}

  static void until(RoutingContext ctx, Future<?> done, Runnable next) {
    if (done.isComplete()) {
      proceed(ctx, done, next);
      return;
    }
    HttpServerRequest request = ctx.request();
    request.pause();
    done.onComplete(ar -> {
      try {
        proceed(ctx, done, next);
      } finally {
        request.resume();
      }
    });
  }

  private static void proceed(RoutingContext ctx, Future<?> done, Runnable next) {
    if (done.failed()) {
      ctx.fail(done.cause());
      return;
    }
    try {
      next.run();
    } catch (RuntimeException e) {
      ctx.fail(e);
    }
  }
}
