package io.warpgw.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.testkit.ApiClient;
import io.warpgw.testkit.ApiResponse;
import io.warpgw.testkit.TestGateway;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The admin API (`/__admin`: journal, fault rules, permission) over the class's store: the journal and
 * the faults live in the gateway, but they must hold whichever store serves the requests they watch.
 * Reset and per-account delete, which reach into the store, are in {@link GatewayHttpContract}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("The admin API")
public abstract class AdminContract extends GatewayKit {
  /** A gateway of its own over the class's store: a journal of 5 shows its bound quickly. */
  private TestGateway small;
  private ApiClient admin;
  private ApiClient api;

  @BeforeAll
  void startSmallJournal() throws Exception {
    small = TestGateway.start(vertx, store,
        new JsonObject().put("admin", new JsonObject().put("journal-size", 5))).await(30, TimeUnit.SECONDS);
    admin = new ApiClient(small.rootUrl(), small.adminToken());
    api = new ApiClient(small.baseUrl(), small.writeToken());
  }

  @AfterAll
  void stopSmallJournal() throws Exception {
    if (small != null) {
      small.close().await(30, TimeUnit.SECONDS);
    }
  }

  @AfterEach
  void clearFaults() {
    admin.delete("/__admin/faults").ok();
  }

  @Test
  @DisplayName("needs the admin permission: none → 401 (10000), a write token → 403 (9109)")
  void permission() {
    admin.withToken(null).get("/__admin/requests").error(401, 10000);
    admin.withToken(small.writeToken()).get("/__admin/requests").error(403, 9109);
    admin.withToken(small.writeToken()).send("PUT", "/__admin/faults", "{}", "application/json").error(403, 9109);
    new ApiClient(small.baseUrl(), small.adminToken()).get("/accounts/a/devices/registrations").ok();
  }

  @Nested
  @DisplayName("the request journal")
  class Journal {
    @Test
    @DisplayName("keeps the last admin.journal-size requests with token name, request id and SDK retry count; never a secret")
    void bounded() {
      for (int i = 0; i < 8; i++) {
        api.send("GET", "/accounts/j" + i + "/devices/registrations", null, null, "X-Stainless-Retry-Count", "" + (i % 3));
      }
      ApiResponse missing = api.get("/accounts/j9/devices/registrations/nope");
      JsonArray entries = admin.get("/__admin/requests").ok().getJsonArray("result");
      assertThat(entries).hasSize(5);
      JsonObject last = entries.getJsonObject(4);
      assertThat(last.getString("path")).isEqualTo("/client/v4/accounts/j9/devices/registrations/nope");
      assertThat(last.getInteger("status")).isEqualTo(404);
      assertThat(last.getString("token")).isEqualTo("writer");
      assertThat(last.getString("request_id")).isEqualTo(missing.header("cf-ray"));
      assertThat(entries.getJsonObject(3).getInteger("retry_count")).isEqualTo(7 % 3);
      assertThat(entries.encode()).doesNotContain(small.writeToken()).doesNotContain(small.adminToken());
    }

    @Test
    @DisplayName("filters by since, status and path")
    void filters() throws Exception {
      api.get("/accounts/f1/devices/registrations");
      Thread.sleep(5);
      String since = java.time.Instant.now().toString();
      api.get("/accounts/f2/devices/registrations/x");
      api.get("/accounts/f3/devices/registrations");
      assertThat(admin.get("/__admin/requests?since=" + since).ok().getJsonArray("result")).hasSize(2);
      JsonArray notFound = admin.get("/__admin/requests?status=404&since=" + since).ok().getJsonArray("result");
      assertThat(notFound).hasSize(1);
      assertThat(notFound.getJsonObject(0).getString("path")).contains("/f2/");
      assertThat(admin.get("/__admin/requests?path=/f3/").ok().getJsonArray("result")).hasSize(1);
      admin.get("/__admin/requests?status=abc").error(400, 1001);
      admin.get("/__admin/requests?since=yesterday").error(400, 1001);
    }
  }

