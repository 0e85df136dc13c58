package io.warpgw.contract;

import static io.warpgw.contract.StoreAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.model.Registration;
import io.warpgw.testkit.Fixtures;
import io.warpgw.testkit.RawHttp;
import io.warpgw.testkit.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile input, sent as raw bytes to every route of a gateway over the store under test: thousands of
 * seeded random requests (paths, query strings, headers, bodies, framing), and the limits of API.md
 * with their codes. The property: a prompt, complete answer in the envelope, never a 500, and never
 * a success for a caller without a credential that allows it.
 *
 * <p>{@code -Dfuzz.seed=N} replays a run, {@code -Dfuzz.cases=N} changes its size; a failing case is
 * reported with its index, and case {@code i} depends only on the seed and {@code i}.
 */
@DisplayName("The gateway under hostile input")
public abstract class HostileInputContract extends GatewayKit {
  private static final long SEED = Long.getLong("fuzz.seed", 0x5EEDL);
  private static final int CASES = Integer.getInteger("fuzz.cases", 4000);
  private static final int TIMEOUT_MS = 15_000;
  private static final int MAX_BODY = 1024 * 1024;
  private static final int MAX_LINE = 128 * 1024;
  private static final int MAX_HEADERS = 16 * 1024;
  private static final String BASE = "/client/v4";
  /** Every status API.md lets a client cause without a rate limit or a failing store. */
  private static final Map<Integer, Set<Integer>> CODES = Map.ofEntries(
      Map.entry(400, Set.of(1001, 1002, 1003)), Map.entry(401, Set.of(10000)), Map.entry(403, Set.of(9109)),
      Map.entry(404, Set.of(1004, 7000)), Map.entry(405, Set.of(7001)), Map.entry(409, Set.of(1005)),
      Map.entry(413, Set.of(1006)), Map.entry(414, Set.of(1007)), Map.entry(431, Set.of(1008)),
      Map.entry(505, Set.of(1009)));

  private static final Set<String> METHODS = Set.of("GET", "POST", "DELETE", "PATCH", "PUT", "HEAD", "OPTIONS",
      "get", "TRACE", "CONNECT", "FOO", "PRI");

  private String account;
  private List<String> ids;

  @BeforeAll
  void seedAccount() {
    account = Fixtures.account();
    List<Registration> rs = IntStream.range(0, 20).mapToObj(i -> Fixtures.simple("r" + i)).toList();
    assertThat(await(store.insertBatch(account, rs))).isEmpty();
    ids = rs.stream().map(Registration::id).toList();
  }

  private RawHttp.Response send(byte[] request, boolean head) {
    try {
      return RawHttp.exchange("127.0.0.1", gateway.port(), request, head, TIMEOUT_MS);
    } catch (IOException e) {
      throw new AssertionError("no answer to " + preview(request) + ": " + e, e);
    }
  }

  private RawHttp.Request request(String method, String target) {
    return new RawHttp.Request().line(method, target.getBytes(StandardCharsets.UTF_8))
        .header("Host", "127.0.0.1").header("Authorization", "Bearer " + gateway.writeToken())
        .header("Connection", "close");
  }

  private String regs() {
    return BASE + "/accounts/" + account + "/devices/registrations";
  }

  /** The checks every answer must pass; returns a description of what is wrong, or null. */
  private static String problem(RawHttp.Response r, boolean head, String path) {
    if (!r.complete()) {
      return "incomplete answer (" + r.bytes() + " bytes): " + r.problem();
    }
    if (r.status() == 500 || !(r.status() < 300 || CODES.containsKey(r.status()))) {
      return "status " + r.status() + " " + r.bodyText();
    }
    if (r.header("cf-ray") == null) {
      return "no cf-ray header";
    }
    if (r.status() >= 400 && !"false".equals(r.header("x-should-retry"))) {
      return "a " + r.status() + " without x-should-retry: false";
    }
    if (head) {
      return null;
    }
    boolean ops = path.equals("/metrics") || path.equals("/openapi.json");
    String type = r.header("content-type");
    if (ops && r.status() == 200) {
      return null;
    }
    if (type == null || !type.startsWith("application/json")) {
      return "content-type " + type + ", body " + r.bodyText();
    }
    JsonObject env;
    try {
      env = new JsonObject(r.bodyText());
    } catch (RuntimeException e) {
      return "not a JSON object: " + r.bodyText();
    }
    if (!(env.getValue("success") instanceof Boolean ok) || !(env.getValue("errors") instanceof JsonArray errors)
        || !(env.getValue("messages") instanceof JsonArray) || !env.containsKey("result")) {
      return "not an envelope: " + r.bodyText();
    }
    if (ok != r.status() < 300) {
      return "success " + ok + " with status " + r.status();
    }
    if (!ok) {
      if (errors.isEmpty() || env.getValue("result") != null || !(errors.getValue(0) instanceof JsonObject e)
          || !(e.getValue("code") instanceof Integer code) || !(e.getValue("message") instanceof String m) || m.isBlank()) {
        return "not an error envelope: " + r.bodyText();
      }
      if (!CODES.get(r.status()).contains(code)) {
        return "code " + code + " with status " + r.status();
      }
    }
    return null;
  }

