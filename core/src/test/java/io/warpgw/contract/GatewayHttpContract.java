package io.warpgw.contract;

import static io.warpgw.contract.StoreAwait.await;
import static io.warpgw.testkit.ApiClient.accountPath;
import static io.warpgw.testkit.ApiClient.enc;
import static io.warpgw.testkit.ApiClient.ids;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.json.RegistrationJson;
import io.warpgw.model.Registration;
import io.warpgw.testkit.ApiClient;
import io.warpgw.testkit.ApiResponse;
import io.warpgw.testkit.Fixtures;
import io.warpgw.testkit.TestGateway;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The HTTP contract of API.md, run against a gateway over the store under test. Every row of the
 * error table that a client can cause is produced here with its status, code and envelope.
 */
@DisplayName("The gateway over HTTP")
public abstract class GatewayHttpContract extends GatewayKit {
  protected ApiClient api;

  @BeforeAll
  void client() {
    api = new ApiClient(gateway.baseUrl(), gateway.writeToken());
  }

  protected String create(String account, JsonObject body) {
    return api.post(accountPath(account), body.encode()).ok(201).getJsonObject("result").getString("id");
  }

  protected List<Registration> seed(String account, List<Registration> rs) {
    for (int i = 0; i < rs.size(); i += 500) {
      assertThat(await(store.insertBatch(account, rs.subList(i, Math.min(rs.size(), i + 500))))).isEmpty();
    }
    return rs;
  }

  protected static JsonObject minimal(String id) {
    JsonObject o = new JsonObject().put("device", new JsonObject().put("id", "dev-" + id).put("name", "Laptop"))
        .put("key", "key-" + id);
    return id == null ? o : o.put("id", id);
  }

  /** Follows result_info.cursor to the end and returns every item. */
  protected List<JsonObject> walk(String account, String query) {
    List<JsonObject> all = new ArrayList<>();
    String cursor = null;
    for (int pages = 0; pages < 10_000; pages++) {
      String q = query + (cursor == null ? "" : "&cursor=" + enc(cursor));
      JsonObject env = api.get(accountPath(account) + "?" + q).ok();
      JsonArray items = env.getJsonArray("result");
      JsonObject info = env.getJsonObject("result_info");
      assertThat(info.getInteger("count")).isEqualTo(items.size());
      items.forEach(i -> all.add((JsonObject) i));
      cursor = info.getString("cursor");
      if (cursor.isEmpty()) {
        return all;
      }
      assertThat(items.size()).as("a page followed by a cursor is full").isEqualTo(info.getInteger("per_page"));
    }
    throw new AssertionError("never reached the last page");
  }

  private static List<String> idsOf(List<JsonObject> items) {
    return items.stream().map(o -> o.getString("id")).toList();
  }

  @Nested
  @DisplayName("every response")
  class Responses {
    @Test
    @DisplayName("is JSON in Cloudflare's envelope with a unique cf-ray request id")
    void envelope() {
      String account = Fixtures.account();
      ApiResponse a = api.get(accountPath(account));
      ApiResponse b = api.get(accountPath(account));
      a.ok();
      b.ok();
      assertThat(a.header("cf-ray")).isNotEqualTo(b.header("cf-ray"));
      api.get(accountPath(account) + "/nope").error(404, 1004);
    }

    @Test
    @DisplayName("unknown route → 404 (7000); wrong method → 405 (7001)")
    void routes() {
      api.get("/no/such/route").error(404, 7000);
      new ApiClient(gateway.rootUrl(), null).get("/").error(404, 7000);
      api.send("PUT", accountPath(Fixtures.account()), "{}", "application/json").error(405, 7001);
      api.send("PUT", accountPath(Fixtures.account()) + "/x", "{}", "application/json").error(405, 7001);
    }

