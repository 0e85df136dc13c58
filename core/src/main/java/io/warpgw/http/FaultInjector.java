package io.warpgw.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.warpgw.admin.Faults;
import java.util.concurrent.TimeUnit;

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
        d.headers().forEach(ctx.response()::putHeader); // before the envelope, which keeps what is set
        Envelope.failure(ctx.response(), d.status(), d.code(), d.message());
      } else {
        proceed.run();
      }
    };
    if (d.delayMs() > 0) {
      Paused.until(ctx, vertx.timer(d.delayMs(), TimeUnit.MILLISECONDS), act);
    } else {
      act.run();
    }
  }
}
