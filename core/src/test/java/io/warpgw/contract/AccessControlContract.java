package io.warpgw.contract;

import static io.warpgw.contract.StoreAwait.await;
import static io.warpgw.testkit.ApiClient.accountPath;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import io.warpgw.model.Registration;
import io.warpgw.testkit.ApiClient;
import io.warpgw.testkit.ApiResponse;
import io.warpgw.testkit.Fixtures;
import io.warpgw.testkit.RawHttp;
import io.warpgw.testkit.TestGateway;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Who may do what: every route against every kind of caller, the answers compared for ids that exist
 * and ids that do not (a caller must not learn which ids another account holds), and the log searched
 * for every secret after authenticated and failing requests.
 */
@DisplayName("Access control")
public abstract class AccessControlContract extends GatewayKit {
  private final AtomicInteger seq = new AtomicInteger();

  enum Caller { NONE, BAD_TOKEN, READ, SCOPED_ELSEWHERE, SCOPED_OWN, LEGACY, BAD_LEGACY, WRITE, ADMIN }

  /**
   * A route: how to call it on an account for one existing id, whether it needs write, and whether it
   * is an /__admin route (outside the base path, admin permission only).
   */
  record Route(String name, String method, boolean write, int okStatus, boolean takesId, boolean admin) {
    Route(String name, String method, boolean write, int okStatus, boolean takesId) {
      this(name, method, write, okStatus, takesId, false);
    }

    String path(String account, String id) {
      String regs = accountPath(account);
      return switch (name) {
        case "admin_requests" -> "/__admin/requests";
        case "admin_faults" -> "/__admin/faults";
        case "export" -> regs + "/export";
        case "list" -> regs + "?id=" + id;
        case "get", "update", "delete" -> regs + "/" + id;
        case "bulk_delete" -> regs + "?id=" + id;
        case "revoke", "unrevoke" -> regs + "/" + name + "?id=" + id;
        case "import" -> regs + "/import";
        default -> regs;
      };
    }

    String body(String id) {
      return switch (name) {
        case "create" -> new JsonObject().put("id", id + "-new").put("device", new JsonObject().put("id", "d").put("name", "n"))
            .put("key", "k").encode();
        case "update" -> "{\"key\":\"rotated\"}";
        case "import" -> "{\"id\":\"" + id + "-imp\",\"device\":{\"id\":\"d\",\"name\":\"n\"},\"key\":\"k\"}\n";
        case "admin_faults" -> method.equals("PUT") ? "{\"rules\":[]}" : null;
        default -> null;
      };
    }
  }

  static final List<Route> ROUTES = List.of(
      new Route("list", "GET", false, 200, true),
      new Route("get", "GET", false, 200, true),
      new Route("create", "POST", true, 201, false),
      new Route("update", "PATCH", true, 200, true),
      new Route("delete", "DELETE", true, 200, true),
      new Route("bulk_delete", "DELETE", true, 200, true),
      new Route("revoke", "POST", true, 200, true),
      new Route("unrevoke", "POST", true, 200, true),
      new Route("import", "POST", true, 200, false),
      new Route("export", "GET", true, 200, false),
      new Route("admin_requests", "GET", false, 200, false, true),
      new Route("admin_faults", "GET", false, 200, false, true),
      new Route("admin_faults", "PUT", true, 200, false, true),
      new Route("admin_faults", "DELETE", true, 200, false, true));

  private String[] credentialHeaders(Caller c) {
    return switch (c) {
      case NONE -> new String[0];
      case BAD_TOKEN -> new String[] {"Authorization", "Bearer " + gateway.writeToken() + "x"};
      case READ -> new String[] {"Authorization", "Bearer " + gateway.readToken()};
      case SCOPED_ELSEWHERE, SCOPED_OWN -> new String[] {"Authorization", "Bearer " + gateway.scopedToken()};
      case LEGACY -> new String[] {"X-Auth-Email", TestGateway.LEGACY_EMAIL, "X-Auth-Key", gateway.legacyKey()};
      case BAD_LEGACY -> new String[] {"X-Auth-Email", "other@example.com", "X-Auth-Key", gateway.legacyKey()};
      case WRITE -> new String[] {"Authorization", "Bearer " + gateway.writeToken()};
      case ADMIN -> new String[] {"Authorization", "Bearer " + gateway.adminToken()};
    };
  }