  @Nested
  @DisplayName("fault rules")
  class FaultRules {
    private void put(String json) {
      admin.send("PUT", "/__admin/faults", json, "application/json").ok();
    }

    @Test
    @DisplayName("inject an API.md error with its envelope, Retry-After and a header naming the rule")
    void error() {
      put("{\"seed\":1,\"rules\":[{\"name\":\"down\",\"route\":\"list\",\"account\":\"acme\",\"error\":{\"status\":503}}]}");
      ApiResponse r = api.get("/accounts/acme/devices/registrations");
      r.error(503, 1100);
      assertThat(r.header("x-gateway-fault")).isEqualTo("down");
      api.get("/accounts/other/devices/registrations").ok();
      api.get("/accounts/acme/devices/registrations/x").error(404, 1004);
      put("{\"rules\":[{\"name\":\"teapot\",\"method\":\"get\",\"error\":{\"status\":418,\"code\":42,\"message\":\"short and stout\"}}]}");
      assertThat(api.get("/accounts/acme/devices/registrations").error(418, 42)).isEqualTo("short and stout");
    }

    @Test
    @DisplayName("inject latency: fixed, uniform and lognormal")
    void latency() {
      for (String latency : List.of("{\"fixed_ms\":150}", "{\"uniform_ms\":[150,200]}", "{\"lognormal\":{\"median_ms\":200,\"sigma\":0.01}}")) {
        put("{\"seed\":3,\"rules\":[{\"name\":\"slow\",\"route\":\"get\",\"latency\":" + latency + "}]}");
        long start = System.nanoTime();
        ApiResponse r = api.get("/accounts/lat/devices/registrations/x");
        long ms = (System.nanoTime() - start) / 1_000_000;
        r.error(404, 1004);
        assertThat(r.header("x-gateway-fault")).isEqualTo("slow");
        assertThat(ms).as(latency).isGreaterThanOrEqualTo(140);
      }
    }

    @Test
    @DisplayName("drop the connection")
    void drop() {
      put("{\"rules\":[{\"name\":\"cut\",\"route\":\"revoke\",\"drop\":true}]}");
      assertThatThrownBy(() -> api.post("/accounts/d/devices/registrations/revoke?id=a", null))
          .isInstanceOf(UncheckedIOException.class);
      api.get("/accounts/d/devices/registrations").ok();
    }

    @Test
    @DisplayName("with a fixed seed, give the same sequence twice")
    void repeatable() {
      String rules = "{\"seed\":42,\"rules\":[{\"name\":\"coin\",\"probability\":0.5,\"error\":{\"status\":500}}]}";
      List<Integer> first = new ArrayList<>();
      List<Integer> second = new ArrayList<>();
      put(rules);
      for (int i = 0; i < 40; i++) {
        first.add(api.get("/accounts/s/devices/registrations").status());
      }
      put(rules);
      for (int i = 0; i < 40; i++) {
        second.add(api.get("/accounts/s/devices/registrations").status());
      }
      assertThat(first).isEqualTo(second).contains(200, 500);
      assertThat(admin.get("/__admin/faults").ok().getJsonObject("result").getLong("seed")).isEqualTo(42);
    }

