package io.warpgw.http;

import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
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

  public static void noRoute(RoutingContext ctx) {
    Envelope.failure(ctx.response(), ApiError.NO_ROUTE, "no route for " + ctx.request().method() + " "
        + ctx.request().path() + "; see /openapi.json for the routes this gateway serves");
  }

  public static void methodNotAllowed(RoutingContext ctx) {
    Envelope.failure(ctx.response(), ApiError.METHOD_NOT_ALLOWED, "method " + ctx.request().method()
        + " is not allowed on " + ctx.request().path() + "; see /openapi.json for the methods of each route");
  }
}
