package io.warpgw.store.redis;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code storage.redis} subtree, typed. Password and TLS travel in the endpoint URIs
 * ({@code rediss://:secret@host:6380}), as the Redis client reads them.
 *
 * @param endpoints the server (standalone), seed nodes (cluster) or sentinels (sentinel)
 * @param masterName the name sentinels know the primary by; sentinel mode only
 * @param keyPrefix prepended to every key, so several gateways (or other software) can share a Redis
 * @param timeoutMillis how long one command may take before the request fails with TIMEOUT
 */
public record RedisStoreConfig(
    Mode mode,
    List<String> endpoints,
    int poolSize,
    int maxWaitQueue,
    String masterName,
    String keyPrefix,
    long timeoutMillis) {

  public enum Mode { STANDALONE, SENTINEL, CLUSTER }

  static final List<String> DEFAULT_ENDPOINTS = List.of("redis://127.0.0.1:6379");
  /**
   * Requests in flight at once. On the event loops they are pipelined on one connection per loop, so
   * the round trip, not a connection, is what each holds: 16 capped a GET benchmark at 16 per round
   * trip (24-30k/s, the gateway's CPU not used up), 64 gave 33-39k/s on the same machine.
   */
  static final int DEFAULT_POOL_SIZE = 64;
  static final int DEFAULT_MAX_WAIT_QUEUE = 1024;
  static final String DEFAULT_MASTER_NAME = "mymaster";
  static final String DEFAULT_KEY_PREFIX = "warpgw:";
  static final long DEFAULT_TIMEOUT_MILLIS = 10_000;

  private static final Set<String> KNOWN = Set.of(
      "mode", "endpoints", "pool-size", "max-wait-queue", "master-name", "key-prefix", "timeout-ms");
  private static final Set<String> SCHEMES = Set.of("redis", "rediss", "unix");

  public RedisStoreConfig {
    endpoints = List.copyOf(endpoints);
  }

  /**
   * Reads and validates the subtree, reporting every problem at once.
   *
   * @throws IllegalArgumentException listing all problems
   */
  public static RedisStoreConfig from(JsonObject json) {
    JsonObject c = json == null ? new JsonObject() : json;
    List<String> problems = new ArrayList<>();
    for (String field : c.fieldNames()) {
      if (!KNOWN.contains(field)) {
        problems.add("unknown key '" + field + "'; known keys: " + String.join(", ", new java.util.TreeSet<>(KNOWN)));
      }
    }
    Mode mode = mode(c.getValue("mode"), problems);
    List<String> endpoints = endpoints(c.getValue("endpoints"), problems);
    int poolSize = positive(c, "pool-size", DEFAULT_POOL_SIZE, problems);
    int maxWaitQueue = positive(c, "max-wait-queue", DEFAULT_MAX_WAIT_QUEUE, problems);
    long timeout = positive(c, "timeout-ms", (int) DEFAULT_TIMEOUT_MILLIS, problems);
    String masterName = text(c, "master-name", DEFAULT_MASTER_NAME, problems);
    String keyPrefix = text(c, "key-prefix", DEFAULT_KEY_PREFIX, problems);
    if (keyPrefix != null && (keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0)) {
      // A brace in the prefix would become the cluster hash tag instead of the account id.
      problems.add("key-prefix must not contain '{' or '}', got '" + keyPrefix + "'");
    }
    if (mode == Mode.STANDALONE && endpoints.size() > 1) {
      problems.add("standalone mode takes exactly one endpoint, got " + endpoints.size()
          + "; use mode: cluster or sentinel for several");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid storage.redis configuration:\n  - "
          + String.join("\n  - ", problems));
    }
    return new RedisStoreConfig(mode, endpoints, poolSize, maxWaitQueue, masterName, keyPrefix, timeout);
  }

  private static Mode mode(Object v, List<String> problems) {
    if (v == null) {
      return Mode.STANDALONE;
    }
    if (v instanceof String s) {
      for (Mode m : Mode.values()) {
        if (m.name().equals(s.toUpperCase(Locale.ROOT))) {
          return m;
        }
      }
    }
    problems.add("mode must be one of standalone, sentinel, cluster, got '" + v + "'");
    return Mode.STANDALONE;
  }

  private static List<String> endpoints(Object v, List<String> problems) {
    if (v == null) {
      return DEFAULT_ENDPOINTS;
    }
    List<Object> raw = v instanceof JsonArray a ? a.getList() : v instanceof String ? List.of(v) : null;
    if (raw == null || raw.isEmpty()) {
      problems.add("endpoints must be a non-empty list of URIs such as redis://127.0.0.1:6379");
      return DEFAULT_ENDPOINTS;
    }
    List<String> out = new ArrayList<>();
    for (Object o : raw) {
      String uri = o instanceof String s ? s : null;
      int colon = uri == null ? -1 : uri.indexOf("://");
      if (colon <= 0 || !SCHEMES.contains(uri.substring(0, colon)) || uri.length() == colon + 3) {
        problems.add("endpoint " + (o == null ? "null" : "'" + redact(String.valueOf(o)) + "'")
            + " must be a URI redis://[[user]:password@]host[:port][/db], rediss://… (TLS) or unix://…");
      } else {
        out.add(uri);
      }
    }
    return out;
  }

  /** Keeps passwords out of logs and error messages. */
  static String redact(String uri) {
    return uri.replaceAll("//([^@/]*):[^@/]*@", "//$1:***@");
  }

  private static int positive(JsonObject c, String field, int dflt, List<String> problems) {
    Object v = c.getValue(field);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n && n.doubleValue() == n.intValue() && n.intValue() > 0) {
      return n.intValue();
    }
    problems.add(field + " must be a positive integer, got " + v);
    return dflt;
  }

  private static String text(JsonObject c, String field, String dflt, List<String> problems) {
    Object v = c.getValue(field);
    if (v == null) {
      return dflt;
    }
    if (v instanceof String s && !s.isEmpty()) {
      return s;
    }
    problems.add(field + " must be a non-empty string, got " + v);
    return dflt;
  }

  /** Describes where the store points, without secrets, for the start-up log line. */
  public String describe() {
    return mode.name().toLowerCase(Locale.ROOT) + " " + endpoints.stream().map(RedisStoreConfig::redact).toList();
  }
}
