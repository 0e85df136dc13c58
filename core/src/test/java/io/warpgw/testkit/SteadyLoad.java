package io.warpgw.testkit;

import io.vertx.core.json.JsonObject;
import io.warpgw.testkit.WriteLedger.State;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A steady mix of reads and writes against a real gateway over HTTP, from several clients on
 * connections of their own, recording every answer, for tests that break the store underneath.
 *
 * <p>Client {@code i} works in account {@code accounts[i % accounts.size()]} on ids only it writes
 * ({@code w<i>-<n>}), one request at a time: gets (compared with what it last wrote), lists that
 * follow cursors, creates with ids it chooses, PATCHes, revokes, unrevokes, deletes and bulk deletes.
 * Each write goes into the {@link WriteLedger}; an id a failed write named is never written again.
 *
 * <p>Every answer is checked as it arrives: 200/201 success envelopes, or 503 (1100) / 504 (1101) with
 * {@code Retry-After} and without {@code x-should-retry: false}; anything else, no answer, an answer
 * slower than {@code hangAfter}, a get that does not show the client's acknowledged writes, or a
 * create answered with other fields than it sent, is a problem. The test names phases ("before",
 * "fault", ...) as it goes; answers are tallied by the phase their request started and ended in, and
 * under "a->b" when the phase changed while the request was in flight (a request cut by the fault
 * counts as neither "before" nor "fault").
 */
public final class SteadyLoad {
  public static final String BEFORE = "before";

  /**
   * @param hangAfter an answer slower than this is a hang: the store's configured timeouts plus slack
   * @param pauseMillis each client's pause between two requests (longer after an error)
   */
  public record Options(String baseUrl, String token, List<String> accounts, int clients,
      Duration hangAfter, long pauseMillis) {}

  private final Options options;
  private final WriteLedger ledger;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;
  private volatile String phase = BEFORE;
  private volatile long recoveryFrom = Long.MAX_VALUE;
  private final Map<String, AtomicLong> firstSuccessAfter = new ConcurrentHashMap<>();
  /** phase -> account -> answer ("200", "503/1100", ...) -> count */
  private final Map<String, Map<String, Map<String, LongAdder>>> answers = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
  private final LongAdder problemCount = new LongAdder();
  private final AtomicLong slowestMillis = new AtomicLong();
  private final List<String> phases = new ArrayList<>(List.of(BEFORE));

  private SteadyLoad(Options options, WriteLedger ledger) {
    this.options = options;
    this.ledger = ledger;
  }

  public static SteadyLoad start(Options options, WriteLedger ledger) {
    SteadyLoad load = new SteadyLoad(options, ledger);
    options.accounts().forEach(a -> load.firstSuccessAfter.put(a, new AtomicLong()));
    for (int i = 0; i < options.clients(); i++) {
      Client c = load.new Client(i, options.accounts().get(i % options.accounts().size()));
      Thread t = new Thread(c::run, "steady-load-" + i);
      t.setDaemon(true);
      load.threads.add(t);
      t.start();
    }
    return load;
  }

  /** Requests started from now on count under {@code name}. */
  public synchronized void phase(String name) {
    phases.add(phase + "->" + name);
    phases.add(name);
    phase = name;
  }

