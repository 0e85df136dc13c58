package io.warpgw.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import io.warpgw.error.ApiError;
import io.warpgw.error.GatewayException;
import io.warpgw.json.RegistrationJson;
import io.warpgw.model.Registration;
import io.warpgw.model.Timestamps;
import io.warpgw.spi.RegistrationStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One NDJSON import, streamed: lines are parsed as they arrive and written in batches; the request is
 * paused while a batch is in the store, so memory stays flat whatever the body's size.
 */
final class ImportJob {
  static final int BATCH = 500;
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
    RecordParser parser = RecordParser.newDelimited("\n", request).maxRecordSize(MAX_LINE);
    parser.exceptionHandler(e -> done.tryFail(e instanceof IllegalStateException ? lineTooLong(lineNo + 1) : e));
    parser.handler(line -> onLine(parser, line));
    parser.endHandler(v -> flush().onSuccess(x -> done.tryComplete(result())).onFailure(done::tryFail));
    return done.future();
  }

  private GatewayException lineTooLong(long line) {
    return new GatewayException(ApiError.BODY_TOO_LARGE, "line " + line + " is longer than "
        + MAX_LINE + " bytes; the " + created + " registrations before it were imported");
  }

  private void onLine(RecordParser parser, Buffer raw) {
    long n = ++lineNo;
    // The parser checks its limit only while a line has no end yet: a line slightly over it whose
    // newline came in the same read arrives whole, and must get the same 413.
    if (raw.length() > MAX_LINE) {
      parser.pause();
      done.tryFail(lineTooLong(n));
      return;
    }
    String text = raw.toString(java.nio.charset.StandardCharsets.UTF_8);
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    if (text.isBlank()) {
      return;
    }
    Registration r;
    try {
      r = RegistrationJson.fromCreate(new JsonObject(text), Timestamps.now(clock));
    } catch (GatewayException e) {
      fail(n, e.error().code(), e.getMessage());
      return;
    } catch (RuntimeException e) {
      fail(n, ApiError.INVALID.code(), "not a JSON object: " + e.getMessage());
      return;
    }
    if (batchLines.putIfAbsent(r.id(), n) != null) {
      fail(n, ApiError.CONFLICT.code(), GatewayException.conflict(r.id()).getMessage());
      return;
    }
    batch.add(r);
    if (batch.size() >= BATCH) {
      parser.pause();
      flush().onSuccess(x -> parser.resume()).onFailure(done::tryFail);
    }
  }

  private Future<Void> flush() {
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Registration> writing = batch;
    Map<String, Long> lines = batchLines;
    batch = new ArrayList<>(BATCH);
    batchLines = new HashMap<>();
    return store.insertBatch(account, writing).map(existing -> {
      created += writing.size() - existing.size();
      for (String id : sortedByLine(existing, lines)) {
        fail(lines.get(id), ApiError.CONFLICT.code(), GatewayException.conflict(id).getMessage());
      }
      return null;
    });
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