  private static String preview(byte[] request) {
    String s = new String(request, 0, Math.min(request.length, 300), StandardCharsets.ISO_8859_1)
        .replaceAll("[\\x00-\\x1f\\x7f-\\xff]", "?");
    return s + (request.length > 300 ? "…(" + request.length + " bytes)" : "");
  }

  @Nested
  @DisplayName("limits")
  class Limits {
    @Test
    @DisplayName("a body over http.max-body-size is 413 (1006) on every route that reads one")
    void bodyTooLarge() {
      byte[] big = ("{\"id\":\"big\",\"device\":{\"id\":\"d\",\"name\":\"" + "x".repeat(MAX_BODY) + "\"},\"key\":\"k\"}")
          .getBytes(StandardCharsets.UTF_8);
      for (String[] route : List.of(new String[] {"POST", regs()}, new String[] {"PATCH", regs() + "/" + ids.get(0)})) {
        RawHttp.Response r = send(request(route[0], route[1]).header("Content-Type", "application/json").body(big), false);
        assertThat(problem(r, false, route[1])).isNull();
        assertThat(r.status()).as(route[0] + " " + r.bodyText()).isEqualTo(413);
        assertThat(new JsonObject(r.bodyText()).getJsonArray("errors").getJsonObject(0).getInteger("code")).isEqualTo(1006);
        RawHttp.Response chunked = send(request(route[0], route[1]).header("Content-Type", "application/json")
            .chunked(big, 60_000), false);
        assertThat(chunked.status()).as("chunked " + route[0] + " " + chunked.bodyText()).isEqualTo(413);
      }
      String small = "{\"device\":{\"id\":\"d\",\"name\":\"n\"},\"key\":\"k\"}";
      RawHttp.Response fits = send(request("POST", regs()).header("Content-Type", "application/json")
          .body((small + " ".repeat(MAX_BODY - small.length())).getBytes(StandardCharsets.UTF_8)), false);
      assertThat(fits.status()).as(fits.bodyText()).isEqualTo(201);
    }

    @Test
    // The parser checks the limit while a line has no end yet, so it bites within one TCP read of 1 MiB.
    @DisplayName("an import line far over 1 MiB is 413 (1006)")
    void importLineTooLarge() {
      String ok = "{\"device\":{\"id\":\"d\",\"name\":\"n\"},\"key\":\"k\"}\n";
      byte[] body = (ok + "x".repeat(3 * 1024 * 1024) + "\n").getBytes(StandardCharsets.UTF_8);
      RawHttp.Response r = send(request("POST", regs() + "/import").body(body), false);
      assertThat(problem(r, false, "")).isNull();
      assertThat(r.status()).as(r.bodyText()).isEqualTo(413);
      // One byte over, newline right behind it: the line arrives whole in the parser, and is still 413.
      String head = "{\"device\":{\"id\":\"d\",\"name\":\"n\"},\"key\":\"";
      String over = head + "k".repeat(1024 * 1024 + 1 - head.length() - 2) + "\"}";
      assertThat(over.length()).isEqualTo(1024 * 1024 + 1);
      RawHttp.Response justOver = send(request("POST", regs() + "/import")
          .body((ok + over + "\n" + ok).getBytes(StandardCharsets.UTF_8)), false);
      assertThat(problem(justOver, false, "")).isNull();
      assertThat(justOver.status()).as(justOver.bodyText()).isEqualTo(413);
    }

    @Test
    @DisplayName("a request line over http.max-request-line is 414 (1007); 1000 ids of 64 characters fit")
    void requestLineTooLong() {
      RawHttp.Response r = send(request("GET", regs() + "?search=" + "a".repeat(MAX_LINE)).body(null), false);
      assertThat(problem(r, false, "")).isNull();
      assertThat(r.status()).isEqualTo(414);
      assertThat(new JsonObject(r.bodyText()).getJsonArray("errors").getJsonObject(0).getInteger("code")).isEqualTo(1007);
      String thousand = IntStream.range(0, 1000).mapToObj(i -> "id=" + "x".repeat(60) + String.format("%04d", i))
          .collect(Collectors.joining("&"));
      assertThat(send(request("GET", regs() + "?" + thousand).body(null), false).status()).isEqualTo(200);
      RawHttp.Response missing = send(request("POST", regs() + "/revoke?" + thousand).body(null), false);
      assertThat(missing.status()).as(missing.bodyText()).isEqualTo(404);
    }

