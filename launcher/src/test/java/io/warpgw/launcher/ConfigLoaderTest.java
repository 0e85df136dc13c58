package io.warpgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.warpgw.config.GatewayConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Environment variables in the config")
class ConfigLoaderTest {
  @Test
  @DisplayName("GATEWAY_RATE_LIMIT_LOCKOUT=true and GATEWAY_RATE_LIMIT_TOKENS={...} reach rate-limit.lockout and rate-limit.tokens")
  void rateLimitFromEnvironment() {
    JsonObject root = new JsonObject();
    ConfigLoader.set(root, ConfigLoader.envPath("RATE_LIMIT_REQUESTS"), "1200");
    ConfigLoader.set(root, ConfigLoader.envPath("RATE_LIMIT_LOCKOUT"), "true");
    ConfigLoader.set(root, ConfigLoader.envPath("RATE_LIMIT_TOKENS"), "{\"ci\": 50}");
    var limit = GatewayConfig.from(root).rateLimit();
    assertThat(limit.requests()).isEqualTo(1200);
    assertThat(limit.lockout()).isTrue();
    assertThat(limit.limitOf("ci")).isEqualTo(50);
  }
}