  /**
   * Starts a phase and waits until every account has had a success from a request started in it.
   *
   * @return per account, milliseconds from the phase's start to the end of that first success
   */
  public Map<String, Long> awaitRecovery(String name, Duration max) throws InterruptedException {
    firstSuccessAfter.values().forEach(a -> a.set(0));
    long from = System.nanoTime();
    recoveryFrom = from;
    phase(name);
    long deadline = from + max.toNanos();
    while (firstSuccessAfter.values().stream().anyMatch(a -> a.get() == 0) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Map<String, Long> out = new TreeMap<>();
    firstSuccessAfter.forEach((a, at) -> out.put(a, at.get() == 0 ? -1 : (at.get() - from) / 1_000_000));
    return out;
  }

  /** Waits until {@code n} requests started and ended in the current phase (a warm-up, a steady state). */
  public void awaitRequests(long n, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (requests(phase) < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  /** Stops the clients, letting each finish its request in flight. */
  public void stop() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(options.hangAfter().toMillis() + 10_000);
    }
  }

  /** Answers of requests started in the phase, per account. */
  public Map<String, Map<String, Long>> answers(String phaseName) {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    answers.getOrDefault(phaseName, Map.of()).forEach((account, byAnswer) -> {
      Map<String, Long> counts = new TreeMap<>();
      byAnswer.forEach((answer, n) -> counts.put(answer, n.sum()));
      out.put(account, counts);
    });
    return out;
  }

  /** Answers of requests started in the phase, all accounts together. */
  public Map<String, Long> totals(String phaseName) {
    Map<String, Long> out = new TreeMap<>();
    answers(phaseName).values().forEach(m -> m.forEach((k, v) -> out.merge(k, v, Long::sum)));
    return out;
  }

  public long requests(String phaseName) {
    return totals(phaseName).values().stream().mapToLong(Long::longValue).sum();
  }

  public long slowestMillis() {
    return slowestMillis.get();
  }

  /** Up to 50 examples; {@link #problemCount} has them all. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  public long problemCount() {
    return problemCount.sum();
  }

  /** One line per phase, for the test output. */
  public String summary() {
    StringBuilder b = new StringBuilder();
    List<String> names;
    synchronized (this) {
      names = new ArrayList<>(new java.util.LinkedHashSet<>(phases));
    }
    answers.keySet().stream().filter(p -> !names.contains(p)).sorted().forEach(names::add);
    for (String p : names) {
      if (p.contains("->") && requests(p) == 0) {
        continue;
      }
      b.append(String.format("  %-10s %6d requests: %s%n", p, requests(p), answers(p)));
    }
    b.append("  slowest answer ").append(slowestMillis()).append(" ms; ").append(problemCount()).append(" problems");
    return b.toString();
  }

  private void problem(String what) {
    problemCount.increment();
    if (problems.size() < 50) {
      problems.add(what);
    }
  }

  private void tally(String phaseName, String account, String answer) {
    answers.computeIfAbsent(phaseName, p -> new ConcurrentHashMap<>())
        .computeIfAbsent(account, a -> new ConcurrentHashMap<>())
        .computeIfAbsent(answer, s -> new LongAdder()).increment();
  }

  /** One client: one connection, one account, its own ids, one request at a time. */
  private final class Client {
    private final int number;
    private final String account;
    private final String path;
    private final ApiClient api;
    private final Random random;
    /** Its ids whose every write was acknowledged, as they are now. */
    private final Map<String, State> live = new LinkedHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private String cursor = "";

    Client(int number, String account) {
      this.number = number;
      this.account = account;
      this.path = ApiClient.accountPath(account);
      this.api = new ApiClient(options.baseUrl(), options.token(), options.hangAfter());
      this.random = new Random(number);
    }

    void run() {
      while (running) {
        boolean ok;
        try {
          ok = step();
        } catch (RuntimeException e) {
          problem("client " + number + " failed: " + e);
          ok = false;
        }
        sleep(ok ? options.pauseMillis() : options.pauseMillis() * 5);
      }
    }

    /** One request; true when it succeeded. */
    private boolean step() {
      if (live.size() < 10) {
        return create();
      }
      int dice = random.nextInt(100);
      if (dice < 25) {
        return get();
      } else if (dice < 40) {
        return list();
      } else if (dice < 55) {
        return create();
      } else if (dice < 70) {
        return patch();
      } else if (dice < 78) {
        return revoke(true);
      } else if (dice < 86) {
        return revoke(false);
      } else if (dice < 93) {
        return delete();
      }
      return bulkDelete();
    }

    private boolean get() {
      String id = pick(1).get(0);
      Answer a = send("get", "GET", path + "/" + id, null, 200);
      if (a.ok()) {
        State got = State.of(a.response.json().getJsonObject("result"));
        if (!got.equals(live.get(id))) {
          problem("stale read of " + account + "/" + id + ": " + got + ", last acknowledged " + live.get(id));
        }
      }
      return a.ok();
    }

    private boolean list() {
      String query = "?per_page=25" + (cursor.isEmpty() ? "" : "&cursor=" + ApiClient.enc(cursor));
      Answer a = send("list", "GET", path + query, null, 200);
      if (a.ok()) {
        String next = a.response.json().getJsonObject("result_info").getString("cursor");
        // Follow the cursors to the end, and start again: a chain may span the fault.
        cursor = next == null ? "" : next;
      }
      return a.ok();
    }

    private boolean create() {
      String id = "w" + number + "-" + nextId.incrementAndGet();
      Instant at = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(nextId.get());
      JsonObject body = new JsonObject()
          .put("id", id)
          .put("created_at", at.toString())
          .put("last_seen_at", at.toString())
          .put("device", new JsonObject().put("id", "dev-" + id).put("name", "Device " + id)
              .put("client_version", "2025.1.0"))
          .put("key", "key-" + id)
          .put("key_type", "curve25519")
          .put("tunnel_type", "wireguard")
          .put("user", new JsonObject().put("id", "u-" + id).put("email", id + "@example.com")
              .put("name", "User " + id))
          .put("registration_type", "warp");
      State sent = new State(true, false, WriteLedger.content(body));
      Answer a = send("create", "POST", path, body.encode(), 201);
      if (a.ok()) {
        State got = State.of(a.response.json().getJsonObject("result"));
        if (!got.equals(sent)) {
          problem("create of " + account + "/" + id + " answered " + got + ", sent " + sent);
        }
        live.put(id, got);
        ledger.acknowledged(account, Map.of(id, got));
      } else {
        ledger.failed("create", account, Map.of(id, State.ABSENT), Map.of(id, sent));
      }
      return a.ok();
    }

    private boolean patch() {
      String id = pick(1).get(0);
      State before = live.get(id);
      int version = nextId.incrementAndGet();
      String seen = Instant.parse("2026-06-01T00:00:00Z").plusSeconds(version).toString();
      JsonObject body = new JsonObject()
          .put("device", new JsonObject().put("name", "Renamed " + version))
          .put("key", "key-v" + version)
          .put("last_seen_at", seen);
      JsonObject content = before.content().copy()
          .put("device.name", "Renamed " + version).put("key", "key-v" + version).put("last_seen_at", seen);
      State after = new State(true, before.revoked(), content);
      Answer a = send("patch", "PATCH", path + "/" + id, body.encode(), 200);
      if (a.ok()) {
        State got = State.of(a.response.json().getJsonObject("result"));
        if (!got.equals(after)) {
          problem("patch of " + account + "/" + id + " answered " + got + ", expected " + after);
        }
      }
      settle("patch", Map.of(id, before), Map.of(id, after), a.ok());
      return a.ok();
    }

    private boolean revoke(boolean revoke) {
      List<String> ids = pick(1 + random.nextInt(3));
      Map<String, State> before = new LinkedHashMap<>();
      Map<String, State> after = new LinkedHashMap<>();
      ids.forEach(id -> {
        before.put(id, live.get(id));
        after.put(id, live.get(id).revoked(revoke));
      });
      String op = revoke ? "revoke" : "unrevoke";
      Answer a = send(op, "POST", path + "/" + op + "?" + ApiClient.ids(ids), null, 200);
      settle(op, before, after, a.ok());
      return a.ok();
    }

    private boolean delete() {
      String id = pick(1).get(0);
      Answer a = send("delete", "DELETE", path + "/" + id, null, 200);
      settle("delete", Map.of(id, live.get(id)), Map.of(id, State.ABSENT), a.ok());
      return a.ok();
    }

    private boolean bulkDelete() {
      List<String> ids = pick(2 + random.nextInt(3));
      Map<String, State> before = new LinkedHashMap<>();
      Map<String, State> after = new LinkedHashMap<>();
      ids.forEach(id -> {
        before.put(id, live.get(id));
        after.put(id, State.ABSENT);
      });
      Answer a = send("bulk delete", "DELETE", path + "?" + ApiClient.ids(ids), null, 200);
      settle("bulk delete", before, after, a.ok());
      return a.ok();
    }

    /** Into the ledger; ids a failed write named leave the client's working set for good. */
    private void settle(String op, Map<String, State> before, Map<String, State> after, boolean ok) {
      if (ok) {
        ledger.acknowledged(account, after);
        after.forEach((id, s) -> {
          if (s.present()) {
            live.put(id, s);
          } else {
            live.remove(id);
          }
        });
      } else {
        ledger.failed(op, account, before, after);
        before.keySet().forEach(live::remove);
      }
    }

    /** {@code n} distinct live ids (fewer if there are not enough). */
    private List<String> pick(int n) {
      List<String> ids = new ArrayList<>(live.keySet());
      java.util.Collections.shuffle(ids, random);
      return ids.subList(0, Math.min(n, ids.size()));
    }

    private record Answer(ApiResponse response, boolean ok) {}

    /** Sends one request, checks the answer's form and tallies it. */
    private Answer send(String op, String method, String target, String body, int success) {
      String phaseName = phase;
      long start = System.nanoTime();
      ApiResponse r;
      try {
        r = api.send(method, target, body, body == null ? null : "application/json");
      } catch (UncheckedIOException e) {
        long millis = (System.nanoTime() - start) / 1_000_000;
        slowestMillis.accumulateAndGet(millis, Math::max);
        boolean hang = e.getCause() instanceof HttpTimeoutException;
        tally(within(phaseName), account, hang ? "hang" : "no answer");
        problem(op + " " + account + ": " + (hang ? "no answer within " + millis + " ms" : "connection failed: " + e.getCause()));
        return new Answer(null, false);
      }
      long end = System.nanoTime();
      phaseName = within(phaseName);
      long millis = (end - start) / 1_000_000;
      slowestMillis.accumulateAndGet(millis, Math::max);
      if (millis > options.hangAfter().toMillis()) {
        problem(op + " " + account + " answered after " + millis + " ms");
      }
      String label = check(op, r, success);
      tally(phaseName, account, label);
      boolean ok = r.status() == success && label.equals(Integer.toString(success));
      if (ok && start >= recoveryFrom) {
        firstSuccessAfter.get(account).compareAndSet(0, end);
      }
      return new Answer(r, ok);
    }

    /** A request in flight while the phase changed counts apart, under "start->end". */
    private String within(String startPhase) {
      String now = phase;
      return now.equals(startPhase) ? startPhase : startPhase + "->" + now;
    }

    /** The answer's tally label; a problem when it is not a well-formed success, 503 or 504. */
    private String check(String op, ApiResponse r, int success) {
      JsonObject env;
      try {
        env = r.json();
      } catch (RuntimeException e) {
        problem(op + " " + account + ": " + r.status() + " without a JSON envelope: " + r.body());
        return r.status() + "/not-json";
      }
      if (r.header("cf-ray") == null) {
        problem(op + " " + account + ": " + r.status() + " without cf-ray");
      }
      if (r.status() == success) {
        if (!Boolean.TRUE.equals(env.getBoolean("success"))) {
          problem(op + " " + account + ": " + r.status() + " without success: true: " + r.body());
        }
        return Integer.toString(success);
      }
      Integer code = env.getJsonArray("errors") == null || env.getJsonArray("errors").isEmpty() ? null
          : env.getJsonArray("errors").getJsonObject(0).getInteger("code");
      String label = r.status() + "/" + code;
      boolean expected = r.status() == 503 && Integer.valueOf(1100).equals(code)
          || r.status() == 504 && Integer.valueOf(1101).equals(code);
      if (!expected) {
        problem(op + " " + account + " answered " + r.status() + ": " + r.body());
      } else if (r.header("retry-after") == null || "false".equals(r.header("x-should-retry"))
          || Boolean.TRUE.equals(env.getBoolean("success")) || env.getValue("result") != null) {
        problem(op + " " + account + ": " + label + " without Retry-After, or with x-should-retry: false,"
            + " or not a failure envelope: " + r.headers().map() + " " + r.body());
      }
      return label;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