  private ApiResponse call(Route route, Caller caller, String account, String id) {
    ApiClient client = new ApiClient(route.admin ? gateway.rootUrl() : gateway.baseUrl(), null);
    String body = route.body(id);
    return client.send(route.method, route.path(account, id), body, body == null ? null : "application/json",
        credentialHeaders(caller));
  }

  /** What API.md says each caller gets on each route; [status, code] with code 0 for a success. */
  private static int[] expected(Route route, Caller caller) {
    if (route.admin) {
      return switch (caller) {
        case NONE, BAD_TOKEN, BAD_LEGACY -> new int[] {401, 10000};
        case ADMIN -> new int[] {route.okStatus, 0};
        default -> new int[] {403, 9109};
      };
    }
    return switch (caller) {
      case NONE, BAD_TOKEN, BAD_LEGACY -> new int[] {401, 10000};
      case SCOPED_ELSEWHERE -> new int[] {403, 9109};
      case READ -> route.write ? new int[] {403, 9109} : new int[] {route.okStatus, 0};
      case SCOPED_OWN, LEGACY, WRITE, ADMIN -> new int[] {route.okStatus, 0};
    };
  }

  private String seeded(String account) {
    String id = "ac-" + seq.incrementAndGet();
    Registration r = Fixtures.simple(id);
    assertThat(await(store.insertBatch(account, List.of(r)))).isEmpty();
    return id;
  }

  @Test
  @DisplayName("every route x every caller gets the status and code API.md gives it")
  void matrix() {
    Map<Integer, Integer> tally = new TreeMap<>();
    List<String> wrong = new ArrayList<>();
    for (Route route : ROUTES) {
      for (Caller caller : Caller.values()) {
        String account = caller == Caller.SCOPED_OWN ? TestGateway.SCOPED_ACCOUNT : Fixtures.account();
        String id = seeded(account);
        ApiResponse r = call(route, caller, account, id);
        int[] want = expected(route, caller);
        tally.merge(r.status(), 1, Integer::sum);
        try {
          if (want[1] == 0 && route.name.equals("export")) {
            // An export answers NDJSON, not an envelope.
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("\"id\":\"" + id + "\"");
          } else if (want[1] == 0) {
            r.ok(want[0]);
          } else {
            r.error(want[0], want[1]);
          }
        } catch (AssertionError | RuntimeException e) {
          wrong.add(route.name + " as " + caller + ": wanted " + want[0] + "/" + want[1] + ", got " + r.status() + " " + r.body());
        }
        if (want[1] != 0 && route.write && !route.admin && !route.name.equals("export")) {
          // A refused write changed nothing.
          assertThat(await(store.get(account, id)).key()).as(route.name + " as " + caller).isEqualTo("key-" + id);
        }
      }
    }
    System.out.printf("access control [%s]: %d routes x %d callers = %d requests; by status %s%n",
        getClass().getSimpleName(), ROUTES.size(), Caller.values().length, ROUTES.size() * Caller.values().length, tally);
    assertThat(wrong).isEmpty();
  }

  @Test
  @DisplayName("no answer tells a caller whether an id exists in an account it cannot see")
  void existenceIsNotDisclosed() {
    String other = Fixtures.account();
    String existing = seeded(other);
    String missing = "ac-missing-" + seq.incrementAndGet();
    int compared = 0;
    for (Route route : ROUTES) {
      if (!route.takesId) {
        continue;
      }
      for (Caller caller : List.of(Caller.NONE, Caller.BAD_TOKEN, Caller.BAD_LEGACY, Caller.SCOPED_ELSEWHERE, Caller.READ)) {
        if (caller == Caller.READ && !route.write) {
          continue;
        }
        ApiResponse a = call(route, caller, other, existing);
        ApiResponse b = call(route, caller, other, missing);
        assertThat(a.status()).as(route.name + " as " + caller).isEqualTo(b.status()).isIn(401, 403);
        assertThat(a.body().replace(existing, "ID")).as(route.name + " as " + caller).isEqualTo(b.body().replace(missing, "ID"));
        compared++;
      }
      // In its own account, the scoped token must not tell an id of another account from one that exists nowhere.
      ApiResponse a = call(route, Caller.SCOPED_OWN, TestGateway.SCOPED_ACCOUNT, existing);
      ApiResponse b = call(route, Caller.SCOPED_OWN, TestGateway.SCOPED_ACCOUNT, missing);
      if (route.name.equals("list")) {
        a.ok();
        assertThat(a.json().getJsonArray("result")).isEmpty();
      } else {
        a.error(404, 1004);
      }
      assertThat(a.body().replace(existing, "ID")).as(route.name + " in its own account").isEqualTo(b.body().replace(missing, "ID"));
      compared++;
    }
    assertThat(await(store.get(other, existing)).id()).isEqualTo(existing);
    System.out.printf("access control [%s]: %d existing/missing answer pairs compared, all identical%n",
        getClass().getSimpleName(), compared);
  }

