package io.warpgw.contract;

import io.vertx.core.json.JsonObject;
import io.warpgw.contract.RaceOp.Kind;
import io.warpgw.contract.RaceOp.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Judges a recorded race against API.md, one registration at a time. Each registration is three
 * linearizable objects that the operations of a race touch independently: its existence (deleted
 * once, never back), its revoked state (a register written by revoke and unrevoke) and its PATCHed
 * fields (a register: key and device name, written together). See {@link ConcurrencyContract} for
 * what each answer means and why these checks follow from it.
 */
final class RaceOracle {
  private static final long BEFORE_ALL = Long.MIN_VALUE;
  private static final long AFTER_ALL = Long.MAX_VALUE;

  /** A write to a register: acknowledged ones took effect in [invoked, answered], unknown ones maybe, any time after invoked. */
  private static final class Write {
    final long invoked;
    final long answered;
    final Object value;
    final boolean acked;
    final String by;
    /** When an acknowledged write that strictly followed this one was answered, the earliest; AFTER_ALL if none. */
    long overwrittenBy = AFTER_ALL;

    Write(long invoked, long answered, Object value, boolean acked, String by) {
      this.invoked = invoked;
      this.answered = answered;
      this.value = value;
      this.acked = acked;
      this.by = by;
    }

    long latest() {
      return acked ? answered : AFTER_ALL;
    }

    /** No acknowledged write strictly followed it: it may be the last. */
    boolean maybeLast() {
      return overwrittenBy == AFTER_ALL;
    }
  }

  /** A registration as one answer showed it. */
  private record Seen(RaceOp op, JsonObject record) {}

  private final List<RaceOp> ops;
  private final Map<String, List<RaceOp>> naming = new HashMap<>();
  private final Map<String, List<Seen>> seen = new HashMap<>();
  private final List<String> violations = new ArrayList<>();

  RaceOracle(List<RaceOp> ops) {
    this.ops = ops;
    for (RaceOp op : ops) {
      for (String id : op.ids()) {
        naming.computeIfAbsent(id, k -> new ArrayList<>()).add(op);
      }
      for (JsonObject r : op.shown()) {
        seen.computeIfAbsent(r.getString("id"), k -> new ArrayList<>()).add(new Seen(op, r));
      }
    }
  }

  /**
   * @param finalState every id of the race: its registration after the race, or null when it is gone
   * @param initialKey and {@code initialName}: what the registrations were created with, by id
   * @return every violation found, empty when the race is explained by some serial order
   */
  List<String> check(Map<String, JsonObject> finalState, Map<String, String> initialKey, Map<String, String> initialName) {
    for (RaceOp op : ops) {
      if (op.outcome() == Outcome.UNEXPECTED) {
        violations.add("an answer no race can cause: " + op.describe() + " " + op.message());
      }
      if (op.outcome() == Outcome.MISSING && op.named().isEmpty()) {
        violations.add("a 404 that names none of the request's ids: " + op.describe() + " " + op.message());
      }
      if (op.kind() == Kind.PATCH && op.status() == 200 && !("k-" + op.tag()).equals(op.result().getString("key"))) {
        violations.add("a PATCH answered with another write's key: " + op.describe() + " " + op.result());
      }
    }
    for (Map.Entry<String, JsonObject> e : finalState.entrySet()) {
      String id = e.getKey();
      existence(id, e.getValue());
      List<Write> revoked = revokedWrites(id);
      List<Write> patched = patchWrites(id, initialKey.get(id) + "|" + initialName.get(id));
      for (Seen s : seen.getOrDefault(id, List.of())) {
        read(id, "revoked state", revoked, s.record().getValue("revoked_at") != null, s.op());
        read(id, "key and device name", patched, patchValue(s.record()), s.op());
      }
      if (e.getValue() != null) {
        last(id, "revoked state", revoked, e.getValue().getValue("revoked_at") != null);
        last(id, "key and device name", patched, patchValue(e.getValue()));
      }
    }
    for (RaceOp op : ops) {
      if (op.kind() == Kind.BULK_DELETE && op.status() == 200) {
        for (String id : op.ids()) {
          if (finalState.get(id) != null) {
            violations.add(id + " survived an acknowledged bulk delete: " + op.describe());
          }
        }
      }
    }
    return violations;
  }

  private static String patchValue(JsonObject r) {
    JsonObject device = r.getJsonObject("device");
    String key = r.getString("key");
    String name = device == null ? null : device.getString("name");
    // A PATCH writes k-TAG and n-TAG together; a record with one and not the other is torn.
    return key + "|" + name;
  }

