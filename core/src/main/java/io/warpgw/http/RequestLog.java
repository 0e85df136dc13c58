package io.warpgw.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.warpgw.admin.RequestJournal;
import io.warpgw.metrics.GatewayMetrics;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Gives each request its id, and when it ends, its access-log line and its metrics. */
final class RequestLog implements Handler<RoutingContext> {
  private static final Logger ACCESS = LoggerFactory.getLogger("io.warpgw.access");

  static final int CLIENT_CLOSED = 499;

  private final GatewayMetrics metrics;
  private final RequestJournal journal;
  private final int maxBodySize;

  RequestLog(GatewayMetrics metrics, RequestJournal journal, int maxBodySize) {
    this.metrics = metrics;
    this.journal = journal;
    this.maxBodySize = maxBodySize;
  }

  private static int retryCount(RoutingContext ctx) {
    String v = ctx.request().getHeader("X-Stainless-Retry-Count");
    try {
      return v == null ? 0 : Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
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
      // A connection that closed before the answer was written got no status: log it as nginx does, 499.
      int status = ctx.response().ended() ? ctx.response().getStatusCode() : CLIENT_CLOSED;
      String route = ctx.get(Routes.ROUTE_KEY, "unmatched");
      String method = ctx.request().method().name();
      metrics.recordRequest(method, route, status, nanos);
      String path = ctx.request().path();
      if (!path.startsWith("/__admin/")) {
        journal.record(new RequestJournal.Entry(Instant.now(), method, path, ctx.request().query(), status,
            nanos / 1000, ctx.get(Routes.CREDENTIAL_KEY), id, retryCount(ctx)));
      }
      if (ACCESS.isInfoEnabled()) {
        ACCESS.info("{} {} {} {} {}us {} {}", method, route, ctx.request().path(), status, nanos / 1000, id,
            ctx.get(Routes.CREDENTIAL_KEY, "-"));
      }
    });
    ctx.next();
  }
}
