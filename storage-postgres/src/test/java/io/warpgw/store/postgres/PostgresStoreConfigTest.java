package io.warpgw.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PostgresStoreConfigTest {
  @Test
  @DisplayName("an empty subtree means the defaults")
  void defaults() {
    assertThat(PostgresStoreConfig.from(new JsonObject())).isEqualTo(PostgresStoreConfig.defaults());
    assertThat(PostgresStoreConfig.from(null)).isEqualTo(PostgresStoreConfig.defaults());
  }

  @Test
  @DisplayName("reads numbers and the numeric strings environment overrides produce")
  void values() {
    PostgresStoreConfig c = PostgresStoreConfig.from(new JsonObject()
        .put("uri", "postgresql://gw:secret@db.internal:6432/gateway?sslmode=require")
        .put("pool-size", "32").put("max-wait-queue", -1).put("statement-timeout", 0)
        .put("connect-timeout", " 2500 "));
    assertThat(c).isEqualTo(new PostgresStoreConfig(
        "postgresql://gw:secret@db.internal:6432/gateway?sslmode=require", 32, -1, 0, 2500));
    assertThat(c.describe()).isEqualTo("gw@db.internal:6432/gateway").doesNotContain("secret");
  }

  @Test
  @DisplayName("reports every problem at once")
  void everyProblem() {
    JsonObject bad = new JsonObject().put("uri", "mysql://nope").put("pool-size", 0)
        .put("max-wait-queue", -2).put("statement-timeout", "soon").put("connect-timeout", 0)
        .put("pool_size", 4);
    assertThatThrownBy(() -> PostgresStoreConfig.from(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("storage.postgres is invalid: ")
        .hasMessageContaining("unknown key 'pool_size'")
        .hasMessageContaining("uri is not a PostgreSQL connection URI")
        .hasMessageContaining("pool-size must be 1-1000, got 0")
        .hasMessageContaining("max-wait-queue must be -1 (unbounded) or at least 0, got -2")
        .hasMessageContaining("statement-timeout must be a whole number, got 'soon'")
        .hasMessageContaining("connect-timeout must be at least 1 millisecond, got 0");
    assertThatThrownBy(() -> PostgresStoreConfig.from(new JsonObject().put("uri", 5)))
        .hasMessageContaining("uri must be a string");
  }

  @Test
  @DisplayName("the provider is named postgres, found by ServiceLoader, and fails fast on a bad config")
  void provider() throws Exception {
    assertThat(java.util.ServiceLoader.load(io.warpgw.spi.RegistrationStoreProvider.class).stream()
        .map(p -> p.get().name())).contains("postgres", "memory");
    Vertx vertx = Vertx.vertx();
    try {
      Throwable failure = PostgresRegistrationStoreTest.catchFailure(
          new PostgresStoreProvider().create(vertx, new JsonObject().put("pool-size", -1)));
      assertThat(failure).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("pool-size");
    } finally {
      vertx.close().await();
    }
  }
}