    @Test
    @DisplayName("headers over http.max-header-size are 431 (1008), one huge header or many small ones")
    void headersTooLarge() {
      RawHttp.Response one = send(request("GET", regs()).header("X-Junk", "j".repeat(MAX_HEADERS + 1)).body(null), false);
      RawHttp.Request many = request("GET", regs());
      for (int i = 0; i < 600; i++) {
        many.header("X-Junk-" + i, "0123456789abcdef0123456789");
      }
      RawHttp.Response lots = send(many.body(null), false);
      for (RawHttp.Response r : List.of(one, lots)) {
        assertThat(problem(r, false, "")).isNull();
        assertThat(r.status()).isEqualTo(431);
        assertThat(new JsonObject(r.bodyText()).getJsonArray("errors").getJsonObject(0).getInteger("code")).isEqualTo(1008);
      }
    }

    @Test
    @DisplayName("per_page outside 1-1000 is 400 (1001); more than 1000 ids is 400 (1003); search over 256 is 400 (1001)")
    void parameterLimits() {
      for (String v : List.of("0", "1001", "-1", "abc", "1.5", "1e3", "99999999999999999999", "%2B", "0x10")) {
        RawHttp.Response r = send(request("GET", regs() + "?per_page=" + v).body(null), false);
        assertThat(problem(r, false, "")).isNull();
        assertThat(r.status()).as("per_page=" + v).isEqualTo(400);
        assertThat(code(r)).isEqualTo(1001);
      }
      for (String v : List.of("1", "1000", "%2B20", "%2020")) {
        assertThat(send(request("GET", regs() + "?per_page=" + v).body(null), false).status()).as("per_page=" + v).isEqualTo(200);
      }
      String ids1001 = IntStream.range(0, 1001).mapToObj(i -> "id=i" + i).collect(Collectors.joining("&"));
      for (String[] route : List.of(new String[] {"GET", regs()}, new String[] {"DELETE", regs()},
          new String[] {"POST", regs() + "/revoke"}, new String[] {"POST", regs() + "/unrevoke"})) {
        RawHttp.Response r = send(request(route[0], route[1] + "?" + ids1001).body(null), false);
        assertThat(r.status()).as(route[0] + " " + route[1] + " " + r.bodyText()).isEqualTo(400);
        assertThat(code(r)).isEqualTo(1003);
      }
      assertThat(code(send(request("GET", regs() + "?" + ids1001.replace("id=", "user.id=")).body(null), false))).isEqualTo(1003);
      assertThat(send(request("GET", regs() + "?search=" + "s".repeat(256)).body(null), false).status()).isEqualTo(200);
      RawHttp.Response longSearch = send(request("GET", regs() + "?search=" + "s".repeat(257)).body(null), false);
      assertThat(longSearch.status()).isEqualTo(400);
      assertThat(code(longSearch)).isEqualTo(1001);
      // 256 characters, not bytes: outside the BMP each is two UTF-16 units and four UTF-8 bytes.
      String smiles = "%F0%9F%98%80".repeat(200);
      RawHttp.Response astral = send(request("GET", regs() + "?search=" + smiles).body(null), false);
      assertThat(problem(astral, false, "")).isNull();
    }

    private int code(RawHttp.Response r) {
      return new JsonObject(r.bodyText()).getJsonArray("errors").getJsonObject(0).getInteger("code");
    }
  }

