package io.warpgw.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.error.GatewayException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The fault rules in force and the seeded random source that decides them: the same seed and the
 * same sequence of requests give the same faults. Shared by every event loop; decisions are
 * serialized so the sequence stays repeatable.
 */
public final class Faults {
  /** What to do to one request: wait, then answer with an error, drop, or go on. */
  public record Decision(String rule, long delayMs, Integer status, Integer code, String message,
      Map<String, String> headers, boolean drop) {
    public static final Decision NONE = new Decision(null, 0, null, null, null, Map.of(), false);

    public boolean none() {
      return rule == null;
    }
  }

  private volatile List<FaultRule> rules = List.of();
  /** How often each rule (by position) has hit since the rules were set, for {@code times}. */
  private int[] hits = new int[0];
  private volatile long seed;
  private Random random = new Random(0);

  public static Faults from(JsonObject config) {
    Faults f = new Faults();
    if (config != null && !config.isEmpty()) {
      f.replace(config);
    }
    return f;
  }

  /** Replaces the rules and restarts the random sequence from the seed. */
  public synchronized void replace(JsonObject body) {
    JsonArray list;
    try {
      list = body.getJsonArray("rules", new JsonArray());
    } catch (ClassCastException e) {
      throw GatewayException.invalid("rules must be a list of rule objects");
    }
    List<FaultRule> parsed = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject o)) {
        throw GatewayException.invalid("rules[" + i + "] must be an object");
      }
      parsed.add(FaultRule.parse(o, "rules[" + i + "]"));
    }
    Object s = body.getValue("seed");
    if (s != null && !(s instanceof Number)) {
      throw GatewayException.invalid("seed must be an integer");
    }
    seed = s == null ? System.nanoTime() : ((Number) s).longValue();
    random = new Random(seed);
    hits = new int[parsed.size()];
    rules = List.copyOf(parsed);
  }

  public synchronized void clear() {
    rules = List.of();
    hits = new int[0];
  }

  /** The rules as PUT takes them, each with {@code hits}: how many requests it has hit so far. */
  public synchronized JsonObject toJson() {
    JsonArray list = new JsonArray();
    for (int i = 0; i < rules.size(); i++) {
      list.add(rules.get(i).toJson().put("hits", hits[i]));
    }
    return new JsonObject().put("seed", seed).put("rules", list);
  }

  public Decision decide(String method, String route, String account) {
    List<FaultRule> current = rules;
    if (current.isEmpty()) {
      return Decision.NONE;
    }
    synchronized (this) {
      current = rules; // the list that hits belongs to, if replaced meanwhile
      for (int i = 0; i < current.size(); i++) {
        FaultRule r = current.get(i);
        boolean spent = r.times() != null && hits[i] >= r.times();
        if (!spent && r.matches(method, route, account) && random.nextDouble() < r.probability()) {
          hits[i]++;
          long delay = r.latency() == null ? 0 : r.latency().sample(random);
          return new Decision(r.name(), delay, r.errorStatus(), r.errorCode(), r.errorMessage(),
              r.errorHeaders(), r.drop());
        }
      }
    }
    return Decision.NONE;
  }
}
