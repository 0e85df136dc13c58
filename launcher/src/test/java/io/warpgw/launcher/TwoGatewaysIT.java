package io.warpgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.warpgw.auth.Authenticator;
import io.warpgw.store.postgres.PostgresTestServer;
import io.warpgw.store.redis.RedisTestServer;
import io.warpgw.testkit.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gateways keep no state of their own: two processes over one store act as one. */
@DisplayName("Two gateway processes sharing one store")
class TwoGatewaysIT {
  private static final String TOKEN = "two-gateways";

  @Test
  @DisplayName("on PostgreSQL: a cursor from one is accepted by the other, a revoke on one is seen by the other at once")
  void postgres(@TempDir Path dir) throws Exception {
    String uri = PostgresTestServer.freshDatabase();
    check(dir, "storage:\n  type: postgres\n  postgres:\n    uri: \"" + uri + "\"\n");
  }

  @Test
  @DisplayName("on Redis: the same")
  void redis(@TempDir Path dir) throws Exception {
    try (RedisTestServer redis = RedisTestServer.start()) {
      check(dir, "storage:\n  type: redis\n  redis:\n    endpoints: [\"" + redis.uri() + "\"]\n    key-prefix: \""
          + redis.keyPrefix() + "\"\n");
    }
  }

  private void check(Path dir, String storage) throws Exception {
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, """
        http:
          port: 0
        auth:
          tokens:
            - name: shared
              sha256: %s
              accounts: ["*"]
              permission: write
        cursor:
          secret: shared-between-instances
        %s""".formatted(Authenticator.sha256Hex(TOKEN), storage));
    try (GatewayProcess a = GatewayProcess.start(Map.of(), List.of(), "serve", "--config", config.toString());
        GatewayProcess b = GatewayProcess.start(Map.of(), List.of(), "serve", "--config", config.toString())) {
      ApiClient left = new ApiClient(a.awaitServing(), TOKEN);
      ApiClient right = new ApiClient(b.awaitServing(), TOKEN);
      String path = "/accounts/shared-acct/devices/registrations";
      for (int i = 0; i < 5; i++) {
        left.post(path, new JsonObject().put("id", "r" + i)
            .put("device", new JsonObject().put("id", "d" + i).put("name", "n")).put("key", "k").encode()).ok(201);
      }
      JsonObject first = left.get(path + "?per_page=2&sort_by=id").ok();
      String cursor = first.getJsonObject("result_info").getString("cursor");
      JsonObject second = right.get(path + "?per_page=2&sort_by=id&cursor=" + cursor).ok();
      assertThat(second.getJsonArray("result").getJsonObject(0).getString("id")).isEqualTo("r2");
      left.post(path + "/revoke?id=r3", null).ok();
      assertThat(right.get(path + "/r3").result().getString("revoked_at")).isNotNull();
      right.delete(path + "/r4").ok();
      left.get(path + "/r4").error(404, 1004);
    }
  }
}