    @Test
    @DisplayName("operations: /health, /ready, /metrics and /openapi.json need no credentials")
    void operations() {
      ApiClient root = new ApiClient(gateway.rootUrl(), null);
      assertThat(root.get("/health").result().getString("status")).isEqualTo("ok");
      assertThat(root.get("/ready").result().getString("status")).isEqualTo("ready");
      api.get(accountPath(Fixtures.account())).ok();
      ApiResponse metrics = root.get("/metrics");
      assertThat(metrics.status()).isEqualTo(200);
      assertThat(metrics.body()).contains("gateway_http_requests_seconds_bucket", "route=\"list\"");
      double before = listCount(metrics.body());
      for (int i = 0; i < 3; i++) {
        api.get(accountPath(Fixtures.account())).ok();
      }
      // A request is counted when its response has been written, a moment after the client has it.
      double after = before;
      for (int i = 0; i < 100 && after < before + 3; i++) {
        sleep(20);
        after = listCount(root.get("/metrics").body());
      }
      assertThat(after).as("the list histogram counts the requests").isGreaterThanOrEqualTo(before + 3);
      assertThat(root.get("/metrics").body()).contains("gateway_store_operations_seconds_bucket", "operation=\"list\"",
          "outcome=\"ok\"");
      JsonObject doc = root.get("/openapi.json").json();
      assertThat(doc.getString("openapi")).startsWith("3.1");
      assertThat(doc.getJsonObject("paths").fieldNames())
          .contains("/client/v4/accounts/{account_id}/devices/registrations",
              "/client/v4/accounts/{account_id}/devices/registrations/{registration_id}",
              "/client/v4/accounts/{account_id}/devices/registrations/revoke");
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The count of the list-200 series of the request histogram, from Prometheus text. */
  private static double listCount(String text) {
    return text.lines()
        .filter(l -> l.startsWith("gateway_http_requests_seconds_count{") && l.contains("route=\"list\"")
            && l.contains("status=\"200\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Nested
  @DisplayName("auth")
  class Auth {
    @Test
    @DisplayName("no credentials, a wrong token, or a wrong legacy key → 401 (10000)")
    void unauthenticated() {
      String path = accountPath(Fixtures.account());
      api.withToken(null).get(path).error(401, 10000);
      api.withToken("wrong").get(path).error(401, 10000);
      api.withToken(null).send("GET", path, null, null, "Authorization", "Basic abc").error(401, 10000);
      api.withToken(null).send("GET", path, null, null, "X-Auth-Email", TestGateway.LEGACY_EMAIL,
          "X-Auth-Key", "wrong").error(401, 10000);
      api.withToken(null).send("GET", path, null, null, "X-Auth-Email", "other@example.com",
          "X-Auth-Key", gateway.legacyKey()).error(401, 10000);
    }

    @Test
    @DisplayName("a legacy X-Auth-Email + X-Auth-Key pair works; with a bearer token too, the token decides")
    void legacyKey() {
      String path = accountPath(Fixtures.account());
      api.withToken(null).send("GET", path, null, null, "X-Auth-Email", TestGateway.LEGACY_EMAIL,
          "X-Auth-Key", gateway.legacyKey()).ok();
      api.withToken("wrong").send("GET", path, null, null, "X-Auth-Email", TestGateway.LEGACY_EMAIL,
          "X-Auth-Key", gateway.legacyKey()).error(401, 10000);
      api.send("GET", path, null, null, "X-Auth-Email", TestGateway.LEGACY_EMAIL, "X-Auth-Key", "wrong").ok();
    }

    @Test
    @DisplayName("a read token lists and gets, and any change → 403 (9109)")
    void readOnly() {
      String account = Fixtures.account();
      create(account, minimal("ro"));
      ApiClient reader = api.withToken(gateway.readToken());
      reader.get(accountPath(account)).ok();
      reader.get(accountPath(account) + "/ro").ok();
      reader.post(accountPath(account) + "/revoke?id=ro", null).error(403, 9109);
      reader.post(accountPath(account) + "/unrevoke?id=ro", null).error(403, 9109);
      reader.delete(accountPath(account) + "/ro").error(403, 9109);
      reader.delete(accountPath(account) + "?id=ro").error(403, 9109);
      reader.post(accountPath(account), minimal("ro2").encode()).error(403, 9109);
      reader.patch(accountPath(account) + "/ro", "{\"key\":\"k\"}").error(403, 9109);
      reader.post(accountPath(account) + "/import", minimal("ro3").encode()).error(403, 9109);
      api.get(accountPath(account) + "/ro").ok();
    }

    @Test
    @DisplayName("a token scoped to one account → 403 (9109) elsewhere, the same whether the id exists or not")
    void scoped() {
      String other = Fixtures.account();
      create(other, minimal("exists"));
      ApiClient scoped = api.withToken(gateway.scopedToken());
      scoped.get(accountPath(TestGateway.SCOPED_ACCOUNT)).ok();
      String existing = scoped.get(accountPath(other) + "/exists").error(403, 9109);
      String missing = scoped.get(accountPath(other) + "/missing").error(403, 9109);
      assertThat(existing).isEqualTo(missing);
      scoped.post(accountPath(other) + "/revoke?id=exists", null).error(403, 9109);
      assertThat(api.get(accountPath(other) + "/exists").result().getValue("revoked_at")).isNull();
    }

    @Test
    @DisplayName("an invalid account id → 400 (1001) naming it")
    void badAccount() {
      assertThat(api.get("/accounts/bad!id/devices/registrations").error(400, 1001)).contains("account_id");
      api.get("/accounts/" + "a".repeat(65) + "/devices/registrations").error(400, 1001);
    }
  }

  @Nested
  @DisplayName("create (extension)")
  class Create {
    @Test
    @DisplayName("→ 201 with the stored registration; id and times are generated when absent")
    void created() {
      String account = Fixtures.account();
      JsonObject r = api.post(accountPath(account), minimal(null).encode()).ok(201).getJsonObject("result");
      assertThat(r.getString("id")).matches("[0-9a-f-]{36}");
      assertThat(r.getString("created_at")).endsWith("Z");
      assertThat(r.getString("registration_type")).isEqualTo("warp");
      assertThat(r.containsKey("deleted_at")).isTrue();
      assertThat(r.getValue("revoked_at")).isNull();
      assertThat(r.getValue("key_type")).isNull();
      assertThat(r.containsKey("user")).isFalse();
      JsonObject got = api.get(accountPath(account) + "/" + r.getString("id")).result();
      assertThat(got.containsKey("policy")).isFalse();
      r.remove("policy");
      assertThat(got).isEqualTo(r);
    }

    @Test
    @DisplayName("writes times as ISO_INSTANT at microsecond precision")
    void times() {
      String account = Fixtures.account();
      JsonObject body = minimal("t").put("created_at", "2025-03-01T12:00:00.123456789+02:00")
          .put("last_seen_at", "2025-03-01T12:00:00Z").put("updated_at", "2025-03-01T12:00:00.100Z");
      JsonObject r = api.post(accountPath(account), body.encode()).ok(201).getJsonObject("result");
      assertThat(r.getString("created_at")).isEqualTo("2025-03-01T10:00:00.123456Z");
      assertThat(r.getString("last_seen_at")).isEqualTo("2025-03-01T12:00:00Z");
      assertThat(r.getString("updated_at")).isEqualTo("2025-03-01T12:00:00.100Z");
    }

    @Test
    @DisplayName("an invalid body → 400 (1001) naming the field")
    void invalid() {
      String path = accountPath(Fixtures.account());
      assertThat(api.post(path, "{").error(400, 1001)).containsIgnoringCase("json");
      assertThat(api.post(path, "[]").error(400, 1001)).contains("object");
      assertThat(api.post(path, "").error(400, 1001)).contains("empty");
      assertThat(api.post(path, new JsonObject().put("key", "k").encode()).error(400, 1001)).contains("device");
      assertThat(api.post(path, minimal("x").put("device", new JsonObject().put("id", "d")).encode())
          .error(400, 1001)).contains("device.name");
      assertThat(api.post(path, minimal("x").put("key", 5).encode()).error(400, 1001)).contains("key");
      assertThat(api.post(path, minimal("bad id!").encode()).error(400, 1001)).contains("id");
      assertThat(api.post(path, minimal("x").put("key_type", "rsa").encode()).error(400, 1001)).contains("key_type");
      assertThat(api.post(path, minimal("x").put("last_seen_at", "yesterday").encode()).error(400, 1001))
          .contains("last_seen_at");
      assertThat(api.post(path, minimal("x").put("registration_type", "x").encode()).error(400, 1001))
          .contains("registration_type");
      assertThat(api.post(path, minimal("x").put("user", new JsonObject().put("name", "a\u0000b")).encode())
          .error(400, 1001)).contains("user.name");
      assertThat(api.post(path, "{\"device\":{\"id\":\"d\",\"name\":\"\\ud800\"},\"key\":\"k\"}").error(400, 1001))
          .contains("device.name");
      assertThat(api.post(path, "[".repeat(5000) + "]".repeat(5000)).error(400, 1001)).isNotBlank();
      api.get(path + "/x").error(404, 1004);
    }

    @Test
    @DisplayName("the same id again in the account → 409 (1005)")
    void conflict() {
      String account = Fixtures.account();
      create(account, minimal("twice"));
      assertThat(api.post(accountPath(account), minimal("twice").encode()).error(409, 1005)).contains("twice");
    }

    @Test
    @DisplayName("a body over http.max-body-size → 413 (1006)")
    void tooLarge() {
      String big = minimal("big").put("key", "k".repeat(2 * 1024 * 1024)).encode();
      api.post(accountPath(Fixtures.account()), big).error(413, 1006);
    }
  }

  @Nested
  @DisplayName("get")
  class Get {
    @Test
    @DisplayName("returns the registration; the policy only with include=policy; revoked ones too")
    void get() {
      String account = Fixtures.account();
      Registration r = Fixtures.simple("g1");
      seed(account, List.of(r));
      JsonObject plain = api.get(accountPath(account) + "/g1").result();
      assertThat(plain).isEqualTo(RegistrationJson.toJson(r, false));
      JsonObject withPolicy = api.get(accountPath(account) + "/g1?include=policy").result();
      assertThat(withPolicy.getJsonObject("policy").getString("id")).isEqualTo("policy-default");
      assertThat(withPolicy.getJsonObject("policy").getBoolean("default")).isTrue();
      api.post(accountPath(account) + "/revoke?id=g1", null).ok();
      assertThat(api.get(accountPath(account) + "/g1").result().getString("revoked_at")).isNotNull();
    }

    @Test
    @DisplayName("an unknown id, or one of another account → 404 (1004); a malformed id or include → 400 (1001)")
    void errors() {
      String account = Fixtures.account();
      create(account, minimal("mine"));
      api.get(accountPath(account) + "/other").error(404, 1004);
      api.get(accountPath(Fixtures.account()) + "/mine").error(404, 1004);
      api.get(accountPath(account) + "/bad%20id").error(400, 1001);
      api.get(accountPath(account) + "/mine?include=everything").error(400, 1001);
    }
  }

  @Nested
  @DisplayName("list")
  class ListRegistrations {
    @Test
    @DisplayName("follows cursors to an empty cursor on the last page, with count and per_page")
    void paging() {
      String account = Fixtures.account();
      List<Registration> rs = seed(account, Fixtures.varied("l", 45, 2));
      long active = rs.stream().filter(r -> !r.revoked()).count();
      List<JsonObject> items = walk(account, "per_page=10");
      assertThat(items).hasSize((int) active);
      JsonObject env = api.get(accountPath(account) + "?status=all&per_page=1000").ok();
      assertThat(env.getJsonObject("result_info").getString("cursor")).isEmpty();
      assertThat(env.getJsonObject("result_info").getInteger("count")).isEqualTo(rs.size());
      assertThat(env.getJsonObject("result_info").getInteger("per_page")).isEqualTo(1000);
      JsonObject dflt = api.get(accountPath(account)).ok();
      assertThat(dflt.getJsonObject("result_info").getInteger("per_page")).isEqualTo(20);
    }

    @Test
    @DisplayName("renders the same JSON the store holds, in the order of sort_by and sort_order")
    void order() {
      String account = Fixtures.account();
      List<Registration> rs = seed(account, Fixtures.varied("ord", 60, 9));
      for (String sort : List.of("id", "user.name", "user.email", "last_seen_at", "created_at")) {
        for (String order : List.of("asc", "desc")) {
          var field = io.warpgw.model.SortField.fromWire(sort);
          var so = order.equals("asc") ? io.warpgw.model.SortOrder.ASC : io.warpgw.model.SortOrder.DESC;
          List<JsonObject> want = rs.stream().sorted(field.comparator(so))
              .map(r -> RegistrationJson.toJson(r, true)).toList();
          assertThat(walk(account, "status=all&include=policy&per_page=7&sort_by=" + enc(sort) + "&sort_order=" + order))
              .as(sort + " " + order).containsExactlyElementsOf(want);
        }
      }
    }

    @Test
    @DisplayName("takes every filter in the SDKs' dotted form and in the bracket form alike")
    void filters() {
      String account = Fixtures.account();
      List<Registration> rs = seed(account, Fixtures.varied("flt", 80, 4));
      Registration pick = rs.get(7);
      assertThat(idsOf(walk(account, "status=all&id=" + pick.id() + "&id=" + rs.get(8).id())))
          .containsExactlyInAnyOrder(pick.id(), rs.get(8).id());
      assertThat(idsOf(walk(account, "status=all&id[]=" + pick.id()))).containsExactly(pick.id());
      String device = pick.device().id();
      List<String> byDevice = idsOf(walk(account, "status=all&device.id=" + enc(device)));
      assertThat(byDevice).contains(pick.id());
      assertThat(idsOf(walk(account, "status=all&device[id]=" + enc(device)))).isEqualTo(byDevice);
      List<String> byUsers = idsOf(walk(account, "status=all&user.id=u-1&user.id=u-2"));
      assertThat(idsOf(walk(account, "status=all&user[id]=u-1&user[id][]=u-2"))).isEqualTo(byUsers);
      assertThat(byUsers).containsExactlyInAnyOrderElementsOf(rs.stream()
          .filter(r -> r.user() != null && Set.of("u-1", "u-2").contains(r.user().id())).map(Registration::id).toList());
      List<String> byPolicy = idsOf(walk(account, "status=all&policy.id=policy-eng"));
      assertThat(idsOf(walk(account, "status=all&policy[id]=policy-eng"))).isEqualTo(byPolicy);
      assertThat(idsOf(walk(account, "status=revoked"))).containsExactlyInAnyOrderElementsOf(
          rs.stream().filter(Registration::revoked).map(Registration::id).toList());
      assertThat(idsOf(walk(account, "status=all&registration_type=browser_extension"))).containsExactlyInAnyOrderElementsOf(
          rs.stream().filter(r -> r.registrationType().wire().equals("browser_extension")).map(Registration::id).toList());
      assertThat(idsOf(walk(account, "status=all&search=LAPTOP%20%C3%A9")))
          .containsExactlyInAnyOrderElementsOf(rs.stream().filter(r -> r.device().name().toLowerCase().contains("laptop é"))
              .map(Registration::id).toList());
      String after = "2025-03-01T12:00:10Z";
      assertThat(idsOf(walk(account, "status=all&seen_after=" + enc(after)))).containsExactlyInAnyOrderElementsOf(
          rs.stream().filter(r -> r.lastSeenAt().isAfter(java.time.Instant.parse(after))).map(Registration::id).toList());
      assertThat(idsOf(walk(account, "status=all&seen_before=" + enc("2025-03-01T14:00:10+02:00"))))
          .containsExactlyInAnyOrderElementsOf(rs.stream().filter(r -> r.lastSeenAt().isBefore(java.time.Instant.parse(after)))
              .map(Registration::id).toList());
      assertThat(idsOf(walk(account, "status=all&unknown_param=1&search="))).hasSize(rs.size());
    }

    @Test
    @DisplayName("bad parameters → 400 (1001) saying what is allowed")
    void badParameters() {
      String path = accountPath(Fixtures.account()) + "?";
      for (String q : List.of("per_page=0", "per_page=1001", "per_page=abc", "per_page=1.5", "sort_by=name",
          "sort_order=up", "status=deleted", "registration_type=x", "seen_after=yesterday", "seen_before=2025-13-01T00:00:00Z",
          "include=devices", "id=bad%20id", "search=" + "x".repeat(257), "search=a%00b", "device.id=a&device.id=b")) {
        String message = api.get(path + q).error(400, 1001);
        assertThat(message).as(q).contains(q.substring(0, q.indexOf('=')).replace("[]", ""));
      }
    }

    @Test
    @DisplayName("more than 1000 id or user.id values → 400 (1003)")
    void tooMany() {
      String path = accountPath(Fixtures.account());
      String ids = IntStream.range(0, 1001).mapToObj(i -> "id=i" + i).collect(Collectors.joining("&"));
      api.get(path + "?" + ids).error(400, 1003);
      String users = IntStream.range(0, 1001).mapToObj(i -> "user.id=u" + i).collect(Collectors.joining("&"));
      api.get(path + "?" + users).error(400, 1003);
    }

    @Test
    @DisplayName("a tampered cursor, one of another account, or for other filters or sort → 400 (1002)")
    void badCursor() {
      String account = Fixtures.account();
      seed(account, Fixtures.varied("cur", 30, 1));
      String cursor = api.get(accountPath(account) + "?per_page=5&status=all").ok()
          .getJsonObject("result_info").getString("cursor");
      assertThat(cursor).isNotEmpty().matches("[A-Za-z0-9_.-]+");
      api.get(accountPath(account) + "?per_page=5&status=all&cursor=" + cursor).ok();
      api.get(accountPath(account) + "?per_page=9&status=all&cursor=" + cursor).ok();
      char last = cursor.charAt(cursor.length() - 1);
      String tampered = cursor.substring(0, cursor.length() - 1) + (last == 'A' ? 'B' : 'A');
      api.get(accountPath(account) + "?per_page=5&status=all&cursor=" + tampered).error(400, 1002);
      api.get(accountPath(account) + "?per_page=5&status=all&cursor=garbage").error(400, 1002);
      api.get(accountPath(Fixtures.account()) + "?per_page=5&status=all&cursor=" + cursor).error(400, 1002);
      api.get(accountPath(account) + "?per_page=5&status=active&cursor=" + cursor).error(400, 1002);
      api.get(accountPath(account) + "?per_page=5&status=all&sort_by=id&cursor=" + cursor).error(400, 1002);
      api.get(accountPath(account) + "?per_page=5&status=all&sort_order=desc&cursor=" + cursor).error(400, 1002);
    }
  }

  @Nested
  @DisplayName("delete, bulk delete, revoke, unrevoke")
  class Changes {
    @Test
    @DisplayName("delete removes one: result null, later reads 404, lists never show it")
    void deleteOne() {
      String account = Fixtures.account();
      create(account, minimal("d1"));
      create(account, minimal("d2"));
      assertThat(api.delete(accountPath(account) + "/d1").ok().getValue("result")).isNull();
      api.get(accountPath(account) + "/d1").error(404, 1004);
      api.delete(accountPath(account) + "/d1").error(404, 1004);
      assertThat(idsOf(walk(account, "status=all"))).containsExactly("d2");
    }

    @Test
    @DisplayName("bulk operations are all or nothing: a missing id → 404 (1004) naming it, nothing changes")
    void allOrNothing() {
      String account = Fixtures.account();
      create(account, minimal("a"));
      create(account, minimal("b"));
      for (String op : List.of("/revoke", "/unrevoke", "")) {
        String method = op.isEmpty() ? "DELETE" : "POST";
        String message = api.send(method, accountPath(account) + op + "?id=a&id=ghost&id=b", null, null).error(404, 1004);
        assertThat(message).contains("ghost").doesNotContain("a,").doesNotContain(" b");
      }
      assertThat(walk(account, "status=active")).hasSize(2);
    }

    @Test
    @DisplayName("revoke and unrevoke change revoked_at and updated_at; repeating them succeeds")
    void revokeUnrevoke() {
      String account = Fixtures.account();
      create(account, minimal("r1").put("updated_at", "2020-01-01T00:00:00Z"));
      assertThat(api.post(accountPath(account) + "/revoke?id=r1", null).ok().getValue("result")).isNull();
      JsonObject revoked = api.get(accountPath(account) + "/r1").result();
      assertThat(revoked.getString("revoked_at")).isNotNull().isEqualTo(revoked.getString("updated_at"));
      api.post(accountPath(account) + "/revoke?id=r1", null).ok();
      assertThat(api.get(accountPath(account) + "/r1").result()).isEqualTo(revoked);
      assertThat(walk(account, "status=active")).isEmpty();
      api.post(accountPath(account) + "/unrevoke?id=r1", null).ok();
      JsonObject back = api.get(accountPath(account) + "/r1").result();
      assertThat(back.getValue("revoked_at")).isNull();
      api.post(accountPath(account) + "/unrevoke?id=r1", null).ok();
    }

    @Test
    @DisplayName("accept the Python SDK's empty JSON body and ignore any other body")
    void emptyBody() {
      String account = Fixtures.account();
      create(account, minimal("e"));
      api.post(accountPath(account) + "/revoke?id=e", "").ok();
      api.send("POST", accountPath(account) + "/unrevoke?id=e", "", "application/json").ok();
      api.send("POST", accountPath(account) + "/revoke?id=e", "{\"id\":[\"other\"]}", "application/json").ok();
      api.send("DELETE", accountPath(account) + "?id=e", "", "application/json").ok();
    }

    @Test
    @DisplayName("no id → 400 (1001); 1001 ids → 400 (1003); 1000 ids in a ~45 KB request line work")
    void limits() {
      String account = Fixtures.account();
      for (String op : List.of("/revoke", "/unrevoke")) {
        api.post(accountPath(account) + op, null).error(400, 1001);
      }
      api.delete(accountPath(account)).error(400, 1001);
      api.delete(accountPath(account) + "?id=").error(400, 1001);
      List<String> ids = IntStream.range(0, 1001).mapToObj(i -> String.format("registration-%028d", i)).toList();
      seed(account, ids.subList(0, 1000).stream().map(Fixtures::simple).toList());
      api.post(accountPath(account) + "/revoke?" + ids(ids), null).error(400, 1003);
      String thousand = ids(ids.subList(0, 1000));
      assertThat(thousand.length()).isGreaterThan(44_000);
      api.post(accountPath(account) + "/revoke?" + thousand, null).ok();
      assertThat(walk(account, "status=revoked&per_page=1000")).hasSize(1000);
      api.post(accountPath(account) + "/unrevoke?" + thousand + "&" + thousand, null).ok();
      api.delete(accountPath(account) + "?" + thousand).ok();
      assertThat(walk(account, "status=all")).isEmpty();
    }

    @Test
    @DisplayName("a request line over http.max-request-line → 414 (1007)")
    void requestLineTooLong() {
      String ids = IntStream.range(0, 3000).mapToObj(i -> "id=" + "x".repeat(60) + i).collect(Collectors.joining("&"));
      api.post(accountPath(Fixtures.account()) + "/revoke?" + ids, null).error(414, 1007);
    }
  }

  @Nested
  @DisplayName("update (extension)")
  class Update {
    @Test
    @DisplayName("PATCH changes the given fields, sets updated_at, and returns the registration")
    void patch() {
      String account = Fixtures.account();
      create(account, minimal("p").put("updated_at", "2020-01-01T00:00:00Z"));
      JsonObject patched = api.patch(accountPath(account) + "/p", new JsonObject()
          .put("last_seen_at", "2026-01-01T00:00:00.5Z").put("key", "rotated").put("key_type", "secp256r1")
          .put("device", new JsonObject().put("name", "Renamed"))
          .put("user", new JsonObject().put("id", "u9").put("email", "u9@example.com")).encode()).result();
      assertThat(patched.getString("last_seen_at")).isEqualTo("2026-01-01T00:00:00.500Z");
      assertThat(patched.getString("key")).isEqualTo("rotated");
      assertThat(patched.getJsonObject("device").getString("name")).isEqualTo("Renamed");
      assertThat(patched.getJsonObject("device").getString("id")).isEqualTo("dev-p");
      assertThat(patched.getString("updated_at")).isNotEqualTo("2020-01-01T00:00:00Z");
      patched.remove("policy");
      assertThat(api.get(accountPath(account) + "/p").result()).isEqualTo(patched);
      assertThat(idsOf(walk(account, "user.id=u9"))).containsExactly("p");
    }

    @Test
    @DisplayName("an unknown id → 404 (1004); a field PATCH cannot change → 400 (1001)")
    void errors() {
      String account = Fixtures.account();
      create(account, minimal("q"));
      api.patch(accountPath(account) + "/nope", "{\"key\":\"k\"}").error(404, 1004);
      assertThat(api.patch(accountPath(account) + "/q", "{\"id\":\"other\"}").error(400, 1001)).contains("id");
      assertThat(api.patch(accountPath(account) + "/q", "{\"last_seen_at\":null}").error(400, 1001)).contains("last_seen_at");
    }
  }

  @Nested
  @DisplayName("import (extension)")
  class Import {
    @Test
    @DisplayName("stores each valid NDJSON line and reports each invalid or duplicate one with its line")
    void ndjson() {
      String account = Fixtures.account();
      create(account, minimal("existing"));
      StringBuilder body = new StringBuilder();
      body.append(minimal("i1").encode()).append('\n');
      body.append("{not json\n");
      body.append('\n');
      body.append(minimal("i2").encode()).append("\r\n");
      body.append(minimal("existing").encode()).append('\n');
      body.append(minimal("i1").encode()).append('\n');
      body.append(new JsonObject().put("key", "k").encode()).append('\n');
      for (int i = 0; i < 1200; i++) {
        body.append(minimal("bulk-" + i).encode()).append('\n');
      }
      body.append(minimal("bulk-5").encode()).append('\n');
      body.append(minimal("last").encode());
      JsonObject result = api.send("POST", accountPath(account) + "/import", body.toString(), "application/x-ndjson").result();
      assertThat(result.getInteger("created")).isEqualTo(1203);
      JsonArray failed = result.getJsonArray("failed");
      assertThat(failed.stream().map(f -> ((JsonObject) f).getInteger("line")).toList()).containsExactly(2, 5, 6, 7, 1208);
      assertThat(failed.stream().map(f -> ((JsonObject) f).getInteger("code")).toList())
          .containsExactly(1001, 1005, 1005, 1001, 1005);
      assertThat(failed.getJsonObject(3).getString("message")).contains("device");
      assertThat(walk(account, "per_page=1000&status=all")).hasSize(1204);
      api.get(accountPath(account) + "/last").ok();
    }
  }

  @Nested
  @DisplayName("admin: reset and delete an account")
  class AdminReset {
    @Test
    @DisplayName("DELETE /__admin/accounts/{id} empties one account; POST /__admin/reset empties all; both need admin")
    void resets() {
      ApiClient admin = new ApiClient(gateway.rootUrl(), gateway.adminToken());
      String a = Fixtures.account();
      String b = Fixtures.account();
      seed(a, Fixtures.varied("a", 30, 1));
      int bCount = seed(b, Fixtures.varied("b", 30, 2)).size();
      admin.withToken(gateway.writeToken()).delete("/__admin/accounts/" + a).error(403, 9109);
      admin.withToken(null).send("POST", "/__admin/reset", null, null).error(401, 10000);
      admin.delete("/__admin/accounts/bad!id").error(400, 1001);
      assertThat(admin.delete("/__admin/accounts/" + a).ok().getValue("result")).isNull();
      assertThat(walk(a, "status=all")).isEmpty();
      assertThat(walk(b, "status=all")).hasSize(bCount);
      admin.send("POST", "/__admin/reset", null, null).ok();
      assertThat(walk(b, "status=all")).isEmpty();
      create(b, minimal("again"));
      assertThat(walk(b, "status=all")).hasSize(1);
    }
  }

  @Nested
  @DisplayName("export (extension)")
  class Export {
    @Test
    @DisplayName("streams every registration as NDJSON that import takes back byte for byte")
    void roundTrip() {
      String source = Fixtures.account();
      List<Registration> rs = seed(source, Fixtures.varied("x", 2500, 21));
      ApiResponse exported = api.get(accountPath(source) + "/export");
      assertThat(exported.status()).isEqualTo(200);
      assertThat(exported.header("content-type")).startsWith("application/x-ndjson");
      String[] lines = exported.body().split("\n");
      assertThat(lines).hasSize(rs.size());
      assertThat(exported.body()).endsWith("\n");
      String copy = Fixtures.account();
      JsonObject result = api.send("POST", accountPath(copy) + "/import", exported.body(), "application/x-ndjson").result();
      assertThat(result.getInteger("created")).isEqualTo(rs.size());
      assertThat(result.getJsonArray("failed")).isEmpty();
      assertThat(api.get(accountPath(copy) + "/export").body()).isEqualTo(exported.body());
      assertThat(api.get(accountPath(Fixtures.account()) + "/export").body()).isEmpty();
      api.withToken(gateway.readToken()).get(accountPath(source) + "/export").error(403, 9109);
    }
  }

  @Nested
  @DisplayName("pagination while registrations come and go")
  class Churn {
    @Test
    @DisplayName("returns every registration that stays exactly once, for every sort")
    void churn() {
      String account = Fixtures.account();
      List<Registration> stable = seed(account, Fixtures.varied("st", 60, 12));
      Set<String> stableIds = new HashSet<>(stable.stream().map(Registration::id).toList());
      int round = 0;
      for (String sort : List.of("id", "user.name", "user.email", "last_seen_at", "created_at")) {
        for (String order : List.of("asc", "desc")) {
          List<String> seen = new ArrayList<>();
          String cursor = "";
          do {
            String q = "status=all&per_page=7&sort_by=" + enc(sort) + "&sort_order=" + order
                + (cursor.isEmpty() ? "" : "&cursor=" + enc(cursor));
            JsonObject env = api.get(accountPath(account) + "?" + q).ok();
            env.getJsonArray("result").forEach(o -> seen.add(((JsonObject) o).getString("id")));
            cursor = env.getJsonObject("result_info").getString("cursor");
            create(account, minimal("churn-" + round));
            if (round > 0) {
              api.delete(accountPath(account) + "/churn-" + (round - 1)).ok();
            }
            round++;
          } while (!cursor.isEmpty());
          assertThat(seen.stream().filter(stableIds::contains).toList()).as(sort + " " + order)
              .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(stableIds);
        }
      }
    }
  }
}