  /**
   * Deleted at most once, at one instant T, never back: every answer that saw it (a 200 naming it, a
   * list or get showing it) was invoked before T; every 404 naming it was answered after T; T lies
   * in the acknowledged delete's interval, or after an undecided delete was invoked.
   */
  private void existence(String id, JsonObject finalRecord) {
    List<RaceOp> acked = new ArrayList<>();
    List<RaceOp> undecided = new ArrayList<>();
    RaceOp lastPresent = null;
    RaceOp firstMissing = null;
    for (RaceOp op : naming.getOrDefault(id, List.of())) {
      if (op.kind().deletes()) {
        if (op.outcome() == Outcome.ACKED) {
          acked.add(op);
        } else if (op.outcome() == Outcome.UNKNOWN) {
          undecided.add(op);
        }
      }
      if (op.showsPresent(id) && (lastPresent == null || op.invoked() > lastPresent.invoked())) {
        lastPresent = op;
      }
      if (op.named().contains(id) && (firstMissing == null || op.answered() < firstMissing.answered())) {
        firstMissing = op;
      }
    }
    for (Seen s : seen.getOrDefault(id, List.of())) {
      if (lastPresent == null || s.op().invoked() > lastPresent.invoked()) {
        lastPresent = s.op();
      }
    }
    if (acked.size() > 1) {
      violations.add(id + " was deleted twice with 200: " + acked.get(0).describe() + " and " + acked.get(1).describe());
    }
    if (finalRecord != null) {
      if (!acked.isEmpty()) {
        violations.add(id + " is back after an acknowledged delete: " + acked.get(0).describe());
      }
      if (firstMissing != null) {
        violations.add(id + " exists at the end, but was reported missing by " + firstMissing.describe());
      }
      return;
    }
    long from;
    long until;
    String by;
    if (!acked.isEmpty()) {
      RaceOp d = acked.get(0);
      from = d.invoked();
      until = d.answered();
      by = d.describe();
    } else if (!undecided.isEmpty()) {
      RaceOp d = undecided.stream().min(Comparator.comparingLong(RaceOp::invoked)).orElseThrow();
      from = d.invoked();
      until = AFTER_ALL;
      by = d.describe() + " (undecided)";
    } else {
      violations.add(id + " is gone, but no delete naming it was acknowledged or left undecided");
      return;
    }
    if (lastPresent != null && lastPresent.invoked() > from) {
      from = lastPresent.invoked();
    }
    if (firstMissing != null && firstMissing.answered() < until) {
      until = firstMissing.answered();
    }
    if (from > until) {
      violations.add(id + ": no instant for its delete " + by + " fits: last seen by "
          + (lastPresent == null ? "-" : lastPresent.describe()) + ", first missing for "
          + (firstMissing == null ? "-" : firstMissing.describe()));
    }
  }

  private List<Write> revokedWrites(String id) {
    List<Write> writes = new ArrayList<>();
    writes.add(new Write(BEFORE_ALL, BEFORE_ALL, false, true, "creation"));
    for (RaceOp op : naming.getOrDefault(id, List.of())) {
      if (op.kind() == Kind.REVOKE || op.kind() == Kind.UNREVOKE) {
        write(writes, op, op.kind() == Kind.REVOKE);
      }
    }
    return order(writes);
  }

  private List<Write> patchWrites(String id, String initial) {
    List<Write> writes = new ArrayList<>();
    writes.add(new Write(BEFORE_ALL, BEFORE_ALL, initial, true, "creation"));
    for (RaceOp op : naming.getOrDefault(id, List.of())) {
      if (op.kind() == Kind.PATCH) {
        write(writes, op, "k-" + op.tag() + "|n-" + op.tag());
      }
    }
    return order(writes);
  }

  private static void write(List<Write> writes, RaceOp op, Object value) {
    if (op.outcome() == Outcome.ACKED || op.outcome() == Outcome.UNKNOWN) {
      writes.add(new Write(op.invoked(), op.answered(), value, op.outcome() == Outcome.ACKED, op.describe()));
    }
  }

  /** Notes for each write when it was surely overwritten: by the earliest answer of an acknowledged write sent after it ended. */
  private static List<Write> order(List<Write> writes) {
    for (Write w : writes) {
      for (Write o : writes) {
        if (o.acked && o.invoked > w.latest() && o.answered < w.overwrittenBy) {
          w.overwrittenBy = o.answered;
        }
      }
    }
    return writes;
  }

  /** A read during the race returns the value of a write that had begun and was not surely overwritten before the read began. */
  private void read(String id, String what, List<Write> writes, Object value, RaceOp reader) {
    Optional<Write> source = writes.stream()
        .filter(w -> Objects.equals(w.value, value) && w.invoked < reader.answered() && w.overwrittenBy >= reader.invoked())
        .findFirst();
    if (source.isEmpty()) {
      violations.add(id + ": " + reader.describe() + " read " + what + " " + value
          + ", which no write could have left at that time");
    }
  }

  /** After the race the value is that of a write no acknowledged write strictly followed. */
  private void last(String id, String what, List<Write> writes, Object value) {
    boolean explained = writes.stream().anyMatch(w -> Objects.equals(w.value, value) && w.maybeLast());
    if (!explained) {
      List<String> last = writes.stream().filter(Write::maybeLast).map(w -> w.value + " by " + w.by).toList();
      violations.add(id + ": its " + what + " ends as " + value + ", but only these writes can be last: " + last);
    }
  }
}
