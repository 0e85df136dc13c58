package io.warpgw.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.warpgw.admin.Faults;

/** Carries out a fault decision: the delay, then the error, the dropped connection, or the request. */
final class FaultInjector {
  static final String HEADER = "x-gateway-fault";

  private FaultInjector() {}

  static void apply(Vertx vertx, RoutingContext ctx, Faults.Decision d, Runnable proceed) {
    ctx.response().putHeader(HEADER, d.rule());
    Runnable act = () -> {
      if (d.drop()) {
        ctx.request().connection().close();
      } else if (d.status() != null) {
        Envelope.failure(ctx.response(), d.status(), d.code(), d.message());
      } else {
        proceed.run();
      }
    };
    if (d.delayMs() > 0) {
      vertx.setTimer(d.delayMs(), id -> act.run());
    } else {
      act.run();
    }
  }
}
