package io.warpgw.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the gateway said about every write, and so what the store must hold afterwards.
 *
 * <p>Each id is written by one client only, one request at a time, so "the last acknowledged write of
 * an id" is well defined. An acknowledged write (200, 201) fixes the id's state exactly. A write that
 * got an error may still have committed (the server can commit and the answer be lost), so it fixes
 * two allowed outcomes, before and after, and the client never writes those ids again: afterwards
 * each of them must be in one of the two, and all of them in the same one (a bulk write is all or
 * nothing). Anything else is a lost or half-applied write.
 */
public final class WriteLedger {
  /**
   * What a registration looks like to these checks: present or not, revoked or not, and the fields a
   * write sets. {@code updated_at} is left out: every write moves it, to a time the server picks.
   */
  public record State(boolean present, boolean revoked, JsonObject content) {
    public static final State ABSENT = new State(false, false, null);

    public static State of(JsonObject registration) {
      return new State(true, registration.getValue("revoked_at") != null, WriteLedger.content(registration));
    }

    public State revoked(boolean r) {
      return present ? new State(true, r, content) : this;
    }

    @Override
    public String toString() {
      return !present ? "absent" : (revoked ? "revoked " : "active ") + content.encode();
    }
  }

  private record Key(String account, String id) {}

  /** A write answered with an error: the ids it named, as they were before it and would be after it. */
  private record Unsure(String op, String account, Map<String, State> before, Map<String, State> after) {}

  private final Map<Key, State> acknowledged = new ConcurrentHashMap<>();
  private final Map<Key, Unsure> unsure = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Unsure> unsureWrites = new ConcurrentLinkedQueue<>();
  private final LongAdder acknowledgedWrites = new LongAdder();

  /** The fields a create or update sets, flattened, as the server renders them. */
  public static JsonObject content(JsonObject r) {
    JsonObject device = r.getJsonObject("device", new JsonObject());
    JsonObject user = r.getJsonObject("user", new JsonObject());
    return new JsonObject()
        .put("id", r.getString("id"))
        .put("created_at", r.getString("created_at"))
        .put("last_seen_at", r.getString("last_seen_at"))
        .put("device.id", device.getString("id"))
        .put("device.name", device.getString("name"))
        .put("device.client_version", device.getString("client_version"))
        .put("key", r.getString("key"))
        .put("key_type", r.getString("key_type"))
        .put("tunnel_type", r.getString("tunnel_type"))
        .put("user.id", user.getString("id"))
        .put("user.email", user.getString("email"))
        .put("user.name", user.getString("name"))
        .put("registration_type", r.getString("registration_type", "warp"));
  }

  /** The write was answered 200/201: these ids are now exactly so. */
  public void acknowledged(String account, Map<String, State> after) {
    acknowledgedWrites.increment();
    after.forEach((id, s) -> acknowledged.put(new Key(account, id), s));
  }

  /**
   * The write was answered with an error (or not at all): each id is now as before or as after, all
   * in the same one. The caller must not write these ids again.
   */
  public void failed(String op, String account, Map<String, State> before, Map<String, State> after) {
    Unsure u = new Unsure(op, account, Map.copyOf(before), Map.copyOf(after));
    unsureWrites.add(u);
    before.keySet().forEach(id -> {
      Key k = new Key(account, id);
      acknowledged.remove(k);
      unsure.put(k, u);
    });
  }

  public long acknowledgedWrites() {
    return acknowledgedWrites.sum();
  }

  /** The outcome of {@link #verify}. */
  public record Verification(int idsChecked, int unsureWrites, int committedAnyway, int notCommitted,
      List<String> problems) {
    @Override
    public String toString() {
      return idsChecked + " ids with an acknowledged last write checked, " + unsureWrites
          + " writes answered with an error checked (" + committedAnyway + " had committed, "
          + notCommitted + " had not), " + problems.size() + " problems";
    }
  }

  /**
   * Reads every id of the ledger back through the API (lists by id, revoked ones included) and
   * compares: acknowledged state exactly; unsure writes all-before or all-after.
   */
  public Verification verify(ApiClient api) {
    Map<Key, State> actual = new ConcurrentHashMap<>();
    Map<String, List<String>> byAccount = new LinkedHashMap<>();
    acknowledged.keySet().forEach(k -> byAccount.computeIfAbsent(k.account(), a -> new ArrayList<>()).add(k.id()));
    unsure.keySet().forEach(k -> byAccount.computeIfAbsent(k.account(), a -> new ArrayList<>()).add(k.id()));
    List<String> problems = new ArrayList<>();
    byAccount.forEach((account, ids) -> {
      for (int from = 0; from < ids.size(); from += 200) {
        List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 200));
        ApiResponse r = api.get(ApiClient.accountPath(account) + "?status=all&per_page=1000&"
            + ApiClient.ids(chunk));
        if (r.status() != 200) {
          problems.add("reading back " + account + " answered " + r.status() + ": " + r.body());
          continue;
        }
        JsonArray found = r.json().getJsonArray("result");
        chunk.forEach(id -> actual.put(new Key(account, id), State.ABSENT));
        for (int i = 0; i < found.size(); i++) {
          JsonObject reg = found.getJsonObject(i);
          actual.put(new Key(account, reg.getString("id")), State.of(reg));
        }
      }
    });
    acknowledged.forEach((k, expected) -> {
      State got = actual.get(k);
      if (got != null && !expected.equals(got)) {
        problems.add("lost acknowledged write: " + k.account() + "/" + k.id() + " should be " + expected
            + " but is " + got);
      }
    });
    int committed = 0;
    int notCommitted = 0;
    for (Unsure u : unsureWrites) {
      boolean allBefore = true;
      boolean allAfter = true;
      for (String id : u.before().keySet()) {
        State got = actual.get(new Key(u.account(), id));
        if (got == null) {
          allBefore = allAfter = false;
          continue;
        }
        boolean isBefore = Objects.equals(got, u.before().get(id));
        boolean isAfter = Objects.equals(got, u.after().get(id));
        allBefore &= isBefore;
        allAfter &= isAfter;
        if (!isBefore && !isAfter) {
          problems.add("half-applied " + u.op() + ": " + u.account() + "/" + id + " is " + got
              + ", neither before (" + u.before().get(id) + ") nor after (" + u.after().get(id) + ")");
        }
      }
      if (!allBefore && !allAfter) {
        problems.add("half-applied " + u.op() + " on " + u.account() + " " + u.before().keySet()
            + ": some ids changed and others not");
      } else if (allAfter && !allBefore) {
        committed++;
      } else {
        notCommitted++;
      }
    }
    return new Verification(acknowledged.size(), unsureWrites.size(), committed, notCommitted, problems);
  }
}
