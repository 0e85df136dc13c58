package io.warpgw.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.warpgw.error.ApiError;
import io.warpgw.error.GatewayException;
import io.warpgw.metrics.GatewayMetrics;
import io.warpgw.spi.RegistrationStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** /health, /ready, /metrics, /openapi.json: outside the API prefix, no credentials. */
final class Operations {
  private static final long READY_TIMEOUT_MS = 2000;

  private final RegistrationStore store;
  private final String storeName;
  private final GatewayMetrics metrics;
  private final Buffer openapi;

  Operations(RegistrationStore store, String storeName, GatewayMetrics metrics, String basePath) {
    this.store = store;
    this.storeName = storeName;
    this.metrics = metrics;
    this.openapi = Buffer.buffer(loadOpenApi().replace("${BASE_PATH}", basePath));
  }

  void health(RoutingContext ctx) {
    Envelope.success(ctx.response(), 200, new JsonObject().put("status", "ok"), null);
  }

  void ready(RoutingContext ctx) {
    store.ping()
        .timeout(READY_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onSuccess(v -> Envelope.success(ctx.response(), 200,
            new JsonObject().put("status", "ready").put("store", storeName), null))
        .onFailure(e -> Envelope.failure(ctx.response(), ApiError.UNAVAILABLE,
            "the " + storeName + " store is not reachable: " + describe(e)));
  }

  void metrics(RoutingContext ctx) {
    String text = metrics.scrape();
    ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(text);
  }

  void openapi(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", Envelope.JSON).end(openapi);
  }

  private static String describe(Throwable e) {
    return e instanceof GatewayException g ? g.getMessage() : String.valueOf(e.getMessage());
  }

  private static String loadOpenApi() {
    try (InputStream in = Operations.class.getResourceAsStream("/openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