  @Nested
  @DisplayName("connections")
  class Connections {
    private byte[] keepAlive(String method, String target, String body) {
      RawHttp.Request r = new RawHttp.Request().line(method, target.getBytes(StandardCharsets.UTF_8))
          .header("Host", "127.0.0.1").header("Authorization", "Bearer " + gateway.writeToken());
      if (body != null) {
        r.header("Content-Type", "application/json");
      }
      return r.body(body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("pipelined requests, a bad one among them, are answered whole and in order on one connection")
    void pipelined() throws IOException {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.writeBytes(keepAlive("GET", regs() + "?per_page=2", null));
      all.writeBytes(keepAlive("POST", regs(), "{\"device\":"));
      all.writeBytes(keepAlive("GET", regs() + "?status=all", null));
      all.writeBytes(keepAlive("GET", regs() + "/nope", null));
      all.writeBytes(keepAlive("PATCH", regs() + "/" + ids.get(1), "[]"));
      all.writeBytes(keepAlive("GET", regs() + "?per_page=1", null));
      try (java.net.Socket s = RawHttp.connect("127.0.0.1", gateway.port(), TIMEOUT_MS)) {
        s.getOutputStream().write(all.toByteArray());
        s.getOutputStream().flush();
        java.io.InputStream in = new java.io.BufferedInputStream(s.getInputStream());
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          RawHttp.Response r = RawHttp.read(in, false);
          assertThat(problem(r, false, "")).as("answer " + i).isNull();
          statuses.add(r.status());
        }
        assertThat(statuses).containsExactly(200, 400, 200, 404, 400, 200);
      }
    }

    @Test
    @DisplayName("a connection survives a rejected body and serves the next request")
    void keepAliveAfterErrors() throws IOException {
      try (java.net.Socket s = RawHttp.connect("127.0.0.1", gateway.port(), TIMEOUT_MS)) {
        java.io.InputStream in = new java.io.BufferedInputStream(s.getInputStream());
        String big = "{\"device\":{\"id\":\"d\",\"name\":\"" + "x".repeat(MAX_BODY) + "\"},\"key\":\"k\"}";
        for (String body : List.of("{", "[[[[[[", "{\"device\":{\"id\":1e999999}}", "\u0000", big)) {
          s.getOutputStream().write(keepAlive("POST", regs(), body));
          s.getOutputStream().flush();
          RawHttp.Response r = RawHttp.read(in, false);
          assertThat(problem(r, false, "")).isNull();
          assertThat(r.status()).isIn(400, 413);
          if (r.status() == 413 || "close".equalsIgnoreCase(r.header("connection"))) {
            return; // closing after an unread oversized body is fair; what matters is the whole answer
          }
          // The fuzz run may delete seeded ids: a list is always there.
          s.getOutputStream().write(keepAlive("GET", regs() + "?per_page=1", null));
          s.getOutputStream().flush();
          assertThat(RawHttp.read(in, false).status()).isEqualTo(200);
        }
      }
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  @DisplayName("thousands of random requests: always a prompt, complete envelope; never a 500; never let in")
  void fuzz() throws InterruptedException {
    Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    Map<String, LongAdder> byKind = new ConcurrentHashMap<>();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger next = new AtomicInteger();
    LongAdder bytesSent = new LongAdder();
    long t0 = System.nanoTime();
    int threads = 6;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      pool.execute(() -> {
        int i;
        while ((i = next.getAndIncrement()) < CASES && failures.size() < 25) {
          Case c = new Generator(new Random(SEED * 1_000_003L + i)).next();
          bytesSent.add(c.bytes.length);
          byKind.computeIfAbsent(c.kind, k -> new LongAdder()).increment();
          RawHttp.Response r;
          try {
            r = RawHttp.exchange("127.0.0.1", gateway.port(), c.bytes, c.head, TIMEOUT_MS);
          } catch (IOException e) {
            failures.add("case " + i + " [" + c.kind + "]: " + e + "\n  request: " + preview(c.bytes));
            continue;
          }
          byStatus.computeIfAbsent(r.status(), k -> new LongAdder()).increment();
          String p = problem(r, c.head, c.path);
          if (p == null && c.expected != null && r.status() != c.expected) {
            p = "expected " + c.expected + ", got " + r.status() + " " + r.bodyText();
          }
          if (p == null && !c.authorized && r.status() < 300 && c.api) {
            p = "success without a credential that allows it: " + r.status();
          }
          if (p != null) {
            failures.add("case " + i + " [" + c.kind + "]: " + p + "\n  answer: " + r.status() + " "
                + r.headers() + " " + preview(r.body()) + "\n  request: " + preview(c.bytes));
          }
        }
      });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(4, TimeUnit.MINUTES)).as("the fuzz run ended in time").isTrue();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("hostile input [%s]: %d cases (seed %d) in %d ms, %d MB sent; by status %s; by kind %s%n",
        getClass().getSimpleName(), Math.min(next.get(), CASES), SEED, ms, bytesSent.sum() >> 20,
        new TreeMap<>(byStatus.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sum()))),
        new TreeMap<>(byKind.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sum()))));
    assertThat(failures).as("failing cases (replay with -Dfuzz.seed=" + SEED + ")").isEmpty();
    // The gateway is still whole after all that.
    RawHttp.Response after = send(request("GET", regs() + "?per_page=1000&status=all").body(null), false);
    assertThat(after.status()).isEqualTo(200);
  }

  /** One generated request and what is known about its answer. */
  private record Case(String kind, byte[] bytes, boolean head, String path, boolean api, boolean authorized, Integer expected) {}

  /** Builds one random request from a seeded generator; every choice is the generator's. */
  private final class Generator {
    private final Random rnd;
    private String kind = "plain";
    private boolean authorized;
    private boolean adminPath;
    private Integer expected;
    /** A header the decoder itself rejects or measures (control bytes, size), whatever the request line. */
    private boolean garbledHeaders;

    Generator(Random rnd) {
      this.rnd = rnd;
    }

    private <T> T pick(List<T> xs) {
      return xs.get(rnd.nextInt(xs.size()));
    }

    private boolean chance(int percent) {
      return rnd.nextInt(100) < percent;
    }

    Case next() {
      String method = rnd.nextInt(100) < 90
          ? pick(List.of("GET", "GET", "GET", "POST", "POST", "POST", "DELETE", "DELETE", "PATCH", "PATCH", "PUT", "HEAD", "OPTIONS"))
          : pick(List.of("get", "TRACE", "CONNECT", "FOO", "G\u00c9T", "", "GET GET", "PRI", "\u0000"));
      String path;
      boolean api;
      if (chance(88)) {
        api = true;
        String base = chance(90) ? BASE : pick(List.of("", "/client", "/client/v5", "//client/v4", "/CLIENT/V4", "/client/v4/"));
        String acct = chance(60) ? account : chance(50) ? "acct-" + rnd.nextInt(1000) : segment();
        String suffix = switch (rnd.nextInt(9)) {
          case 0, 1 -> "";
          case 2, 3 -> "/" + (chance(60) ? pick(ids) : segment());
          case 4 -> "/revoke";
          case 5 -> "/unrevoke";
          case 6 -> "/import";
          case 7 -> "/" + segment() + "/" + segment();
          default -> pick(List.of("/", "//", "/revoke/", "/import/x", "?", ";x=1"));
        };
        path = base + "/accounts/" + acct + "/devices/registrations" + suffix;
      } else if (chance(25)) {
        // No fuzz case holds an admin token: any success here would be a hole.
        api = true;
        adminPath = true;
        kind = "admin";
        path = pick(List.of("/__admin/requests", "/__admin/faults", "/__admin/faults/", "/__admin", "/__admin/requests/x"));
      } else {
        api = false;
        path = pick(List.of("/health", "/ready", "/metrics", "/openapi.json", "/", "*", "/%", "/health/", "/..", "/%2e%2e/etc/passwd",
            "http://127.0.0.1/health", "/metrics?x=%zz", "/" + segment()));
      }
      ByteArrayOutputStream target = new ByteArrayOutputStream();
      target.writeBytes(path.getBytes(StandardCharsets.UTF_8));
      if (chance(65)) {
        target.write('?');
        query(target);
      }
      if (chance(3)) {
        target.writeBytes(("#" + segment()).getBytes(StandardCharsets.UTF_8));
      }
      RawHttp.Request req = new RawHttp.Request();
      String version = chance(97) ? " HTTP/1.1" : pick(List.of(" HTTP/1.0", " HTTP/2.0", " HTTP/1.1 extra", "", " HTTP/x",
          " HTTP/1.2", " HTTP/9.9", " HTTP/0.9", " http/1.1", " RTSP/1.0"));
      req.raw(method + " ").raw(target.toByteArray()).raw(version + "\r\n");
      if (chance(96)) {
        req.header("Host", "127.0.0.1");
      }
      credentials(req, method.equals("GET") || method.equals("HEAD"));
      headers(req);
      req.header("Connection", "close");
      byte[] body = body(method);
      byte[] bytes;
      if (body == null) {
        bytes = req.body(chance(10) ? new byte[0] : null);
      } else if (chance(15)) {
        kind += "+chunked";
        bytes = req.chunked(body, 1 + rnd.nextInt(Math.max(1, body.length)));
      } else {
        bytes = req.body(body);
      }
      int line = target.size() + method.length() + 12;
      byte[] t = target.toByteArray();
      boolean lineBreak = IntStream.range(0, t.length).anyMatch(k -> t[k] == '\r' || t[k] == '\n');
      if (line > MAX_LINE && !lineBreak) {
        expected = 414;
      } else if (version.matches(" [A-Za-z]+/\\d\\.\\d") && !version.equals(" HTTP/1.0") && !version.equals(" HTTP/1.1")) {
        kind = "http-version";
        // A well-formed line whose version is not HTTP/1.0 or 1.1 is 505 (1009), unless the decoder
        // already failed on something else in it (a space or control byte in the target, bad headers).
        if (METHODS.contains(method) && IntStream.range(0, t.length).allMatch(k -> (t[k] & 0xff) > 0x20 && t[k] != 0x7f)
            && !garbledHeaders) {
          expected = 505;
        }
      }
      String pathOnly = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
      return new Case(kind, bytes, method.equals("HEAD"), pathOnly, api, authorized && !adminPath, expected);
    }

    /** A path segment from the zoo: valid, too long, percent garbage, raw control and non-UTF-8 bytes. */
    private String segment() {
      return switch (rnd.nextInt(16)) {
        case 0 -> "";
        case 1 -> "x".repeat(64);
        case 2 -> "x".repeat(65);
        case 3 -> "x".repeat(1 + rnd.nextInt(5000));
        case 4 -> pick(List.of(".", "..", "%2e%2e", "%2F", "%2f..%2f", "a%00b", "%zz", "%", "%f", "%ff%fe", "%C0%AF", "%E2%82"));
        case 5 -> "\u00e9t\u00e9";
        case 6 -> "\uD83D\uDE00";
        case 7 -> "a\u0001b";
        case 8 -> "a\tb";
        case 9 -> "a\u00ffb";
        case 10 -> pick(List.of("a b", "a\rb", "a\nb", "a\u007fb", "a\\b", "a\"b", "<script>", "a%20b", "a+b"));
        case 11 -> "*";
        case 12 -> "id_-AZaz09";
        default -> Long.toString(rnd.nextLong(), 36);
      };
    }

    private void query(ByteArrayOutputStream out) {
      int n = rnd.nextInt(100) < 10 ? 900 + rnd.nextInt(300) : 1 + rnd.nextInt(8);
      if (n > 100) {
        kind = "many-params";
      }
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          out.writeBytes(pick(List.of("&", "&", "&", "&", "&&", ";", "&=&")).getBytes(StandardCharsets.ISO_8859_1));
        }
        String name = n > 100 ? pick(List.of("id", "id[]", "user.id", "user[id]")) : pick(List.of(
            "id", "id[]", "per_page", "cursor", "device.id", "device[id]", "user.id", "user[id]", "user[id][]", "policy.id",
            "policy[id]", "search", "seen_after", "seen_before", "status", "registration_type", "sort_by", "sort_order",
            "include", "unknown", "", "%zz", "id[", "a[b][c]", "[]", "per_page%00"));
        out.writeBytes(name.getBytes(StandardCharsets.UTF_8));
        if (chance(92)) {
          out.write('=');
          value(out, name);
        }
      }
    }

    private void value(ByteArrayOutputStream out, String name) {
      if (chance(45)) {
        String good = switch (name) {
          case "per_page" -> Integer.toString(1 + rnd.nextInt(1000));
          case "status" -> pick(List.of("active", "revoked", "all"));
          case "sort_by" -> pick(List.of("id", "user.name", "user.email", "last_seen_at", "created_at"));
          case "sort_order" -> pick(List.of("asc", "desc"));
          case "include" -> "policy";
          case "registration_type" -> pick(List.of("warp", "browser_extension"));
          case "seen_after", "seen_before" -> "2025-03-01T12:00:00Z";
          case "id", "id[]" -> pick(ids);
          default -> Long.toString(rnd.nextLong(), 36);
        };
        out.writeBytes(good.getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] bad = switch (rnd.nextInt(14)) {
        case 0 -> new byte[0];
        case 1 -> pick(List.of("%", "%g1", "%ff", "%00", "%C0%AF", "%ED%A0%80", "%F4%90%80%80", "%E2%82", "%%", "%2")).getBytes(StandardCharsets.ISO_8859_1);
        case 2 -> new byte[] {(byte) 0xff, (byte) 0xfe, 'a'};
        case 3 -> new byte[] {'a', 0x01, 'b'};
        case 4 -> pick(List.of("99999999999999999999999", "-0", "1e3", "+5", "NaN", "0x10", "-2147483649", "2147483648", " 5")).getBytes(StandardCharsets.ISO_8859_1);
        case 5 -> "s".repeat(200 + rnd.nextInt(100)).getBytes(StandardCharsets.ISO_8859_1);
        case 6 -> "%F0%9F%98%80".repeat(1 + rnd.nextInt(400)).getBytes(StandardCharsets.ISO_8859_1);
        case 7 -> Base64Garbage.next(rnd).getBytes(StandardCharsets.ISO_8859_1);
        case 8 -> pick(List.of("2025-13-01T00:00:00Z", "2025-03-01", "yesterday", "2025-03-01T12:00:00+25:00", "9999999-01-01T00:00:00Z")).getBytes(StandardCharsets.ISO_8859_1);
        case 9 -> pick(List.of("policy,policy", "policy,", ",", "POLICY", "policy,x", "user")).getBytes(StandardCharsets.ISO_8859_1);
        case 10 -> "x".repeat(1000 + rnd.nextInt(2000)).getBytes(StandardCharsets.ISO_8859_1);
        case 11 -> "%E6%97%A5%E6%9C%AC%00".getBytes(StandardCharsets.ISO_8859_1);
        case 12 -> "a=b=c".getBytes(StandardCharsets.ISO_8859_1);
        default -> "\u00e9\uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
      };
      out.writeBytes(bad);
    }

    private void credentials(RawHttp.Request req, boolean reading) {
      int roll = rnd.nextInt(100);
      if (roll < 70) {
        req.header("Authorization", "Bearer " + gateway.writeToken());
        authorized = true;
      } else if (roll < 76) {
        req.header("Authorization", "Bearer " + gateway.readToken());
        authorized = reading;
      } else if (roll < 80) {
        req.header("Authorization", "Bearer " + gateway.scopedToken());
      } else if (roll < 85) {
        req.header("X-Auth-Email", TestGateway.LEGACY_EMAIL).header("X-Auth-Key", gateway.legacyKey());
        authorized = true;
      } else if (roll < 90) {
        // no credentials
      } else {
        kind = "bad-credentials";
        garbledHeaders = true;
        switch (rnd.nextInt(10)) {
          case 0 -> req.header("Authorization", "Bearer");
          case 1 -> req.header("Authorization", "Bearer    ");
          case 2 -> req.header("Authorization", "Basic " + gateway.writeToken());
          case 3 -> req.header("Authorization", "Bearer " + "t".repeat(8000));
          case 4 -> req.header(("Authorization: Bearer " + gateway.writeToken().substring(0, 5) + "\u0001x").getBytes(StandardCharsets.ISO_8859_1));
          case 5 -> req.header(new byte[] {'A', 'u', 't', 'h', 'o', 'r', 'i', 'z', 'a', 't', 'i', 'o', 'n', ':', ' ', (byte) 0xff, (byte) 0xfe});
          case 6 -> req.header("Authorization", "Bearer " + gateway.writeToken() + "x");
          case 7 -> req.header("X-Auth-Email", TestGateway.LEGACY_EMAIL).header("X-Auth-Key", gateway.writeToken());
          case 8 -> req.header("X-Auth-Key", gateway.legacyKey());
          default -> req.header("Authorization", "Bearer " + gateway.readToken() + "\u0000");
        }
      }
    }

    private void headers(RawHttp.Request req) {
      if (chance(70)) {
        req.header("Content-Type", pick(List.of("application/json", "application/json; charset=utf-8", "application/x-ndjson",
            "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "multipart/form-data",
            "application/json; charset=latin1", "", "\u00ff/\u00ff", "*/*")));
      }
      if (chance(12)) {
        kind = "odd-headers";
        garbledHeaders = true;
        switch (rnd.nextInt(12)) {
          case 0 -> req.header("X-Junk", "j".repeat(MAX_HEADERS + rnd.nextInt(1000)));
          case 1 -> req.header("X-Junk", "a\u0001b");
          case 2 -> req.header("no colon here".getBytes(StandardCharsets.ISO_8859_1));
          case 3 -> req.header("X-Folded", "a").raw(" continued\r\n");
          case 4 -> {
            for (int i = 0; i < 50 + rnd.nextInt(700); i++) {
              req.header("X-H" + i, "v".repeat(20));
            }
          }
          case 5 -> req.header(new byte[] {'X', '-', (byte) 0xc3, (byte) 0x28, ':', ' ', (byte) 0xff});
          case 6 -> req.header("Expect", "100-continue");
          case 7 -> req.header(": empty-name".getBytes(StandardCharsets.ISO_8859_1));
          case 8 -> req.header("Content-Encoding", pick(List.of("gzip", "br", "deflate", "x")));
          case 9 -> req.header("Accept-Encoding", "gzip, deflate, br");
          case 10 -> req.header("X-Null", "a\u0000b");
          default -> req.header("Host", "evil.example");
        }
      }
    }

    private byte[] body(String method) {
      if (!(method.equals("POST") || method.equals("PATCH") || method.equals("PUT") || method.equals("DELETE")) || chance(15)) {
        return null;
      }
      String id = "f" + Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36);
      String valid = "{\"id\":\"" + id + "\",\"device\":{\"id\":\"d\",\"name\":\"n\"},\"key\":\"k\"}";
      return switch (rnd.nextInt(20)) {
        case 0, 1 -> valid.getBytes(StandardCharsets.UTF_8);
        case 2 -> valid.substring(0, rnd.nextInt(valid.length())).getBytes(StandardCharsets.UTF_8);
        case 3 -> ("[".repeat(1 + rnd.nextInt(20_000))).getBytes(StandardCharsets.ISO_8859_1);
        case 4 -> ("{\"a\":".repeat(1 + rnd.nextInt(5000)) + "1" + "}".repeat(rnd.nextInt(5000))).getBytes(StandardCharsets.ISO_8859_1);
        case 5 -> ("{\"id\":\"" + id + "\",\"device\":{\"id\":" + pick(List.of("1e999999", "123456789012345678901234567890",
            "-0.0e-99999", "1" + "0".repeat(5000))) + ",\"name\":\"n\"},\"key\":" + pick(List.of("1e400", "9".repeat(1000), "true")) + "}")
            .getBytes(StandardCharsets.ISO_8859_1);
        case 6 -> ("{\"id\":\"a\u0000b\",\"device\":{\"id\":\"d\u0001\",\"name\":\"\u001f\"},\"key\":\"\u0000\"}").getBytes(StandardCharsets.ISO_8859_1);
        case 7 -> ("{\"id\":\"" + id + "\",\"device\":{\"id\":\"d\\u0000\",\"name\":\"\\ud800\"},\"key\":\"\\u0000\"}").getBytes(StandardCharsets.ISO_8859_1);
        case 8 -> {
          byte[] b = valid.getBytes(StandardCharsets.UTF_8);
          b[b.length - 4] = (byte) 0xff;
          yield b;
        }
        case 9 -> {
          byte[] b = new byte[rnd.nextInt(4096)];
          rnd.nextBytes(b);
          yield b;
        }
        case 10 -> {
          kind = "large-body";
          yield ("{\"device\":{\"id\":\"d\",\"name\":\"" + "x".repeat(MAX_BODY + rnd.nextInt(1000)) + "\"},\"key\":\"k\"}")
              .getBytes(StandardCharsets.UTF_8);
        }
        case 11 -> pick(List.of("null", "[]", "\"str\"", "42", "", " ", "{}", "{\"device\":null}", "\uFEFF" + valid,
            "{\"id\":\"a\",\"id\":\"b\",\"device\":{\"id\":\"d\",\"name\":\"n\"},\"key\":\"k\"}")).getBytes(StandardCharsets.UTF_8);
        case 12 -> ("{\"id\":\"" + id + "\",\"device\":\"x\",\"key\":5,\"revoked_at\":\"yesterday\",\"last_seen_at\":1e400,"
            + "\"user\":[],\"policy\":{\"id\":{}},\"registration_type\":\"x\",\"key_type\":7}").getBytes(StandardCharsets.UTF_8);
        case 13 -> ("{\"device\":{\"id\":\"d\",\"name\":\"" + "n".repeat(100_000 + rnd.nextInt(400_000)) + "\"},\"key\":\"k\"}")
            .getBytes(StandardCharsets.UTF_8);
        case 14, 15 -> {
          StringBuilder nd = new StringBuilder();
          for (int i = 0; i < 1 + rnd.nextInt(40); i++) {
            nd.append(switch (rnd.nextInt(6)) {
              case 0 -> "{\"device\":{\"id\":\"d\",\"name\":\"n\"},\"key\":\"k\"}";
              case 1 -> valid;
              case 2 -> "{";
              case 3 -> "";
              case 4 -> "\u0000\u0001";
              default -> "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[";
            }).append(chance(80) ? "\n" : "\r\n");
          }
          yield nd.toString().getBytes(StandardCharsets.UTF_8);
        }
        case 16 -> ("{\"last_seen_at\":\"" + pick(List.of("2025-03-01T12:00:00Z", "0000-00-00T00:00:00Z", "+999999999-12-31T23:59:59Z",
            "2025-03-01T12:00:00.1234567891Z", "")) + "\",\"user\":{\"email\":\"" + "e".repeat(rnd.nextInt(3000)) + "\"}}")
            .getBytes(StandardCharsets.UTF_8);
        case 17 -> ("{\"policy\":{\"id\":\"p\",\"default\":\"yes\",\"updated_at\":\"x\"},\"device\":{\"name\":null}}").getBytes(StandardCharsets.UTF_8);
        case 18 -> ("--xyz\r\nContent-Disposition: form-data; name=\"a\"; filename=\"../../x\"\r\n\r\n" + "z".repeat(rnd.nextInt(100))
            + "\r\n--xyz--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        default -> "a=1&b=%zz&c".getBytes(StandardCharsets.ISO_8859_1);
      };
    }
  }

  /** Cursor-shaped garbage: URL-safe base64 of random bytes, sometimes with a tampered tail. */
  private static final class Base64Garbage {
    static String next(Random rnd) {
      byte[] b = new byte[rnd.nextInt(120)];
      rnd.nextBytes(b);
      String s = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
      return rnd.nextBoolean() ? s : s + "." + s;
    }
  }
}
