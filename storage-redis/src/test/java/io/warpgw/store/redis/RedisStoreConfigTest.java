package io.warpgw.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RedisStoreConfigTest {

  @Test
  @DisplayName("an empty subtree means one local standalone Redis with the defaults")
  void defaults() {
    RedisStoreConfig c = RedisStoreConfig.from(new JsonObject());
    assertThat(c).isEqualTo(new RedisStoreConfig(RedisStoreConfig.Mode.STANDALONE,
        List.of("redis://127.0.0.1:6379"), 64, 1024, "mymaster", "warpgw:", 10_000));
  }

  @Test
  @DisplayName("the documented example reads as written")
  void example() {
    RedisStoreConfig c = RedisStoreConfig.from(new JsonObject(
        "{\"mode\":\"standalone\",\"endpoints\":[\"redis://127.0.0.1:6379\"],\"pool-size\":16}"));
    assertThat(c.mode()).isEqualTo(RedisStoreConfig.Mode.STANDALONE);
    assertThat(c.poolSize()).isEqualTo(16);
  }

  @Test
  @DisplayName("every problem is reported at once, passwords redacted")
  void everyProblem() {
    JsonObject bad = new JsonObject()
        .put("mode", "clustered")
        .put("endpoints", new JsonArray().add("http://x").add("redis://:s3cret@host:1/x").add(""))
        .put("pool-size", 0)
        .put("max-wait-queue", "many")
        .put("key-prefix", "a{b}")
        .put("poolsize", 3);
    assertThatThrownBy(() -> RedisStoreConfig.from(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mode must be one of standalone, sentinel, cluster, got 'clustered'")
        .hasMessageContaining("endpoint 'http://x'")
        .hasMessageContaining("endpoint ''")
        .hasMessageContaining("pool-size must be a positive integer, got 0")
        .hasMessageContaining("max-wait-queue must be a positive integer, got many")
        .hasMessageContaining("key-prefix must not contain")
        .hasMessageContaining("unknown key 'poolsize'");
    assertThatThrownBy(() -> RedisStoreConfig.from(new JsonObject()
        .put("endpoints", new JsonArray().add("redis://a:1").add("redis://:pw@b:2"))))
        .hasMessageContaining("standalone mode takes exactly one endpoint");
    assertThat(RedisStoreConfig.redact("rediss://user:pw@h:1")).isEqualTo("rediss://user:***@h:1");
  }

  @Test
  @DisplayName("modes map to the client's: sentinel asks for the primary by its name")
  void modes() {
    RedisOptions sentinel = RedisStoreProvider.options(RedisStoreConfig.from(new JsonObject()
        .put("mode", "sentinel").put("master-name", "primary")
        .put("endpoints", new JsonArray().add("redis://127.0.0.1:26379").add("redis://127.0.0.1:26380"))));
    assertThat(sentinel.getType()).isEqualTo(RedisClientType.SENTINEL);
    assertThat(sentinel.getRole()).isEqualTo(RedisRole.MASTER);
    assertThat(sentinel.getMasterName()).isEqualTo("primary");
    assertThat(sentinel.getEndpoints()).hasSize(2);
    RedisOptions cluster = RedisStoreProvider.options(RedisStoreConfig.from(new JsonObject()
        .put("mode", "cluster").put("pool-size", 4).put("max-wait-queue", 10)));
    assertThat(cluster.getType()).isEqualTo(RedisClientType.CLUSTER);
    assertThat(cluster.getMaxPoolSize()).isEqualTo(4);
    assertThat(cluster.getMaxPoolWaiting()).isEqualTo(10);
  }

  @Test
  @DisplayName("the provider is found by ServiceLoader under the name redis")
  void discoverable() {
    assertThat(ServiceLoader.load(io.warpgw.spi.RegistrationStoreProvider.class).stream()
        .map(p -> p.get().name())).contains("redis");
  }

  @Test
  @DisplayName("an invalid subtree or an unreachable Redis fails the start with a clear message")
  void failsStart() {
    Vertx vertx = Vertx.vertx();
    try {
      assertThat(Await.failure(new RedisStoreProvider().create(vertx, new JsonObject().put("pool-size", -1))))
          .hasMessageContaining("pool-size");
      assertThat(Await.failure(new RedisStoreProvider().create(vertx, new JsonObject()
          .put("endpoints", new JsonArray().add("redis://127.0.0.1:1")))))
          .hasMessageContaining("cannot reach Redis at standalone [redis://127.0.0.1:1]");
    } finally {
      Await.result(vertx.close());
    }
  }
}
