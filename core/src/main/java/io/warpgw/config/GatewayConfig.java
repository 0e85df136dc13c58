package io.warpgw.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.auth.Credential;
import io.warpgw.auth.Permission;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gateway's settings, read from the merged config tree (DESIGN.md's keys). {@link #from} checks
 * everything and reports every problem at once, so a bad config file is fixed in one round.
 */
public record GatewayConfig(
    String host,
    int port,
    String basePath,
    int instances,
    int maxBodySize,
    int maxRequestLine,
    int maxHeaderSize,
    List<Credential> tokens,
    List<Credential> keys,
    String cursorSecret,
    RateLimitConfig rateLimit,
    int journalSize,
    JsonObject faults,
    String storageType,
    JsonObject storageConfig,
    String tlsCert,
    String tlsKey,
    int shutdownGrace) {

  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_SHUTDOWN_GRACE = 10;

  /** Everything defaulted: the memory store on 127.0.0.1:8080 with a generated token. */
  public static GatewayConfig defaults() {
    return from(new JsonObject());
  }

  public GatewayConfig withPort(int newPort) {
    return new GatewayConfig(host, newPort, basePath, instances, maxBodySize, maxRequestLine,
        maxHeaderSize, tokens, keys, cursorSecret, rateLimit, journalSize, faults, storageType,
        storageConfig, tlsCert, tlsKey, shutdownGrace);
  }

  public GatewayConfig withCredentials(List<Credential> newTokens, List<Credential> newKeys) {
    return new GatewayConfig(host, port, basePath, instances, maxBodySize, maxRequestLine,
        maxHeaderSize, newTokens, newKeys, cursorSecret, rateLimit, journalSize, faults, storageType,
        storageConfig, tlsCert, tlsKey, shutdownGrace);
  }

  /** Whether the server speaks HTTPS ({@code http.tls.cert} and {@code http.tls.key} are set). */
  public boolean tls() {
    return tlsCert != null;
  }

  public static GatewayConfig from(JsonObject root) {
    List<String> problems = new ArrayList<>();
    Reader r = new Reader(root, problems);
    JsonObject http = r.object(root, "http");
    JsonObject auth = r.object(root, "auth");
    JsonObject cursor = r.object(root, "cursor");
    JsonObject storage = r.object(root, "storage");

    String host = r.string(http, "http.host", "127.0.0.1");
    int port = r.integer(http, "http.port", DEFAULT_PORT, 0, 65535);
    String basePath = r.string(http, "http.base-path", "/client/v4");
    if (!basePath.startsWith("/") || basePath.endsWith("/") && basePath.length() > 1) {
      problems.add("http.base-path must start with '/' and not end with '/', got '" + basePath + "'");
    }
    if (basePath.equals("/")) {
      basePath = "";
    }
    int instances = r.integer(http, "http.instances", 0, 0, 1024);
    int maxBody = r.integer(http, "http.max-body-size", 1024 * 1024, 1024, Integer.MAX_VALUE);
    int maxLine = r.integer(http, "http.max-request-line", 128 * 1024, 4096, 16 * 1024 * 1024);
    int maxHeader = r.integer(http, "http.max-header-size", 16 * 1024, 1024, 1024 * 1024);
    int grace = r.integer(http, "http.shutdown-grace", DEFAULT_SHUTDOWN_GRACE, 0, 3600);
    JsonObject tls = r.object(http, "tls");
    String tlsCert = r.string(tls, "http.tls.cert", null);
    String tlsKey = r.string(tls, "http.tls.key", null);
    if ((tlsCert == null) != (tlsKey == null)) {
      problems.add("http.tls needs both cert and key (PEM file paths), got only "
          + (tlsCert != null ? "http.tls.cert" : "http.tls.key"));
      tlsCert = null;
      tlsKey = null;
    }

    List<Credential> tokens = credentials(r, auth, "tokens", false);
    List<Credential> keys = credentials(r, auth, "keys", true);

    String secret = r.string(cursor, "cursor.secret", null);
    JsonObject limits = r.object(root, "rate-limit");
    RateLimitConfig rateLimit = rateLimit(r, limits);
    JsonObject admin = r.object(root, "admin");
    int journalSize = r.integer(admin, "admin.journal-size", 1000, 1, 1_000_000);
    JsonObject faults = r.object(root, "faults");
    String type = r.string(storage, "storage.type", "memory");
    JsonObject storeConfig = storage.getValue(type) instanceof JsonObject o ? o.copy() : new JsonObject();

    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new GatewayConfig(host, port, basePath, instances, maxBody, maxLine, maxHeader, tokens,
        keys, secret, rateLimit, journalSize, faults.copy(), type, storeConfig, tlsCert, tlsKey, grace);
  }

  private static RateLimitConfig rateLimit(Reader r, JsonObject limits) {
    int requests = r.integer(limits, "rate-limit.requests", 0, 0, Integer.MAX_VALUE);
    int window = r.integer(limits, "rate-limit.window", 300, 1, 86_400);
    boolean lockout = r.bool(limits, "rate-limit.lockout", false);
    Map<String, Long> perCredential = new LinkedHashMap<>();
    Object per = limits.getValue("tokens");
    if (per instanceof JsonObject byName) {
      for (String name : byName.fieldNames()) {
        Object n = byName.getValue(name);
        if (n instanceof Number num && num.longValue() >= 0 && num.doubleValue() == num.longValue()) {
          perCredential.put(name, num.longValue());
        } else {
          r.problems().add("rate-limit.tokens." + name + " must be a non-negative integer (requests per window; 0 = no limit), got " + n);
        }
      }
    } else if (per != null) {
      r.problems().add("rate-limit.tokens must map credential names to their limits, e.g. {ci: 50}");
    }
    return new RateLimitConfig(requests, window, lockout, perCredential);
  }

  private static List<Credential> credentials(Reader r, JsonObject auth, String field, boolean legacy) {
    List<Credential> out = new ArrayList<>();
    Object v = auth.getValue(field);
    if (v == null) {
      return out;
    }
    if (!(v instanceof JsonArray list)) {
      r.problems.add("auth." + field + " must be a list");
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      String at = "auth." + field + "[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject c)) {
        r.problems.add(at + " must be an object with name, sha256, accounts and permission");
        continue;
      }
      String name = r.string(c, at + ".name", null);
      if (name == null) {
        r.problems.add(at + ".name is required");
      }
      String email = legacy ? r.string(c, at + ".email", null) : null;
      if (legacy && email == null) {
        r.problems.add(at + ".email is required for a legacy key");
      }
      String sha = r.string(c, at + ".sha256", null);
      byte[] hash = null;
      if (sha == null || !sha.matches("[0-9a-fA-F]{64}")) {
        r.problems.add(at + ".sha256 must be the SHA-256 of the secret as 64 hex digits"
            + " (e.g. printf %s \"$SECRET\" | sha256sum)");
      } else {
        hash = HexFormat.of().parseHex(sha.toLowerCase(java.util.Locale.ROOT));
      }
      Set<String> accounts = new LinkedHashSet<>();
      Object acc = c.getValue("accounts");
      if (acc instanceof JsonArray a && !a.isEmpty()) {
        a.forEach(x -> accounts.add(String.valueOf(x)));
      } else if (acc instanceof String s && !s.isBlank()) {
        accounts.add(s);
      } else {
        r.problems.add(at + ".accounts must list account ids, or [\"*\"] for all");
      }
      String perm = r.string(c, at + ".permission", null);
      Permission permission = Permission.fromConfig(perm);
      if (permission == null) {
        r.problems.add(at + ".permission must be 'read', 'write' or 'admin', got " + perm);
      }
      if (name != null && hash != null && permission != null && !accounts.isEmpty()) {
        out.add(new Credential(name, email, hash, accounts, permission));
      }
    }
    return out;
  }

  /** Reads typed values, recording problems instead of stopping at the first. */
  private record Reader(JsonObject root, List<String> problems) {
    JsonObject object(JsonObject parent, String field) {
      Object v = parent.getValue(field);
      if (v == null) {
        return new JsonObject();
      }
      if (!(v instanceof JsonObject o)) {
        problems.add(field + " must be a section (an object)");
        return new JsonObject();
      }
      return o;
    }

    String string(JsonObject parent, String path, String dflt) {
      Object v = parent.getValue(path.substring(path.lastIndexOf('.') + 1));
      if (v == null) {
        return dflt;
      }
      if (v instanceof JsonObject || v instanceof JsonArray) {
        problems.add(path + " must be a string");
        return dflt;
      }
      return String.valueOf(v);
    }

    boolean bool(JsonObject parent, String path, boolean dflt) {
      Object v = parent.getValue(path.substring(path.lastIndexOf('.') + 1));
      if (v == null) {
        return dflt;
      }
      if (v instanceof Boolean b) {
        return b;
      }
      String text = String.valueOf(v).trim();
      if (text.equals("true") || text.equals("false")) {
        return Boolean.parseBoolean(text);
      }
      problems.add(path + " must be true or false, got " + v);
      return dflt;
    }

    int integer(JsonObject parent, String path, int dflt, int min, int max) {
      Object v = parent.getValue(path.substring(path.lastIndexOf('.') + 1));
      if (v == null) {
        return dflt;
      }
      try {
        long n = v instanceof Number num ? num.longValue() : Long.parseLong(String.valueOf(v).trim());
        if (n >= min && n <= max) {
          return (int) n;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      problems.add(path + " must be an integer from " + min + " to " + max + ", got " + v);
      return dflt;
    }
  }
}
