package io.warpgw.store.redis;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * The standalone Redis a test class runs against: the one at {@code TEST_REDIS_URI} when that is set,
 * else a redis-server of its own on a free port. Each instance uses its own key prefix, so classes
 * sharing an external server never see each other's keys.
 */
public final class RedisTestServer implements AutoCloseable {
  private final RedisProcess process;
  private final String uri;
  private final String keyPrefix = "test-" + UUID.randomUUID().toString().substring(0, 8) + ":";

  private RedisTestServer(RedisProcess process, String uri) {
    this.process = process;
    this.uri = uri;
  }

  public static RedisTestServer start() {
    String external = System.getenv("TEST_REDIS_URI");
    if (external != null && !external.isBlank()) {
      return new RedisTestServer(null, external);
    }
    RedisProcess p = RedisProcess.start();
    return new RedisTestServer(p, p.uri());
  }

  public String uri() {
    return uri;
  }

  public String keyPrefix() {
    return keyPrefix;
  }

  /** The {@code storage.redis} subtree for this server. */
  public JsonObject config() {
    return new JsonObject()
        .put("mode", "standalone")
        .put("endpoints", new JsonArray().add(uri))
        .put("key-prefix", keyPrefix);
  }

  @Override
  public void close() {
    if (process != null) {
      process.stop();
    } else {
      removeOwnKeys();
    }
  }

  /** On a server the tests share with others, leaves nothing behind but what was there. */
  private void removeOwnKeys() {
    URI u = URI.create(uri);
    List<String> auth = null;
    if (u.getUserInfo() != null) {
      String[] userPassword = u.getUserInfo().split(":", 2);
      auth = userPassword.length == 2 && !userPassword[0].isEmpty()
          ? List.of("AUTH", userPassword[0], userPassword[1])
          : List.of("AUTH", userPassword[userPassword.length - 1]);
    }
    String cursor = "0";
    do {
      List<?> r = (List<?>) Resp.call(u.getHost(), u.getPort(), auth, "SCAN", cursor, "MATCH", keyPrefix + "*", "COUNT", "1000");
      cursor = (String) r.get(0);
      List<String> del = new java.util.ArrayList<>(List.of("DEL"));
      ((List<?>) r.get(1)).forEach(k -> del.add((String) k));
      if (del.size() > 1) {
        Resp.call(u.getHost(), u.getPort(), auth, del.toArray(String[]::new));
      }
    } while (!cursor.equals("0"));
  }
}