    @Test
    @DisplayName("an error's own headers override the gateway's: a Cloudflare-like 429 an SDK retries")
    void errorHeaders() {
      put("{\"rules\":[{\"name\":\"busy\",\"route\":\"list\",\"error\":{\"status\":429,"
          + "\"headers\":{\"x-should-retry\":\"true\",\"retry-after\":\"0.1\",\"retry-after-ms\":100,\"x-extra\":\"1\"}}}]}");
      ApiResponse r = api.get("/accounts/h/devices/registrations");
      assertThat(r.status()).isEqualTo(429);
      assertThat(r.json().getJsonArray("errors").getJsonObject(0).getInteger("code")).isEqualTo(971);
      assertThat(r.header("x-should-retry")).isEqualTo("true");
      assertThat(r.headers().allValues("retry-after")).containsExactly("0.1");
      assertThat(r.header("retry-after-ms")).isEqualTo("100");
      assertThat(r.header("x-extra")).isEqualTo("1");
      JsonObject shown = admin.get("/__admin/faults").ok().getJsonObject("result").getJsonArray("rules").getJsonObject(0);
      assertThat(shown.getJsonObject("error").getJsonObject("headers").getString("x-should-retry")).isEqualTo("true");
      put("{\"rules\":[{\"name\":\"plain\",\"route\":\"list\",\"error\":{\"status\":429}}]}");
      ApiResponse plain = api.get("/accounts/h/devices/registrations");
      assertThat(plain.header("x-should-retry")).isEqualTo("false");
      assertThat(plain.header("retry-after")).isEqualTo("1");
    }

    @Test
    @DisplayName("times: a rule hits at most that many requests, then lets them through; GET shows its hits")
    void times() {
      put("{\"rules\":[{\"name\":\"twice\",\"route\":\"list\",\"times\":2,\"error\":{\"status\":503}}]}");
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        statuses.add(api.get("/accounts/t/devices/registrations").status());
      }
      assertThat(statuses).containsExactly(503, 503, 200, 200);
      JsonObject shown = admin.get("/__admin/faults").ok().getJsonObject("result").getJsonArray("rules").getJsonObject(0);
      assertThat(shown.getInteger("times")).isEqualTo(2);
      assertThat(shown.getInteger("hits")).isEqualTo(2);
      put("{\"rules\":[{\"name\":\"twice\",\"route\":\"list\",\"times\":2,\"error\":{\"status\":503}}]}");
      assertThat(api.get("/accounts/t/devices/registrations").status()).as("PUT starts the count afresh").isEqualTo(503);
    }

    @Test
    @DisplayName("latency before a route with a body keeps the body (the request waits paused)")
    void latencyKeepsTheBody() {
      put("{\"rules\":[{\"name\":\"slow-create\",\"route\":\"create\",\"latency\":{\"fixed_ms\":100}},"
          + "{\"name\":\"slow-import\",\"route\":\"import\",\"latency\":{\"fixed_ms\":100}}]}");
      api.post("/accounts/body/devices/registrations", "{\"id\":\"b1\",\"device\":{\"id\":\"d\",\"name\":\"n\"},\"key\":\"k\"}")
          .ok(201);
      JsonObject imported = api.send("POST", "/accounts/body/devices/registrations/import",
          "{\"id\":\"b2\",\"device\":{\"id\":\"d\",\"name\":\"n\"},\"key\":\"k\"}\n", "application/x-ndjson")
          .ok().getJsonObject("result");
      assertThat(imported.getInteger("created")).isEqualTo(1);
    }

    @Test
    @DisplayName("reject a rule that is wrong, naming the field")
    void invalid() {
      assertThat(admin.send("PUT", "/__admin/faults", "{\"rules\":[{\"probability\":2,\"drop\":true}]}",
          "application/json").error(400, 1001)).contains("rules[0].probability");
      assertThat(admin.send("PUT", "/__admin/faults", "{\"rules\":[{\"name\":\"x\"}]}", "application/json")
          .error(400, 1001)).contains("does nothing");
      assertThat(admin.send("PUT", "/__admin/faults", "{\"rules\":[{\"error\":{\"status\":200}}]}", "application/json")
          .error(400, 1001)).contains("error.status");
      assertThat(admin.send("PUT", "/__admin/faults", "{\"rules\":[{\"times\":0,\"drop\":true}]}", "application/json")
          .error(400, 1001)).contains("rules[0].times");
      assertThat(admin.send("PUT", "/__admin/faults",
          "{\"rules\":[{\"error\":{\"status\":503,\"headers\":{\"content-type\":\"text/html\"}}}]}", "application/json")
          .error(400, 1001)).contains("rules[0].error.headers");
    }
  }
}
