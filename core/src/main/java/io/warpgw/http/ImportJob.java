package io.warpgw.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.error.ApiError;
import io.warpgw.error.GatewayException;
import io.warpgw.json.CreateLines;
import io.warpgw.model.Registration;
import io.warpgw.model.Timestamps;
import io.warpgw.spi.RegistrationStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One NDJSON import, streamed: lines are parsed as they arrive and written in batches, up to
 * {@value #IN_FLIGHT} of them in the store at once so that parsing and writing overlap (a database
 * answers a batch in milliseconds, during which the next ones are parsed); the request is paused
 * while that many are in the store, so memory stays flat whatever the body's size.
 *
 * <p>Overlapping batches give the same result as writing them one after the other: a line whose id
 * is already in a batch not yet answered fails as a duplicate at once, because after that batch its
 * id exists whether the batch created it or found it. So each id reaches the store at most once at a
 * time, and the first line of an id is the one that may create it.
 */
final class ImportJob {
  /** The most {@link RegistrationStore#insertBatch} takes. */
  static final int BATCH = 1000;
  static final int IN_FLIGHT = 4;
  /** Lines parsed in one event-loop task at most (a few milliseconds of JSON). */
  static final int LINES_PER_TURN = 250;
  static final int MAX_LINE = 1024 * 1024;
  /** Failures beyond this are counted, not detailed, so a body of garbage cannot exhaust the heap. */
  static final int MAX_FAILURE_DETAILS = 10_000;

  private final RegistrationStore store;
  private final String account;
  private final Clock clock;
  private final HttpServerRequest request;
  private final Promise<JsonObject> done = Promise.promise();
  private final JsonArray failed = new JsonArray();
  private List<Registration> batch = new ArrayList<>(BATCH);
  private Map<String, Long> batchLines = new HashMap<>();
  /** Ids of the batches in the store now, each with the line it came from. */
  private final Set<String> writing = new HashSet<>();
  private int inFlight;
  private int linesThisTurn;
  /** Set when the import has failed: later lines are neither parsed nor written. */
  private boolean stopped;
  /** Completes when no batch is in the store; replaced each time one is sent. */
  private Promise<Void> idle = completedPromise();
  private long lineNo;
  private long created;
  private long failures;

  ImportJob(RegistrationStore store, String account, Clock clock, HttpServerRequest request) {
    this.store = store;
    this.account = account;
    this.clock = clock;
    this.request = request;
  }

  Future<JsonObject> run() {
    LineSplitter parser = new LineSplitter(request, MAX_LINE);
    // A long line stops the import; the batches already sent finish first, so the count is exact.
    parser.exceptionHandler(e -> stop(parser, () -> e instanceof IllegalStateException ? lineTooLong(lineNo + 1) : e));
    parser.handler((data, off, len) -> onLine(parser, data, off, len));
    parser.endHandler(v -> {
      send(parser);
      idle.future().onComplete(x -> done.tryComplete(result()));
    });
    parser.start();
    return done.future();
  }

  private void stop(LineSplitter parser, java.util.function.Supplier<Throwable> failure) {
    stopped = true;
    parser.pause();
    idle.future().onComplete(x -> done.tryFail(failure.get()));
  }

  private GatewayException lineTooLong(long line) {
    return new GatewayException(ApiError.BODY_TOO_LARGE, "line " + line + " is longer than "
        + MAX_LINE + " bytes; the " + created + " registrations before it were imported");
  }

  private void onLine(LineSplitter parser, byte[] data, int off, int len) {
    if (stopped) {
      // The import has failed: nothing after that point may be written.
      parser.pause();
      return;
    }
    long n = ++lineNo;
    // The splitter checks its limit only while a line has no end yet: a line over it whose newline
    // came in the same read arrives whole, and must get the same 413.
    if (len > MAX_LINE) {
      stop(parser, () -> lineTooLong(n));
      return;
    }
    if (++linesThisTurn >= LINES_PER_TURN) {
      yieldTurn(parser);
    }
    if (len > 0 && data[off + len - 1] == '\r') {
      len--;
    }
    String text = new String(data, off, len, java.nio.charset.StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return;
    }
    Registration r;
    try {
      r = CreateLines.read(text, Timestamps.now(clock));
    } catch (GatewayException e) {
      fail(n, e.error().code(), e.getMessage());
      return;
    } catch (RuntimeException e) {
      fail(n, ApiError.INVALID.code(), "not a JSON object: " + e.getMessage());
      return;
    }
    if (writing.contains(r.id()) || batchLines.putIfAbsent(r.id(), n) != null) {
      fail(n, ApiError.CONFLICT.code(), GatewayException.conflict(r.id()).getMessage());
      return;
    }
    batch.add(r);
    if (batch.size() >= BATCH) {
      send(parser);
    }
  }

  /** Sends the batch so far to the store; pauses the body while {@value #IN_FLIGHT} are there. */
  private void send(LineSplitter parser) {
    if (batch.isEmpty()) {
      return;
    }
    List<Registration> sent = batch;
    Map<String, Long> lines = batchLines;
    batch = new ArrayList<>(BATCH);
    batchLines = new HashMap<>();
    writing.addAll(lines.keySet());
    if (inFlight++ == 0) {
      idle = Promise.promise();
    }
    yieldTurn(parser);
    store.insertBatch(account, sent).onComplete(ar -> {
      writing.removeAll(lines.keySet());
      if (ar.failed()) {
        stopped = true;
        done.tryFail(ar.cause());
      } else {
        Set<String> existing = ar.result();
        created += sent.size() - existing.size();
        for (String id : sortedByLine(existing, lines)) {
          fail(lines.get(id), ApiError.CONFLICT.code(), GatewayException.conflict(id).getMessage());
        }
      }
      inFlight--;
      resumeIfRoom(parser);
      if (inFlight == 0) {
        idle.complete();
      }
    });
  }

  /**
   * Stops the body and goes on in a later event-loop turn. A body that arrives faster than it is
   * parsed would otherwise keep this event loop in one task for as long as it keeps coming, and the
   * other requests on it waiting.
   */
  private void yieldTurn(LineSplitter parser) {
    linesThisTurn = 0;
    parser.pause();
    Context context = Vertx.currentContext();
    if (context != null) {
      context.runOnContext(v -> resumeIfRoom(parser));
    } else {
      resumeIfRoom(parser);
    }
  }

  private void resumeIfRoom(LineSplitter parser) {
    if (inFlight < IN_FLIGHT && !stopped) {
      parser.resume();
    }
  }

  private static Promise<Void> completedPromise() {
    Promise<Void> p = Promise.promise();
    p.complete();
    return p;
  }

  private static List<String> sortedByLine(Set<String> ids, Map<String, Long> lines) {
    List<String> out = new ArrayList<>(ids);
    out.sort(java.util.Comparator.comparing(lines::get));
    return out;
  }

  private void fail(long line, int code, String message) {
    failures++;
    if (failed.size() < MAX_FAILURE_DETAILS) {
      failed.add(new JsonObject().put("line", line).put("code", code).put("message", message));
    }
  }

  private JsonObject result() {
    // Lines fail either at once (bad JSON) or when their batch is written (duplicates): report in line order.
    List<Object> byLine = new ArrayList<>(failed.getList());
    byLine.sort(java.util.Comparator.comparingLong(f -> ((JsonObject) f).getLong("line")));
    JsonArray failed = new JsonArray(byLine);
    JsonObject result = new JsonObject().put("created", created).put("failed", failed);
    if (failures > failed.size()) {
      result.put("failed_total", failures);
    }
    return result;
  }
}
