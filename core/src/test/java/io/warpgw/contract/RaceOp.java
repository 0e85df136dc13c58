package io.warpgw.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One HTTP request of a race and its answer, with the client's clock around it: {@code invoked} just
 * before the request was handed to the client, {@code answered} just after its response was read
 * ({@link System#nanoTime()}, one clock for every client thread). The server acted at some instant in
 * between, which is all a linearizability check may assume.
 *
 * @param ids the registration ids the request names (for a list, its {@code id=} filter, often none)
 * @param tag what a PATCH wrote: its key is {@code k-TAG} and its device name {@code n-TAG}
 * @param status the HTTP status, or {@link #NO_ANSWER} when the exchange failed (reset, timeout)
 * @param result the registration a GET or PATCH answered with, else null
 * @param items the page a list answered with, else null
 * @param cursor the page's {@code result_info.cursor}, else null
 */
record RaceOp(Kind kind, List<String> ids, String tag, String query, long invoked, long answered, int status, int code,
    String message, JsonObject result, JsonArray items, String cursor) {
  static final int NO_ANSWER = -1;

  enum Kind {
    REVOKE, UNREVOKE, PATCH, DELETE, BULK_DELETE, GET, LIST;

    boolean deletes() {
      return this == DELETE || this == BULK_DELETE;
    }
  }

  /** What the answer says happened. */
  enum Outcome {
    /** 200: the operation took effect, whole, at one instant between invoked and answered. */
    ACKED,
    /** 404 (1004): some of its ids did not exist; nothing changed. */
    MISSING,
    /** 503, 504 or no answer: it may have taken effect, at any instant after it was invoked. */
    UNKNOWN,
    /** Anything else: no client cause for it, so the race itself fails. */
    UNEXPECTED
  }

  Outcome outcome() {
    if (status == 200) {
      return Outcome.ACKED;
    }
    if (status == 404 && code == 1004 && kind != Kind.LIST) {
      return Outcome.MISSING;
    }
    if (status == 503 || status == 504 || status == NO_ANSWER) {
      return Outcome.UNKNOWN;
    }
    return Outcome.UNEXPECTED;
  }

  /** The ids a 404 says were missing: all of a one-id request's, the listed ones of a bulk request's. */
  Set<String> named() {
    Set<String> named = new LinkedHashSet<>();
    if (outcome() != Outcome.MISSING) {
      return named;
    }
    if (ids.size() == 1) {
      named.addAll(ids);
      return named;
    }
    for (String id : ids) {
      // Every id of a race has the same length, so one cannot be part of another.
      if (message != null && message.contains(id)) {
        named.add(id);
      }
    }
    return named;
  }

  /** The registrations this answer shows, as the server had them at one instant of the request. */
  List<JsonObject> shown() {
    if (status != 200) {
      return List.of();
    }
    if (result != null) {
      return List.of(result);
    }
    return items == null ? List.of() : items.stream().map(JsonObject.class::cast).toList();
  }

  /** True when the answer proves {@code id} existed at some instant of the request. */
  boolean showsPresent(String id) {
    if (status != 200) {
      return false;
    }
    if (kind == Kind.LIST) {
      return shown().stream().anyMatch(r -> id.equals(r.getString("id")));
    }
    return ids.contains(id);
  }

  boolean names(String id) {
    return ids.contains(id);
  }

  String describe() {
    String what = switch (kind) {
      case LIST -> "GET ?" + query;
      case PATCH -> "PATCH " + ids + " " + tag;
      default -> kind + " " + ids;
    };
    return what + " → " + (status == NO_ANSWER ? "no answer" : status + (code > 0 ? " (" + code + ")" : ""))
        + " [" + invoked + ", " + answered + "]";
  }
}
