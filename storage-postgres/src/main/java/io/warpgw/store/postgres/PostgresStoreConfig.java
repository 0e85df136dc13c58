package io.warpgw.store.postgres;

import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code storage.postgres} subtree, typed. Durations are milliseconds. Values may arrive as
 * numbers or as numeric strings, because environment overrides are strings.
 *
 * @param statementTimeoutMs server-side limit per statement, 0 for none
 * @param connectTimeoutMs limit for opening a connection and for waiting on the pool for one
 * @param maxWaitQueue requests that may wait for a pooled connection, -1 for no limit
 */
public record PostgresStoreConfig(
    String uri, int poolSize, int maxWaitQueue, int statementTimeoutMs, int connectTimeoutMs) {

  public static final String DEFAULT_URI = "postgresql://postgres@127.0.0.1:5432/postgres";
  public static final int DEFAULT_POOL_SIZE = 16;
  public static final int DEFAULT_MAX_WAIT_QUEUE = 1024;
  public static final int DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;
  public static final int DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

  private static final Set<String> KEYS =
      Set.of("uri", "pool-size", "max-wait-queue", "statement-timeout", "connect-timeout");

  public static PostgresStoreConfig defaults() {
    return new PostgresStoreConfig(DEFAULT_URI, DEFAULT_POOL_SIZE, DEFAULT_MAX_WAIT_QUEUE,
        DEFAULT_STATEMENT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS);
  }

  /**
   * Reads and validates {@code json}, reporting every problem in one exception so that an operator
   * fixes the config in one go.
   *
   * @throws IllegalArgumentException listing each problem
   */
  public static PostgresStoreConfig from(JsonObject json) {
    JsonObject in = json == null ? new JsonObject() : json;
    List<String> problems = new ArrayList<>();
    for (String key : in.fieldNames()) {
      if (!KEYS.contains(key)) {
        problems.add("unknown key '" + key + "' (known: uri, pool-size, max-wait-queue, "
            + "statement-timeout, connect-timeout)");
      }
    }
    Object uriValue = in.getValue("uri", DEFAULT_URI);
    String uri = uriValue instanceof String s ? s : null;
    if (uri == null) {
      problems.add("uri must be a string like " + DEFAULT_URI);
    }
    PostgresStoreConfig config = new PostgresStoreConfig(
        uri,
        integer(in, "pool-size", DEFAULT_POOL_SIZE, problems),
        integer(in, "max-wait-queue", DEFAULT_MAX_WAIT_QUEUE, problems),
        integer(in, "statement-timeout", DEFAULT_STATEMENT_TIMEOUT_MS, problems),
        integer(in, "connect-timeout", DEFAULT_CONNECT_TIMEOUT_MS, problems));
    problems.addAll(config.validate());
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "storage.postgres is invalid: " + String.join("; ", problems));
    }
    return config;
  }

  /** Every problem with these values; empty when they are usable. */
  public List<String> validate() {
    List<String> problems = new ArrayList<>();
    if (uri != null) {
      try {
        PgConnectOptions.fromUri(uri);
      } catch (RuntimeException e) {
        problems.add("uri is not a PostgreSQL connection URI (postgresql://user:password@host:port/"
            + "database): " + e.getMessage());
      }
    }
    if (poolSize < 1 || poolSize > 1000) {
      problems.add("pool-size must be 1-1000, got " + poolSize);
    }
    if (maxWaitQueue < -1) {
      problems.add("max-wait-queue must be -1 (unbounded) or at least 0, got " + maxWaitQueue);
    }
    if (statementTimeoutMs < 0) {
      problems.add("statement-timeout must be 0 (none) or more milliseconds, got "
          + statementTimeoutMs);
    }
    if (connectTimeoutMs < 1) {
      problems.add("connect-timeout must be at least 1 millisecond, got " + connectTimeoutMs);
    }
    return problems;
  }

  /** Host, port and database, never the password: safe to log. */
  public String describe() {
    PgConnectOptions o = PgConnectOptions.fromUri(uri);
    return o.getUser() + "@" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
  }

  private static int integer(JsonObject in, String key, int fallback, List<String> problems) {
    Object v = in.getValue(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      long n = ((Number) v).longValue();
      if (n == (int) n) {
        return (int) n;
      }
    } else if (v instanceof String s) {
      try {
        return Integer.parseInt(s.trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    problems.add(key + " must be a whole number, got " + describe(v));
    return fallback;
  }

  private static String describe(Object v) {
    return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
  }
}
