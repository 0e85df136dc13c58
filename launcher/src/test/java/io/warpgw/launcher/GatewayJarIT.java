package io.warpgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.warpgw.auth.Authenticator;
import io.warpgw.testkit.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The fat jar")
class GatewayJarIT {

  @Test
  @DisplayName("with no config at all serves the memory store on 127.0.0.1:8080 and logs a usable token")
  void zeroConfig() throws Exception {
    assumeTrue(GatewayProcess.portFree(8080), "port 8080 is taken on this machine");
    try (GatewayProcess gw = GatewayProcess.start(Map.of(), List.of())) {
      String base = gw.awaitServing();
      assertThat(base).isEqualTo("http://127.0.0.1:8080/client/v4");
      assertThat(gw.lines().stream().filter(l -> l.contains("serving the")).findFirst().orElseThrow())
          .contains("memory");
      String token = gw.generatedToken();
      ApiClient api = new ApiClient(base, token);
      api.get("/accounts/a1/devices/registrations").ok();
      api.withToken("wrong").get("/accounts/a1/devices/registrations").error(401, 10000);
      new ApiClient("http://127.0.0.1:8080", null).get("/health").ok();
    }
  }

  @Test
  @DisplayName("finds every store through ServiceLoader, and names them when storage.type is unknown")
  void unknownStore() throws Exception {
    try (GatewayProcess gw = GatewayProcess.start(Map.of("GATEWAY_STORAGE_TYPE", "nosuch"), List.of())) {
      assertThat(gw.awaitExit()).isNotZero();
      assertThat(gw.output()).contains("unknown storage.type 'nosuch'").contains("memory");
      if (Files.exists(Path.of("../storage-postgres/src/main/resources/META-INF/services"))) {
        assertThat(gw.output()).contains("postgres");
      }
      if (Files.exists(Path.of("../storage-redis/src/main/resources/META-INF/services"))) {
        assertThat(gw.output()).contains("redis");
      }
    }
  }

  @Test
  @DisplayName("layers config: file < GATEWAY_* environment < -Dgateway.* system properties")
  void layering(@TempDir Path dir) throws Exception {
    int filePort = GatewayProcess.freePort();
    int envPort = GatewayProcess.freePort();
    String secret = "s3cret-token";
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, """
        http:
          port: %d
          base-path: /from-file/v4
          instances: 1
        auth:
          tokens:
            - name: ci
              sha256: %s
              accounts: ["*"]
              permission: write
        storage:
          type: memory
        """.formatted(filePort, Authenticator.sha256Hex(secret)));
    try (GatewayProcess gw = GatewayProcess.start(Map.of("GATEWAY_HTTP_PORT", Integer.toString(envPort),
        "GATEWAY_HTTP_BASE_PATH", "/from-env/v4"), List.of("-Dgateway.http.base-path=/from-sys/v4"),
        "serve", "--config", file.toString())) {
      String base = gw.awaitServing();
      assertThat(base).isEqualTo("http://127.0.0.1:" + envPort + "/from-sys/v4");
      assertThat(gw.output()).doesNotContain("generated a write token");
      new ApiClient(base, secret).get("/accounts/a1/devices/registrations").ok();
    }
  }

  @Test
  @DisplayName("refuses an invalid config, listing every problem at once")
  void invalidConfig(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, """
        http:
          port: 99999
        auth:
          tokens:
            - name: x
              sha256: nothex
              accounts: ["*"]
              permission: root
        """);
    try (GatewayProcess gw = GatewayProcess.start(Map.of(), List.of(), "--config", file.toString())) {
      assertThat(gw.awaitExit()).isEqualTo(2);
      assertThat(gw.output()).contains("http.port", "auth.tokens[0].sha256", "auth.tokens[0].permission");
    }
  }

  @Test
  @DisplayName("copy streams every account from PostgreSQL to Redis and checks the counts")
  void copy(@TempDir Path dir) throws Exception {
    Path pg = dir.resolve("pg.yaml");
    Files.writeString(pg, "storage:\n  type: postgres\n  postgres:\n    uri: \""
        + io.warpgw.store.postgres.PostgresTestServer.freshDatabase() + "\"\n");
    try (var redis = io.warpgw.store.redis.RedisTestServer.start()) {
      Path rd = dir.resolve("redis.yaml");
      Files.writeString(rd, "storage:\n  type: redis\n  redis:\n    endpoints: [\"" + redis.uri()
          + "\"]\n    key-prefix: \"" + redis.keyPrefix() + "\"\n");
      try (GatewayProcess seed = GatewayProcess.start(Map.of(), List.of(), "seed", "--config", pg.toString(),
          "--accounts", "3", "--per-account", "700")) {
        assertThat(seed.awaitExit()).isZero();
      }
      try (GatewayProcess copy = GatewayProcess.start(Map.of("GATEWAY_STORAGE_TYPE", "memory"), List.of(),
          "copy", "--from", pg.toString(), "--to", rd.toString())) {
        assertThat(copy.awaitExit()).isZero();
        assertThat(copy.output()).contains("copied 2100 registrations of 3 account(s)", "counts check out",
            "account account-2: 700 registrations in the source, 700 in the target");
      }
    }
  }

  @Test
  @DisplayName("seed writes synthetic registrations and reports its rate; serve --seed-count preloads")
  void seeding() throws Exception {
    try (GatewayProcess seed = GatewayProcess.start(Map.of(), List.of(), "seed", "--accounts", "3",
        "--per-account", "2000", "--seed", "7")) {
      assertThat(seed.awaitExit()).isZero();
      assertThat(seed.output()).containsPattern("seeded 6000 registrations into 3 account\\(s\\) in [0-9.]+ s: \\d+ registrations/s");
    }
    int port = GatewayProcess.freePort();
    try (GatewayProcess gw = GatewayProcess.start(Map.of("GATEWAY_HTTP_PORT", Integer.toString(port)), List.of(),
        "serve", "--seed-count", "3000", "--accounts", "2")) {
      String base = gw.awaitServing();
      ApiClient api = new ApiClient(base, gw.generatedToken());
      var env = api.get("/accounts/account-2/devices/registrations?status=all&per_page=1000").ok();
      assertThat(env.getJsonArray("result")).hasSize(1000);
      assertThat(env.getJsonObject("result_info").getString("cursor")).isNotEmpty();
      var page = api.get("/accounts/account-2/devices/registrations?status=all&per_page=1000&cursor="
          + env.getJsonObject("result_info").getString("cursor")).ok();
      assertThat(page.getJsonArray("result")).hasSize(500);
      assertThat(page.getJsonObject("result_info").getString("cursor")).isEmpty();
    }
  }
}
