package io.warpgw.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpHeaders;

/** A response, with the envelope checks every test makes. */
public record ApiResponse(int status, HttpHeaders headers, String body) {

  public JsonObject json() {
    return new JsonObject(body);
  }

  public String header(String name) {
    return headers.firstValue(name).orElse(null);
  }

  /** Asserts a success envelope with this status and returns it. */
  public JsonObject ok(int expectedStatus) {
    assertThat(status).as("status of %s", body).isEqualTo(expectedStatus);
    JsonObject env = json();
    assertThat(env.getBoolean("success")).isTrue();
    assertThat(env.getJsonArray("errors")).isEmpty();
    assertThat(env.getJsonArray("messages")).isEmpty();
    assertThat(env.containsKey("result")).isTrue();
    assertThat(header("content-type")).startsWith("application/json");
    assertThat(header("cf-ray")).isNotBlank();
    return env;
  }

  public JsonObject ok() {
    return ok(200);
  }

  public JsonObject result() {
    return ok().getJsonObject("result");
  }

  public JsonArray resultArray() {
    return ok().getJsonArray("result");
  }

  /** Asserts an error envelope with this status and code, and returns its message. */
  public String error(int expectedStatus, int expectedCode) {
    assertThat(status).as("status of %s", body).isEqualTo(expectedStatus);
    assertThat(header("content-type")).startsWith("application/json");
    assertThat(header("cf-ray")).isNotBlank();
    JsonObject env = json();
    assertThat(env.getBoolean("success")).isFalse();
    assertThat(env.containsKey("result")).isTrue();
    assertThat(env.getValue("result")).isNull();
    assertThat(env.getJsonArray("messages")).isNotNull();
    JsonArray errors = env.getJsonArray("errors");
    assertThat(errors).isNotEmpty();
    JsonObject first = errors.getJsonObject(0);
    assertThat(first.getInteger("code")).as("error code of %s", body).isEqualTo(expectedCode);
    String message = first.getString("message");
    assertThat(message).isNotBlank();
    if (expectedStatus >= 400 && expectedStatus < 500) {
      assertThat(header("x-should-retry")).isEqualTo("false");
    }
    if (expectedStatus == 429 || expectedStatus == 503 || expectedStatus == 504) {
      assertThat(header("retry-after")).isNotBlank();
    }
    return message;
  }
}
