package io.warpgw.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The gateway config")
class GatewayConfigTest {
  @Test
  @DisplayName("defaults to the memory store on 127.0.0.1:8080 under /client/v4")
  void defaults() {
    GatewayConfig c = GatewayConfig.defaults();
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.basePath()).isEqualTo("/client/v4");
    assertThat(c.storageType()).isEqualTo("memory");
    assertThat(c.tokens()).isEmpty();
  }

  @Test
  @DisplayName("reports every problem at once")
  void problems() {
    JsonObject bad = new JsonObject("""
        {"http": {"port": "eighty", "base-path": "no-slash", "instances": -1},
         "auth": {"tokens": [{"sha256": "abc", "accounts": [], "permission": "root"}], "keys": [{"name": "k"}]}}""");
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> GatewayConfig.from(bad));
    assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(9);
    assertThat(e.getMessage()).contains("http.port", "http.base-path", "http.instances", "auth.tokens[0].name",
        "auth.tokens[0].sha256", "auth.tokens[0].accounts", "auth.tokens[0].permission", "auth.keys[0].email");
  }

  @Test
  @DisplayName("hands the storage.<type> subtree to the store as it is")
  void storeSubtree() {
    GatewayConfig c = GatewayConfig.from(new JsonObject("""
        {"storage": {"type": "redis", "redis": {"mode": "cluster", "pool-size": 4}, "postgres": {"uri": "x"}}}"""));
    assertThat(c.storageConfig()).isEqualTo(new JsonObject().put("mode", "cluster").put("pool-size", 4));
  }

  @Test
  @DisplayName("rate-limit: off by default; requests, window, lockout and per-credential limits; wrong values reported")
  void rateLimit() {
    assertThat(GatewayConfig.defaults().rateLimit().enabled()).isFalse();
    RateLimitConfig c = GatewayConfig.from(new JsonObject("""
        {"rate-limit": {"requests": 1200, "window": 300, "lockout": "true", "tokens": {"ci": 50, "ops.team": 0}}}""")).rateLimit();
    assertThat(c.enabled()).isTrue();
    assertThat(c.lockout()).isTrue();
    assertThat(c.limitOf("ci")).isEqualTo(50);
    assertThat(c.limitOf("ops.team")).isZero();
    assertThat(c.limitOf("anyone")).isEqualTo(1200);
    assertThat(GatewayConfig.from(new JsonObject("""
        {"rate-limit": {"tokens": {"ci": 5}}}""")).rateLimit().enabled()).as("one credential limited").isTrue();
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> GatewayConfig.from(new JsonObject("""
        {"rate-limit": {"lockout": "sometimes", "tokens": {"ci": -1}}}""")));
    assertThat(e.getMessage()).contains("rate-limit.lockout", "rate-limit.tokens.ci");
  }
}
