package io.warpgw.launcher;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.Map;

/**
 * Builds the config tree in layers with vertx-config: a YAML or JSON file ({@code --config}) &lt;
 * environment ({@code GATEWAY_STORAGE_TYPE=redis}) &lt; system properties
 * ({@code -Dgateway.storage.type=redis}). Defaults live in code, in the typed configs.
 */
public final class ConfigLoader {
  static final String ENV_PREFIX = "GATEWAY_";
  static final String SYS_PREFIX = "gateway.";

  /**
   * The documented keys. An environment name maps to the key whose upper-cased path, with '.' and '-'
   * as '_', equals it; names that match none map '_' to '.' in lower case.
   */
  static final List<String> KNOWN_KEYS = List.of(
      "http.host", "http.port", "http.base-path", "http.instances", "http.max-body-size",
      "http.max-request-line", "http.max-header-size", "http.shutdown-grace", "http.tls.cert",
      "http.tls.key", "auth.tokens", "auth.keys", "cursor.secret",
      "rate-limit.requests", "rate-limit.window", "rate-limit.lockout", "rate-limit.tokens",
      "admin.journal-size",
      "storage.type",
      "storage.postgres.uri", "storage.postgres.pool-size", "storage.postgres.max-wait-queue",
      "storage.postgres.statement-timeout", "storage.postgres.connect-timeout",
      "storage.redis.mode", "storage.redis.endpoints", "storage.redis.pool-size",
      "storage.redis.max-wait-queue", "storage.redis.master-name", "storage.redis.role");
  private static final List<String> LIST_KEYS = List.of("storage.redis.endpoints");

  private ConfigLoader() {}

  public static Future<JsonObject> load(Vertx vertx, Path file) {
    if (file != null && !Files.isReadable(file)) {
      return Future.failedFuture(new IllegalArgumentException("config file " + file + " does not exist or cannot be read"));
    }
    Future<JsonObject> fileLayer = file == null ? Future.succeededFuture(new JsonObject())
        : read(vertx, new ConfigStoreOptions().setType("file").setFormat(format(file))
            .setConfig(new JsonObject().put("path", file.toAbsolutePath().toString())));
    Future<JsonObject> env = read(vertx, new ConfigStoreOptions().setType("env")
        .setConfig(new JsonObject().put("raw-data", true)));
    Future<JsonObject> sys = read(vertx, new ConfigStoreOptions().setType("sys")
        .setConfig(new JsonObject().put("raw-data", true).put("cache", false)));
    return Future.all(fileLayer, env, sys).map(all -> {
      JsonObject root = fileLayer.result() == null ? new JsonObject() : fileLayer.result().copy();
      for (Map.Entry<String, Object> e : env.result()) {
        if (e.getKey().startsWith(ENV_PREFIX) && e.getValue() != null) {
          set(root, envPath(e.getKey().substring(ENV_PREFIX.length())), String.valueOf(e.getValue()));
        }
      }
      for (Map.Entry<String, Object> e : sys.result()) {
        if (e.getKey().startsWith(SYS_PREFIX) && e.getValue() != null) {
          set(root, e.getKey().substring(SYS_PREFIX.length()), String.valueOf(e.getValue()));
        }
      }
      return root;
    });
  }

  /** Only the file, no environment or system properties. */
  public static Future<JsonObject> loadFile(Vertx vertx, Path file) {
    if (!Files.isReadable(file)) {
      return Future.failedFuture(new IllegalArgumentException("config file " + file + " does not exist or cannot be read"));
    }
    return read(vertx, new ConfigStoreOptions().setType("file").setFormat(format(file))
        .setConfig(new JsonObject().put("path", file.toAbsolutePath().toString())));
  }

  private static final long READ_TIMEOUT_S = 30;

  private static Future<JsonObject> read(Vertx vertx, ConfigStoreOptions store) {
    ConfigRetriever retriever = ConfigRetriever.create(vertx,
        new ConfigRetrieverOptions().setScanPeriod(0).addStore(store));
    // Reading runs on a worker; an Error there (a class missing from a cut-down runtime) never
    // completes the future, and the start would hang instead of failing.
    return retriever.getConfig().timeout(READ_TIMEOUT_S, TimeUnit.SECONDS).recover(e -> Future.failedFuture(
        e instanceof java.util.concurrent.TimeoutException
            ? new IllegalArgumentException("reading the configuration did not finish in " + READ_TIMEOUT_S + " s") : e))
        .eventually(() -> {
      retriever.close();
      return Future.succeededFuture();
    });
  }

  private static String format(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".json") ? "json" : "yaml";
  }

  static String envPath(String name) {
    for (String key : KNOWN_KEYS) {
      if (key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_').equals(name)) {
        return key;
      }
    }
    return name.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  /** Sets a dotted path, typing the text the way a YAML file would have. */
  static void set(JsonObject root, String path, String text) {
    String[] parts = path.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      Object child = node.getValue(parts[i]);
      if (!(child instanceof JsonObject)) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      node = (JsonObject) child;
    }
    node.put(parts[parts.length - 1], typed(path, text.trim()));
  }

  private static Object typed(String path, String text) {
    if (text.startsWith("[") || text.startsWith("{")) {
      try {
        return text.startsWith("[") ? new JsonArray(text) : new JsonObject(text);
      } catch (RuntimeException notJson) {
        return text;
      }
    }
    if (LIST_KEYS.contains(path)) {
      JsonArray list = new JsonArray();
      for (String item : text.split(",")) {
        if (!item.isBlank()) {
          list.add(item.trim());
        }
      }
      return list;
    }
    if (text.matches("-?\\d{1,18}")) {
      return Long.parseLong(text);
    }
    if (text.equals("true") || text.equals("false")) {
      return Boolean.parseBoolean(text);
    }
    return text;
  }
}
