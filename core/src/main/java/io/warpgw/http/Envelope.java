package io.warpgw.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.error.ApiError;

/** Cloudflare's response envelope, and the headers every response carries. */
public final class Envelope {
  public static final String JSON = "application/json";
  /** What the SDKs wait before retrying a 429, 503 or 504, in seconds. */
  public static final String RETRY_AFTER_SECONDS = "1";

  private Envelope() {}

  public static void success(HttpServerResponse response, int status, Object result, JsonObject resultInfo) {
    JsonObject body = new JsonObject()
        .put("success", true)
        .put("errors", new JsonArray())
        .put("messages", new JsonArray())
        .put("result", result);
    if (resultInfo != null) {
      body.put("result_info", resultInfo);
    }
    send(response, status, body.toBuffer());
  }

  public static void failure(HttpServerResponse response, ApiError error, String message) {
    failure(response, error.status(), error.code(), message);
  }

  /** Any error status with any code: API.md's rows go through the overload above. */
  public static void failure(HttpServerResponse response, int status, int code, String message) {
    if (response.ended() || response.closed()) {
      return;
    }
    JsonObject body = new JsonObject()
        .put("success", false)
        .put("errors", new JsonArray().add(new JsonObject().put("code", code).put("message", message)))
        .put("messages", new JsonArray())
        .put("result", null);
    // API.md: every 4xx says so, 429 included (the SDKs would otherwise retry 408, 409 and 429); and
    // 505, the one 5xx a retry cannot cure (the SDKs retry every 5xx without it). Only an injected
    // fault's own headers (FaultInjector) may have said otherwise already.
    if ((status >= 400 && status < 500 || status == 505) && !response.headers().contains("x-should-retry")) {
      response.putHeader("x-should-retry", "false");
    }
    if ((status == 429 || status == 503 || status == 504) && !response.headers().contains("Retry-After")) {
      response.putHeader("Retry-After", RETRY_AFTER_SECONDS);
    }
    send(response, status, body.toBuffer());
  }

  /** Sends a body already rendered as an envelope. */
  public static void send(HttpServerResponse response, int status, Buffer body) {
    response.setStatusCode(status).putHeader("Content-Type", JSON).end(body);
  }
}
