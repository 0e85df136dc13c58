package io.warpgw.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.warpgw.admin.Faults;

/** The route table: Cloudflare's paths under the base path, the extensions, operations and admin. */
public final class Routes {
  static final String ROUTE_KEY = "gateway.route";
  static final String CREDENTIAL_KEY = "gateway.credential";

  private final Router router;
  private final BodyHandler body;
  private final Faults faults;
  private final Vertx vertx;
  private final Access access;

  private Routes(Vertx vertx, Router router, BodyHandler body, Faults faults, Access access) {
    this.vertx = vertx;
    this.access = access;
    this.router = router;
    this.body = body;
    this.faults = faults;
  }

  public static Router create(Vertx vertx, Wiring w) {
    Router router = Router.router(vertx);
    Access access = new Access(w.authenticator(), w.rateLimiter());
    RegistrationsHandler h = new RegistrationsHandler(w.store(), access, w.cursors(), w.clock());
    Operations ops = new Operations(w.store(), w.storeName(), w.metrics(), w.basePath());
    AdminHandler admin = new AdminHandler(access, w.journal(), w.faults(), w.store());
    Routes r = new Routes(vertx, router, BodyHandler.create(false).setBodyLimit(w.maxBodySize()), w.faults(), access);
    String regs = w.basePath() + "/accounts/:account_id/devices/registrations";

    router.route().handler(new RequestLog(w.metrics(), w.journal(), w.maxBodySize()));
    // The hot routes first: the router tries routes in order, each a path regex.
    r.api(router.get(regs), "list", false, h::list);
    r.api(router.get(regs + "/export"), "export", false, h::export);
    r.api(router.get(regs + "/:registration_id"), "get", false, h::get);
    r.api(router.delete(regs), "bulk_delete", true, h::bulkDelete);
    r.api(router.post(regs + "/revoke"), "revoke", true, h::revoke);
    r.api(router.post(regs + "/unrevoke"), "unrevoke", true, h::unrevoke);
    r.api(router.post(regs + "/import"), "import", false, h::importNdjson);
    r.api(router.post(regs), "create", true, h::create);
    r.api(router.patch(regs + "/:registration_id"), "update", true, h::update);
    r.api(router.delete(regs + "/:registration_id"), "delete", true, h::delete);
    r.plain(router.get("/health"), "health", false, ops::health);
    r.plain(router.get("/ready"), "ready", false, ops::ready);
    r.plain(router.get("/metrics"), "metrics", false, ops::metrics);
    r.plain(router.get("/openapi.json"), "openapi", false, ops::openapi);
    r.plain(router.post("/__admin/reset"), "admin_reset", true, admin::reset);
    r.plain(router.delete("/__admin/accounts/:account_id"), "admin_delete_account", true, admin::deleteAccount);
    r.plain(router.get("/__admin/requests"), "admin_requests", false, admin::requests);
    r.plain(router.get("/__admin/faults"), "admin_faults", false, admin::faults);
    r.plain(router.put("/__admin/faults"), "admin_faults", true, admin::replaceFaults);
    r.plain(router.delete("/__admin/faults"), "admin_faults", false, admin::clearFaults);

    router.route().failureHandler(new FailureHandler());
    router.errorHandler(404, FailureHandler::noRoute);
    router.errorHandler(405, FailureHandler::methodNotAllowed);
    return router;
  }

  /**
   * An API route: named for metrics and the journal, counted by the rate limiter, then subject to fault
   * rules. The limiter comes first, as Cloudflare's edge refuses before any origin trouble could show.
   */
  private void api(Route route, String name, boolean withBody, Handler<RoutingContext> handler) {
    route.handler(ctx -> {
      ctx.put(ROUTE_KEY, name);
      Paused.until(ctx, access.limit(ctx), () -> {
        Faults.Decision d = faults.decide(ctx.request().method().name(), name, ctx.pathParam("account_id"));
        if (d.none()) {
          next(ctx, withBody);
        } else {
          FaultInjector.apply(vertx, ctx, d, () -> next(ctx, withBody));
        }
      });
    });
    route.handler(handler);
  }

  private void plain(Route route, String name, boolean withBody, Handler<RoutingContext> handler) {
    route.handler(ctx -> {
      ctx.put(ROUTE_KEY, name);
      next(ctx, withBody);
    });
    route.handler(handler);
  }

  private void next(RoutingContext ctx, boolean withBody) {
    if (withBody) {
      body.handle(ctx);
    } else {
      ctx.next();
    }
  }
}
