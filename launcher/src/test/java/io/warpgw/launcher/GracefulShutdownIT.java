package io.warpgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.auth.Authenticator;
import io.warpgw.testkit.ApiClient;
import io.warpgw.testkit.RawHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SIGTERM on the built jar while requests are in flight: a slow, streamed import and a crowd of
 * concurrent clients, on each store. Every request that gets an answer gets a whole one; the import that
 * fits in the grace is finished, acknowledged and, on PostgreSQL and Redis, there for the next gateway;
 * the process exits 0 within the grace, its store connections closed.
 */
@DisplayName("The fat jar on SIGTERM")
class GracefulShutdownIT {
  private static final String SECRET = "shutdown-test-secret";
  private static final int TIMEOUT_MS = 30_000;

  private static GatewayProcess start(Path dir, int port, int grace, StoreUnderTest store) throws IOException {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, """
        http:
          port: %d
          instances: 2
          shutdown-grace: %d
        auth:
          tokens:
            - name: ci
              sha256: %s
              accounts: ["*"]
              permission: write
        %s""".formatted(port, grace, Authenticator.sha256Hex(SECRET), store.yaml()));
    return GatewayProcess.start(Map.of(), List.of(), "serve", "--config", file.toString());
  }

  /** An NDJSON import sent in chunks, {@code lines} of them, one every {@code everyMs}. */
  private static Future<RawHttp.Response> slowImport(ExecutorService pool, int port, String account, int lines,
      long everyMs, AtomicBoolean sending) {
    return pool.submit(() -> {
      try (Socket s = RawHttp.connect("127.0.0.1", port, TIMEOUT_MS)) {
        OutputStream out = s.getOutputStream();
        out.write(("POST /client/v4/accounts/" + account + "/devices/registrations/import HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Authorization: Bearer " + SECRET + "\r\nContent-Type: application/x-ndjson\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        try {
          for (int i = 0; i < lines; i++) {
            byte[] line = (new JsonObject().put("id", "imp-" + i).put("device", new JsonObject().put("id", "d").put("name", "n"))
                .put("key", "k").encode() + "\n").getBytes(StandardCharsets.UTF_8);
            out.write((Integer.toHexString(line.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(line);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            sending.set(true);
            Thread.sleep(everyMs);
          }
          out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        } catch (IOException cut) {
          // the server closed the connection at the end of the grace: what it answered, if anything, counts
        }
        return RawHttp.read(new java.io.BufferedInputStream(s.getInputStream()), false);
      }
    });
  }

  /** Outcomes of the crowd: whole answers by status, no answer at all, and cut answers (never allowed). */
  private static final class Crowd {
    final Map<Integer, LongAdder> whole = new ConcurrentHashMap<>();
    final LongAdder refused = new LongAdder();
    final LongAdder noAnswer = new LongAdder();
    final List<String> cut = new CopyOnWriteArrayList<>();
    final AtomicBoolean stop = new AtomicBoolean();

    void run(int port, int id) {
      int n = 0;
      while (!stop.get()) {
        n++;
        boolean create = n % 3 == 0;
        String target = "/client/v4/accounts/crowd-" + id + "/devices/registrations" + (create ? "" : "?per_page=100");
        byte[] body = create ? new JsonObject().put("id", "c" + id + "-" + n).put("device", new JsonObject().put("id", "d")
            .put("name", "n")).put("key", "k").encode().getBytes(StandardCharsets.UTF_8) : null;
        RawHttp.Request req = new RawHttp.Request().line(create ? "POST" : "GET", target.getBytes(StandardCharsets.UTF_8))
            .header("Host", "127.0.0.1").header("Authorization", "Bearer " + SECRET);
        if (create) {
          req.header("Content-Type", "application/json");
        }
        try {
          RawHttp.Response r = RawHttp.exchange("127.0.0.1", port, req.body(body), false, TIMEOUT_MS);
          if (r.complete()) {
            whole.computeIfAbsent(r.status(), k -> new LongAdder()).increment();
            if (r.status() != 200 && r.status() != 201) {
              cut.add("unexpected " + r.status() + " " + r.bodyText());
            }
          } else if (r.noAnswer()) {
            noAnswer.increment();
          } else {
            cut.add(r.bytes() + " bytes then: " + r.problem());
          }
        } catch (ConnectException e) {
          refused.increment();
          sleep(20);
        } catch (IOException e) {
          cut.add(e.toString());
        }
      }
    }

    long total() {
      return whole.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<Integer, Long> wholeByStatus() {
      Map<Integer, Long> out = new java.util.TreeMap<>();
      whole.forEach((k, v) -> out.put(k, v.sum()));
      return out;
    }
  }

  @ParameterizedTest(name = "on the {0} store")
  @EnumSource(StoreUnderTest.Kind.class)
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  @DisplayName("finishes requests in flight (a slow import, a crowd of clients), cuts none, exits 0 within the grace,"
      + " leaves no connection to the store, and what it answered is stored")
  void drains(StoreUnderTest.Kind kind, @TempDir Path dir) throws Exception {
    int port = GatewayProcess.freePort();
    int grace = 15;
    ExecutorService pool = Executors.newCachedThreadPool();
    Vertx vertx = Vertx.vertx();
    try (StoreUnderTest store = kind.start(vertx); GatewayProcess gw = start(dir, port, grace, store)) {
      gw.awaitServing();
      AtomicBoolean sending = new AtomicBoolean();
      Crowd crowd = new Crowd();
      for (int i = 0; i < 8; i++) {
        int id = i;
        pool.submit(() -> crowd.run(port, id));
      }
      // A loaded machine can take seconds to warm up: let the crowd get going before anything else.
      long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (crowd.total() < 100 && System.nanoTime() < warm) {
        sleep(20);
      }
      // 50 lines over ~5 s, SIGTERM after the first second: the rest fits in the grace, so it must be
      // finished and acknowledged.
      Future<RawHttp.Response> imp = slowImport(pool, port, "slow", 50, 100, sending);
      awaitTrue(sending);
      Thread.sleep(1000);
      long beforeTerm = crowd.total();
      // Seen while serving, so that "none after the exit" below is about connections that were there.
      OptionalLong connectionsServing = store.gatewayConnections();
      long t0 = System.nanoTime();
      gw.sigterm();
      // The port closes while the import is still being served.
      boolean refusedAfterTerm = false;
      while (!refusedAfterTerm && !imp.isDone()) {
        try (Socket s = RawHttp.connect("127.0.0.1", port, 2000)) {
          sleep(20);
        } catch (ConnectException e) {
          refusedAfterTerm = true;
        }
      }
      RawHttp.Response r = imp.get(60, TimeUnit.SECONDS);
      int exit = gw.awaitExit();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      crowd.stop.set(true);
      assertThat(RawHttp.awaitQuietly(pool, 60)).isTrue();
      StoreAfterExit after = StoreAfterExit.look(store);
      // An answered write is durable: a new gateway on the same store finds every line of the import.
      Set<String> stored = store.durable() ? importedIds(dir, grace, store) : null;
      System.out.printf("graceful shutdown (%s): import answered %d %s after SIGTERM; crowd: whole answers %s (%d before"
          + " SIGTERM), no answer %d, refused %d, cut %d; port refused while the import was still served: %s;"
          + " exit %d after %d ms (grace %d s); store connections %s while serving, %s;"
          + " import lines found by a new gateway: %s%n",
          kind, r.status(), r.complete() ? "whole" : "CUT", crowd.wholeByStatus(), beforeTerm, crowd.noAnswer.sum(),
          crowd.refused.sum(), crowd.cut.size(), refusedAfterTerm, exit, ms, grace, text(connectionsServing),
          after, stored == null ? "n/a" : stored.size() + " of 50");
      assertThat(r.complete()).as("the import's answer is whole: " + r.problem()).isTrue();
      assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
      JsonObject result = new JsonObject(r.bodyText()).getJsonObject("result");
      assertThat(result.getLong("created")).as("every line of the import acknowledged").isEqualTo(50);
      assertThat(crowd.cut).as("answers cut part-way").isEmpty();
      assertThat(beforeTerm).as("the crowd got going").isGreaterThanOrEqualTo(100);
      assertThat(refusedAfterTerm).as("the port is closed once SIGTERM arrives").isTrue();
      assertThat(exit).isZero();
      // Slack for a loaded CI machine; the import alone would have held it 4 s more than it took.
      assertThat(ms).isLessThan((grace + 10) * 1000L);
      // The child's output is echoed line by line and may lag the exit.
      gw.awaitOutputEnd();
      assertThat(gw.output()).contains("stopping: no new connections", "stopped in").doesNotContain(" ERROR ");
      if (store.durable()) {
        assertThat(connectionsServing.getAsLong()).as("the gateway had connections to the store").isPositive();
        after.check();
        assertThat(stored).as("the import's registrations, read back by a new gateway")
            .isEqualTo(IntStream.range(0, 50).mapToObj(i -> "imp-" + i).collect(Collectors.toSet()));
      }
    } finally {
      pool.shutdownNow();
      vertx.close().await();
    }
  }

  /** The ids of account "slow", listed by a new gateway on the same store. */
  private static Set<String> importedIds(Path dir, int grace, StoreUnderTest store) throws Exception {
    try (GatewayProcess reader = start(dir, GatewayProcess.freePort(), grace, store)) {
      ApiClient api = new ApiClient(reader.awaitServing(), SECRET);
      JsonArray page = api.get("/accounts/slow/devices/registrations?per_page=100").ok().getJsonArray("result");
      return page.stream().map(o -> ((JsonObject) o).getString("id")).collect(Collectors.toSet());
    }
  }

  /** The gateway's connections as the store sees them once the process is gone. */
  private record StoreAfterExit(OptionalLong connections, OptionalLong abandoned) {
    static StoreAfterExit look(StoreUnderTest store) {
      // The server may take a moment to see a connection go: bounded polling, not a timing claim.
      OptionalLong connections = store.gatewayConnections();
      long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (connections.orElse(0) > 0 && System.nanoTime() < settle) {
        sleep(100);
        connections = store.gatewayConnections();
      }
      // Gone is not enough: the OS closes the sockets of any process that ends. A pool closed in order
      // says goodbye on each connection; PostgreSQL counts the ones that just dropped (its statistics
      // arrive a moment after the session ends: a kill -9 of the jar shows here as 1 within 0.5 s).
      if (connections.isPresent()) {
        sleep(500);
      }
      return new StoreAfterExit(connections, store.abandonedSessions());
    }

    void check() {
      connections.ifPresent(n -> assertThat(n).as("the gateway's connections to the store are closed").isZero());
      abandoned.ifPresent(n -> assertThat(n).as("connections dropped rather than closed by the pool").isZero());
    }

    @Override
    public String toString() {
      return text(connections) + " after the exit (sessions dropped without goodbye: " + text(abandoned) + ")";
    }
  }

  private static String text(OptionalLong n) {
    return n.isPresent() ? Long.toString(n.getAsLong()) : "n/a";
  }

  @ParameterizedTest(name = "on the {0} store")
  @EnumSource(StoreUnderTest.Kind.class)
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  @DisplayName("a request that outlasts the grace does not hold the exit: exit 0 within the grace, that request unanswered")
  void graceBoundsTheWait(StoreUnderTest.Kind kind, @TempDir Path dir) throws Exception {
    int port = GatewayProcess.freePort();
    int grace = 2;
    ExecutorService pool = Executors.newCachedThreadPool();
    Vertx vertx = Vertx.vertx();
    try (StoreUnderTest store = kind.start(vertx); GatewayProcess gw = start(dir, port, grace, store)) {
      gw.awaitServing();
      AtomicBoolean sending = new AtomicBoolean();
      // Would take 60 s.
      Future<RawHttp.Response> imp = slowImport(pool, port, "endless", 300, 200, sending);
      awaitTrue(sending);
      Thread.sleep(500);
      long t0 = System.nanoTime();
      gw.sigterm();
      int exit = gw.awaitExit();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      RawHttp.Response r = imp.get(60, TimeUnit.SECONDS);
      // The grace ended with the import still writing to the store: the pool must still close in order.
      StoreAfterExit after = StoreAfterExit.look(store);
      System.out.printf("graceful shutdown (%s): an import longer than the grace (%d s) got %s; exit %d after %d ms;"
          + " store connections %s%n",
          kind, grace, r.noAnswer() ? "no answer" : r.complete() ? "a whole " + r.status() : "A CUT ANSWER", exit, ms,
          after);
      assertThat(r.cut()).as("never half an answer").isFalse();
      after.check();
      gw.awaitOutputEnd();
      // A connection closed at the end of the grace is not a failure of the gateway.
      assertThat(gw.output()).contains("stopped in").doesNotContain(" ERROR ");
      assertThat(exit).isZero();
      // Slack for a loaded CI machine; the import alone would have held it for a minute.
      assertThat(ms).isBetween(grace * 1000L - 500, (grace + 10) * 1000L);
    } finally {
      pool.shutdownNow();
      vertx.close().await();
    }
  }

  private static void awaitTrue(AtomicBoolean flag) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!flag.get() && System.nanoTime() < deadline) {
      sleep(20);
    }
    assertThat(flag).as("the import started within 30 s").isTrue();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