  @Test
  @DisplayName("no token or key ever appears in the log, on success or on failure")
  void secretsStayOutOfTheLog() throws Exception {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger access = ctx.getLogger("io.warpgw.access");
    Logger ours = ctx.getLogger("io.warpgw");
    Level accessLevel = access.getLevel();
    Level oursLevel = ours.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.setContext(ctx);
    captured.start();
    root.addAppender(captured);
    access.setLevel(Level.DEBUG);
    ours.setLevel(Level.DEBUG);
    List<String> secrets = List.of(gateway.writeToken(), gateway.readToken(), gateway.scopedToken(), gateway.legacyKey(),
        gateway.adminToken());
    try {
      String account = Fixtures.account();
      for (Route route : ROUTES) {
        for (Caller caller : Caller.values()) {
          call(route, caller, caller == Caller.SCOPED_OWN ? TestGateway.SCOPED_ACCOUNT : account, seeded(account));
        }
      }
      ApiClient anon = new ApiClient(gateway.baseUrl(), null);
      String regs = accountPath(account);
      for (String secret : secrets) {
        // Near misses and wrong places: each must fail without the log repeating what was sent.
        anon.send("GET", regs, null, null, "Authorization", "Bearer " + secret.substring(0, secret.length() - 1)).error(401, 10000);
        anon.send("GET", regs, null, null, "Authorization", "Basic " + secret).error(401, 10000);
        anon.send("GET", regs, null, null, "Authorization", secret).error(401, 10000);
        anon.send("GET", regs, null, null, "X-Auth-Email", "nobody@example.com", "X-Auth-Key", secret).error(401, 10000);
        anon.send("GET", regs, null, null, "X-Auth-Key", secret).error(401, 10000);
        anon.send("GET", "/accounts/bad!account/devices/registrations", null, null, "Authorization", "Bearer " + secret);
        anon.send("POST", regs, "{\"broken\":", "application/json", "Authorization", "Bearer " + secret);
        String target = java.net.URI.create(gateway.baseUrl()).getPath() + regs;
        byte[] raw = new RawHttp.Request().line("GET", target.getBytes(StandardCharsets.UTF_8)).header("Host", "127.0.0.1")
            .header(("Authorization: Bearer " + secret + "\u0001").getBytes(StandardCharsets.ISO_8859_1))
            .header("Connection", "close").body(null);
        RawHttp.Response r = RawHttp.exchange("127.0.0.1", gateway.port(), raw, false, 10_000);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.bodyText()).doesNotContain(secret.substring(0, 8));
      }
      // The access log is asynchronous in production, synchronous here; give the end handlers a moment.
      Thread.sleep(200);
    } finally {
      root.detachAppender(captured);
      access.setLevel(accessLevel);
      ours.setLevel(oursLevel);
    }
    // The admin journal shows recent requests; it must not show what authenticated them either.
    String journal = new ApiClient(gateway.rootUrl(), gateway.adminToken()).get("/__admin/requests").ok().encode();
    for (String secret : secrets) {
      assertThat(journal).as("the request journal").doesNotContain(secret.substring(0, 12));
    }
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent e : List.copyOf(captured.list)) {
      lines.add(e.getLoggerName() + " " + e.getFormattedMessage()
          + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())));
    }
    assertThat(lines.stream().filter(l -> l.startsWith("io.warpgw.access")).count())
        .as("the access log was captured").isGreaterThan(ROUTES.size());
    for (String line : lines) {
      for (String secret : secrets) {
        // Any 12 consecutive characters of a secret would be a leak.
        for (int i = 0; i + 12 <= secret.length(); i += 4) {
          assertThat(line).as("a log line").doesNotContain(secret.substring(i, i + 12));
        }
      }
    }
    System.out.printf("access control [%s]: %d log lines captured (%d access lines), no secret in any%n",
        getClass().getSimpleName(), lines.size(), lines.stream().filter(l -> l.startsWith("io.warpgw.access")).count());
  }
}
