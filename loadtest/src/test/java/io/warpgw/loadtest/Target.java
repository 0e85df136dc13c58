package io.warpgw.loadtest;

import static io.gatling.javaapi.http.HttpDsl.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The gateway under test, from system properties (the Maven plugin forwards {@code -D} options):
 * <ul>
 *   <li>{@code baseUrl} — the base URL the start log names (default {@code http://127.0.0.1:8080/client/v4});
 *   <li>{@code token} — a bearer token ({@code write} for the write mix; env {@code LOADTEST_TOKEN} too);
 *   <li>{@code accounts} — comma-separated account ids (default {@code account-1}, as {@code --seed-count} makes).
 * </ul>
 * Only loopback hosts are accepted unless {@code -DallowRemote=true}: a load test aimed at the wrong
 * machine is an attack on it.
 */
final class Target {
  static final String BASE_URL = stripSlash(property("baseUrl", "http://127.0.0.1:8080/client/v4"));
  static final String TOKEN = token();
  static final List<String> ACCOUNTS = List.copyOf(Arrays.stream(property("accounts", "account-1").split(","))
      .map(String::trim).filter(s -> !s.isEmpty()).toList());
  static final String REGISTRATIONS = "/accounts/#{account}/devices/registrations";

  static {
    URI uri = URI.create(BASE_URL);
    if (!Boolean.getBoolean("allowRemote") && !isLoopback(uri.getHost())) {
      throw new IllegalArgumentException("baseUrl " + BASE_URL + " is not a loopback address; load tests only target"
          + " 127.0.0.1/localhost unless -DallowRemote=true says this machine is yours to load");
    }
    if (ACCOUNTS.isEmpty()) {
      throw new IllegalArgumentException("-Daccounts must name at least one account id");
    }
  }

  private Target() {}

  /** Keep-alive connections shared by all virtual users (a client pool), JSON, no warm-up call to the internet. */
  static HttpProtocolBuilder protocol() {
    return http.baseUrl(BASE_URL)
        .authorizationHeader("Bearer " + TOKEN)
        .acceptHeader("application/json")
        .userAgentHeader("warp-gateway-loadtest")
        .shareConnections()
        .disableWarmUp();
  }

  static String property(String name, String fallback) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  static int intProperty(String name, int fallback) {
    return Integer.parseInt(property(name, Integer.toString(fallback)));
  }

  static double doubleProperty(String name, double fallback) {
    return Double.parseDouble(property(name, Double.toString(fallback)));
  }

  static Duration seconds(String name, int fallback) {
    return Duration.ofSeconds(intProperty(name, fallback));
  }

  /**
   * Up to {@code n} registration ids of {@code account}, read before the load starts (one list call of
   * up to 1000 items per page), so scenarios that GET by id have ids that exist.
   */
  static List<String> sampleIds(String account, int n) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ObjectMapper json = new ObjectMapper();
    List<String> ids = new ArrayList<>();
    String cursor = "";
    try {
      do {
        URI uri = URI.create(BASE_URL + "/accounts/" + account + "/devices/registrations?status=all&per_page="
            + Math.min(1000, n - ids.size()) + (cursor.isEmpty() ? "" : "&cursor=" + cursor));
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
            .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new IllegalStateException("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode body = json.readTree(response.body());
        body.path("result").forEach(r -> ids.add(r.path("id").asText()));
        cursor = body.path("result_info").path("cursor").asText("");
      } while (!cursor.isEmpty() && ids.size() < n);
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach the gateway at " + BASE_URL + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (ids.isEmpty()) {
      throw new IllegalStateException("account " + account + " has no registrations: seed it first"
          + " (serve --seed-count N, or the seed command)");
    }
    return ids;
  }

  private static String token() {
    String t = property("token", System.getenv("LOADTEST_TOKEN"));
    if (t == null || t.isBlank()) {
      throw new IllegalArgumentException("set -Dtoken=SECRET (or LOADTEST_TOKEN): a token the gateway accepts");
    }
    return t;
  }

  private static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
