package io.warpgw.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.warpgw.error.ApiError;
import io.warpgw.error.GatewayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place a failure becomes an envelope. Unexpected ones are logged with the request id. */
public final class FailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    ensureRequestId(ctx);
    try {
      render(ctx);
    } catch (RuntimeException e) {
      LOG.error("request {}: rendering a failure failed", RequestIds.of(ctx), e);
      Envelope.failure(ctx.response(), ApiError.INTERNAL,
          "internal error; quote request id " + RequestIds.of(ctx) + " when reporting it");
    }
  }

  private void render(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpClosedException || ctx.response().closed()) {
      // The client went away (or the shutdown grace ended) mid-request: nobody to answer, nothing broken.
      LOG.debug("request {}: connection closed before the answer", RequestIds.of(ctx));
      return;
    }
    if (failure instanceof GatewayException g) {
      if (g.error() == ApiError.INTERNAL || g.getCause() != null && g.error().status() >= 500) {
        LOG.warn("request {} failed: {}", RequestIds.of(ctx), g.getMessage(), g.getCause());
      }
      Envelope.failure(ctx.response(), g.error(), g.getMessage());
      return;
    }
    if (failure instanceof DecodeException) {
      Envelope.failure(ctx.response(), ApiError.INVALID, "the body is not valid JSON: " + failure.getMessage());
      return;
    }
    int status = failure instanceof HttpException h ? h.getStatusCode() : ctx.statusCode();
    switch (status) {
      case 400 -> Envelope.failure(ctx.response(), ApiError.INVALID,
          "the request is malformed" + (failure != null && failure.getMessage() != null ? ": " + failure.getMessage() : ""));
      case 404 -> noRoute(ctx);
      case 405 -> methodNotAllowed(ctx);
      case 413 -> Envelope.failure(ctx.response(), ApiError.BODY_TOO_LARGE,
          "the request body is too large; the limit is " + String.valueOf(ctx.<Object>get(MAX_BODY_KEY)) + " bytes (http.max-body-size)");
      default -> {
        LOG.error("request {} failed unexpectedly", RequestIds.of(ctx), failure);
        Envelope.failure(ctx.response(), ApiError.INTERNAL,
            "internal error; quote request id " + RequestIds.of(ctx) + " when reporting it");
      }
    }
  }

  static final String MAX_BODY_KEY = "gateway.max-body-size";

  /**
   * The router's last resort: vertx-web answers in plain text when routing itself throws (a path or
   * query string that is not valid percent-encoding fails route matching with a 400, before any
   * route's failure handler), or when a failure handler fails (500).
   */
  public static void coverUnhandled(Router router) {
    router.errorHandler(400, ctx -> unhandled(ctx, ApiError.INVALID, "the request target is not valid: the path"
        + " and query string must be percent-encoded UTF-8 (a '%' is followed by two hex digits)"));
    router.errorHandler(500, ctx -> {
      LOG.error("request {} failed unexpectedly", RequestIds.of(ctx), ctx.failure());
      unhandled(ctx, ApiError.INTERNAL, "internal error; quote request id " + RequestIds.of(ctx) + " when reporting it");
    });
  }

  private static void unhandled(RoutingContext ctx, ApiError error, String message) {
    ensureRequestId(ctx);
    Envelope.failure(ctx.response(), error, message);
  }

  /**
   * Some requests fail before the first route, the one that gives each request its id, has run: one
   * without a Host header, one for {@code *}, one whose path cannot be decoded.
   */
  private static void ensureRequestId(RoutingContext ctx) {
    if (!ctx.response().headWritten() && !ctx.response().headers().contains("cf-ray")) {
      ctx.response().putHeader("cf-ray", RequestIds.next());
    }
  }

  public static void noRoute(RoutingContext ctx) {
    ensureRequestId(ctx);
    Envelope.failure(ctx.response(), ApiError.NO_ROUTE, "no route for " + ctx.request().method() + " "
        + ctx.request().path() + "; see /openapi.json for the routes this gateway serves");
  }

  public static void methodNotAllowed(RoutingContext ctx) {
    ensureRequestId(ctx);
    Envelope.failure(ctx.response(), ApiError.METHOD_NOT_ALLOWED, "method " + ctx.request().method()
        + " is not allowed on " + ctx.request().path() + "; see /openapi.json for the methods of each route");
  }
}
