package io.warpgw.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.warpgw.auth.Authenticator;
import io.warpgw.cursor.CursorCodec;
import io.warpgw.metrics.GatewayMetrics;
import io.warpgw.spi.RegistrationStore;
import java.time.Clock;

/** The route table: Cloudflare's paths under the base path, the extensions, and operations. */
public final class Routes {
  static final String ROUTE_KEY = "gateway.route";
  static final String CREDENTIAL_KEY = "gateway.credential";

  private Routes() {}

  public static Router create(Vertx vertx, String basePath, int maxBodySize, RegistrationStore store,
      String storeName, Authenticator authenticator, RateLimiter rateLimiter, CursorCodec cursors,
      GatewayMetrics metrics, Clock clock) {
    Router router = Router.router(vertx);
    RegistrationsHandler h = new RegistrationsHandler(store, new Access(authenticator, rateLimiter), cursors, clock);
    Operations ops = new Operations(store, storeName, metrics, basePath);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodySize);
    String regs = basePath + "/accounts/:account_id/devices/registrations";

    router.route().handler(new RequestLog(metrics, maxBodySize));
    on(router.get(regs), "list", h::list);
    on(router.delete(regs), "bulk_delete", body, h::bulkDelete);
    on(router.post(regs + "/revoke"), "revoke", body, h::revoke);
    on(router.post(regs + "/unrevoke"), "unrevoke", body, h::unrevoke);
    on(router.post(regs + "/import"), "import", h::importNdjson);
    on(router.post(regs), "create", body, h::create);
    on(router.get(regs + "/export"), "export", h::export);
    on(router.get(regs + "/:registration_id"), "get", h::get);
    on(router.patch(regs + "/:registration_id"), "update", body, h::update);
    on(router.delete(regs + "/:registration_id"), "delete", body, h::delete);
    on(router.get("/health"), "health", ops::health);
    on(router.get("/ready"), "ready", ops::ready);
    on(router.get("/metrics"), "metrics", ops::metrics);
    on(router.get("/openapi.json"), "openapi", ops::openapi);

    router.route().failureHandler(new FailureHandler());
    router.errorHandler(404, FailureHandler::noRoute);
    router.errorHandler(405, FailureHandler::methodNotAllowed);
    return router;
  }

  private static void on(Route route, String name, Handler<RoutingContext> handler) {
    route.handler(ctx -> {
      ctx.put(ROUTE_KEY, name);
      handler.handle(ctx);
    });
  }

  private static void on(Route route, String name, BodyHandler body, Handler<RoutingContext> handler) {
    route.handler(ctx -> {
      ctx.put(ROUTE_KEY, name);
      body.handle(ctx);
    }).handler(handler);
  }
}
