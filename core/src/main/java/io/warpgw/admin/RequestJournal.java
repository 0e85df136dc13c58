package io.warpgw.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.model.Timestamps;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last N requests, for tests that want to see what their client sent: a lock-free ring shared by
 * every event loop. It keeps the credential's name, never a secret or a header.
 */
public final class RequestJournal {
  /** One request as the journal shows it. */
  public record Entry(Instant time, String method, String path, String query, int status, long micros,
      String credential, String requestId, int retryCount) {

    JsonObject toJson() {
      return new JsonObject()
          .put("time", Timestamps.format(time))
          .put("method", method)
          .put("path", path)
          .put("query", query)
          .put("status", status)
          .put("duration_ms", micros / 1000.0)
          .put("token", credential)
          .put("request_id", requestId)
          .put("retry_count", retryCount);
    }
  }

  private final AtomicReferenceArray<Entry> ring;
  private final AtomicLong next = new AtomicLong();

  public RequestJournal(int capacity) {
    this.ring = new AtomicReferenceArray<>(Math.max(1, capacity));
  }

  public int capacity() {
    return ring.length();
  }

  public void record(Entry e) {
    long slot = next.getAndIncrement();
    ring.set((int) (slot % ring.length()), e);
  }

  /** Oldest first; each filter may be null. */
  public JsonArray query(Instant since, Integer status, String pathContains) {
    long end = next.get();
    long start = Math.max(0, end - ring.length());
    JsonArray out = new JsonArray();
    for (long i = start; i < end; i++) {
      Entry e = ring.get((int) (i % ring.length()));
      if (e == null
          || since != null && e.time().isBefore(since)
          || status != null && e.status() != status
          || pathContains != null && !e.path().contains(pathContains)) {
        continue;
      }
      out.add(e.toJson());
    }
    return out;
  }

  public void clear() {
    for (int i = 0; i < ring.length(); i++) {
      ring.set(i, null);
    }
  }
}
