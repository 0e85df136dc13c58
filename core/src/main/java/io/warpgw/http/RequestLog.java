package io.warpgw.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.warpgw.metrics.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Gives each request its id, and when it ends, its access-log line and its metrics. */
final class RequestLog implements Handler<RoutingContext> {
  private static final Logger ACCESS = LoggerFactory.getLogger("io.warpgw.access");

  private final GatewayMetrics metrics;
  private final int maxBodySize;

  RequestLog(GatewayMetrics metrics, int maxBodySize) {
    this.metrics = metrics;
    this.maxBodySize = maxBodySize;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    String id = RequestIds.next();
    ctx.put(RequestIds.KEY, id);
    ctx.put(FailureHandler.MAX_BODY_KEY, maxBodySize);
    ctx.response().putHeader("cf-ray", id);
    ctx.addEndHandler(ar -> {
      long nanos = System.nanoTime() - start;
      int status = ctx.response().getStatusCode();
      String route = ctx.get(Routes.ROUTE_KEY, "unmatched");
      String method = ctx.request().method().name();
      metrics.recordRequest(method, route, status, nanos);
      if (ACCESS.isInfoEnabled()) {
        ACCESS.info("{} {} {} {} {}us {} {}", method, route, ctx.request().path(), status, nanos / 1000, id,
            ctx.get(Routes.CREDENTIAL_KEY, "-"));
      }
    });
    ctx.next();
  }
}
