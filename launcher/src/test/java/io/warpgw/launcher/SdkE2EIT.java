package io.warpgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.warpgw.auth.Authenticator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cloudflare's official TypeScript SDK (npm {@code cloudflare}) against the real jar: e2e/sdk. Needs
 * node and npm (CI has them); skipped, saying so, where they are missing.
 */
@DisplayName("Cloudflare's TypeScript SDK against the jar")
class SdkE2EIT {
  static final Path E2E = Path.of(System.getProperty("e2e.dir", "../e2e/sdk"));

  @Test
  @DisplayName("lists with auto-pagination and every parameter, gets, deletes, bulk deletes, revokes, unrevokes; errors map to its classes")
  void memoryStore(@TempDir Path dir) throws Exception {
    runAgainst(dir, "storage:\n  type: memory\n", Map.of());
  }

  @Test
  @DisplayName("the same against the PostgreSQL store")
  void postgresStore(@TempDir Path dir) throws Exception {
    assumeTrue(onPath("node") && onPath("npm"), "node and npm are needed for the SDK end-to-end test");
    String uri = io.warpgw.store.postgres.PostgresTestServer.freshDatabase();
    runAgainst(dir, "storage:\n  type: postgres\n  postgres:\n    uri: \"" + uri + "\"\n", Map.of());
  }

  @Test
  @DisplayName("the same against the Redis store")
  void redisStore(@TempDir Path dir) throws Exception {
    assumeTrue(onPath("node") && onPath("npm"), "node and npm are needed for the SDK end-to-end test");
    try (var redis = io.warpgw.store.redis.RedisTestServer.start()) {
      runAgainst(dir, "storage:\n  type: redis\n  redis:\n    endpoints: [\"" + redis.uri() + "\"]\n    key-prefix: \""
          + redis.keyPrefix() + "\"\n", Map.of());
    }
  }

  static void runAgainst(Path dir, String storageYaml, Map<String, String> env) throws Exception {
    assumeTrue(onPath("node") && onPath("npm"), "node and npm are needed for the SDK end-to-end test");
    String write = "sdk-write-" + System.nanoTime();
    String read = "sdk-read-" + System.nanoTime();
    String admin = "sdk-admin-" + System.nanoTime();
    String limited = "sdk-limited-" + System.nanoTime();
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, """
        http:
          port: 0
        auth:
          tokens:
            - name: sdk-writer
              sha256: %s
              accounts: ["*"]
              permission: write
            - name: sdk-reader
              sha256: %s
              accounts: ["*"]
              permission: read
            - name: sdk-admin
              sha256: %s
              accounts: ["*"]
              permission: admin
            - name: sdk-limited
              sha256: %s
              accounts: ["*"]
              permission: read
        rate-limit:
          requests: 0          # the other tokens are not limited
          window: 300
          tokens:
            sdk-limited: 3
        cursor:
          secret: sdk-e2e
        %s""".formatted(Authenticator.sha256Hex(write), Authenticator.sha256Hex(read), Authenticator.sha256Hex(admin),
        Authenticator.sha256Hex(limited), storageYaml));
    try (GatewayProcess gw = GatewayProcess.start(env, List.of(), "serve", "--config", config.toString())) {
      String base = gw.awaitServing();
      ProcessBuilder pb = new ProcessBuilder("bash", E2E.resolve("run.sh").toAbsolutePath().toString())
          .directory(E2E.toFile()).redirectErrorStream(true);
      pb.environment().put("GATEWAY_BASE_URL", base);
      pb.environment().put("GATEWAY_TOKEN", write);
      pb.environment().put("GATEWAY_READ_TOKEN", read);
      pb.environment().put("GATEWAY_ADMIN_TOKEN", admin);
      pb.environment().put("GATEWAY_LIMITED_TOKEN", limited);
      pb.environment().put("GATEWAY_ACCOUNT", "sdk");
      Process node = pb.start();
      // Copied through System.out, never inherited: the test JVM's own stdout is surefire's channel.
      Thread echo = new Thread(() -> {
        try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(node.getInputStream(),
            java.nio.charset.StandardCharsets.UTF_8))) {
          r.lines().forEach(line -> System.out.println("[sdk] " + line));
        } catch (IOException e) {
          // the process ended
        }
      }, "sdk-output");
      echo.setDaemon(true);
      echo.start();
      if (!node.waitFor(15, TimeUnit.MINUTES)) {
        node.destroyForcibly();
        throw new AssertionError("the SDK test did not finish in 15 minutes");
      }
      assertThat(node.exitValue()).as("exit code of e2e/sdk/run.sh (its output is above)").isZero();
    }
  }

  static boolean onPath(String program) {
    try {
      Process p = new ProcessBuilder("bash", "-c", "command -v " + program).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
