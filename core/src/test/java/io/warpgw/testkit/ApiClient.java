package io.warpgw.testkit;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.stream.Collectors;

/** A plain JDK HTTP client for the contract tests: real requests, answers read whole. */
public final class ApiClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final HttpClient http;
  private final String baseUrl;
  private final String token;
  private final Duration timeout;

  public ApiClient(String baseUrl, String token) {
    this(baseUrl, token, TIMEOUT);
  }

  /** @param timeout how long a request may take before it fails with {@code HttpTimeoutException} */
  public ApiClient(String baseUrl, String token, Duration timeout) {
    this.baseUrl = baseUrl;
    this.token = token;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
  }

  public ApiClient withToken(String other) {
    return new ApiClient(baseUrl, other, timeout);
  }

  public ApiResponse get(String path) {
    return send("GET", path, null, null);
  }

  public ApiResponse delete(String path) {
    return send("DELETE", path, null, null);
  }

  public ApiResponse post(String path, String body) {
    return send("POST", path, body, "application/json");
  }

  public ApiResponse patch(String path, String body) {
    return send("PATCH", path, body, "application/json");
  }

  public ApiResponse send(String method, String path, String body, String contentType, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new ApiResponse(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code id=a&id=b}, URL-encoded. */
  public static String ids(Collection<String> ids) {
    return ids.stream().map(id -> "id=" + enc(id)).collect(Collectors.joining("&"));
  }

  public static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  public static String accountPath(String account) {
    return "/accounts/" + account + "/devices/registrations";
  }

  public static JsonObject json(String body) {
    return new JsonObject(body);
  }
}
