package io.warpgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.auth.Authenticator;
import io.warpgw.store.postgres.PostgresTestServer;
import io.warpgw.store.redis.RedisTestServer;
import io.warpgw.testkit.ApiClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image {@code mvn verify} builds (unless -Dimage.skip) into target/jib-image.tar: its config and layers read
 * back from the tarball, then the image run without a container runtime (layers extracted, the
 * entrypoint started in a chroot as the image's user) against each store.
 */
@DisplayName("The container image (target/jib-image.tar)")
class ImageIT {
  private static final String SERVICES = "META-INF/services/io.warpgw.spi.RegistrationStoreProvider";
  private static final String REGISTRATION =
      "{\"id\":\"r1\",\"device\":{\"id\":\"d1\",\"name\":\"MacBook\"},\"key\":\"k1\",\"user\":{\"email\":\"a@example.com\"}}";

  @TempDir static Path work;
  private static ContainerImage image;
  private static ImageRootfs rootfs;
  private static String cannotRun;

  @BeforeAll
  static void unpack() throws Exception {
    String tar = System.getProperty("image.tar");
    if (tar == null) {
      return; // each test reports itself skipped: see image()
    }
    Path tarball = Path.of(tar);
    assertThat(tarball).as("the image tarball jib:buildTar writes").exists();
    System.out.printf("image %s: %.1f MB%n", tarball, Files.size(tarball) / 1e6);
    image = ContainerImage.unpack(tarball, Files.createDirectories(work.resolve("tar")));
    cannotRun = ImageRootfs.unavailable().orElse(null);
    if (cannotRun == null) {
      rootfs = ImageRootfs.extract(image, Files.createDirectories(work.resolve("rootfs")));
    }
  }

  @Test
  @DisplayName("config: java entrypoint, serve command, 8080/tcp exposed, a non-root user, env and labels")
  void config() {
    image();
    JsonObject all = image.config();
    assertThat(all.getString("architecture")).isEqualTo("amd64");
    assertThat(all.getString("os")).isEqualTo("linux");
    assertThat(all.getJsonObject("rootfs").getJsonArray("diff_ids")).hasSize(image.layers().size());

    JsonObject c = image.runConfig();
    assertThat(strings(c.getJsonArray("Entrypoint"))).containsExactly("java", "-XX:MaxRAMPercentage=75",
        "-XX:+ExitOnOutOfMemoryError", "-cp", "@/app/jib-classpath-file", "io.warpgw.launcher.Boot");
    assertThat(strings(c.getJsonArray("Cmd"))).containsExactly("serve");
    assertThat(c.getJsonObject("ExposedPorts").fieldNames()).containsExactly("8080/tcp");
    assertThat(c.getString("User")).isEqualTo("10001:10001");
    assertThat(strings(c.getJsonArray("Env"))).contains("GATEWAY_HTTP_HOST=0.0.0.0", "JAVA_HOME=/opt/java/openjdk",
        "PATH=/opt/java/openjdk/bin:/usr/bin:/bin", "LANG=C.UTF-8");
    assertThat(strings(c.getJsonArray("Env"))).noneMatch(e -> e.startsWith("GATEWAY_HTTP_PORT="));

    JsonObject labels = c.getJsonObject("Labels");
    String version = labels.getString("org.opencontainers.image.version");
    assertThat(version).isNotBlank();
    assertThat(labels.getString("org.opencontainers.image.title")).isEqualTo("warp-registrations-gateway");
    assertThat(labels.getString("org.opencontainers.image.description")).contains("WARP");
    assertThat(strings(image.manifest().getJsonArray("RepoTags"))).containsExactly("warpgw/gateway:" + version);
  }

  @Test
  @DisplayName("layers: a Java runtime and its shared libraries, the user, /tmp, and the launcher on a classpath of separate jars")
  void layers() throws Exception {
    image();
    Map<String, ContainerImage.Entry> entries = image.entries();
    long unpacked = entries.values().stream().mapToLong(ContainerImage.Entry::size).sum();
    System.out.printf("image: %d layers, %d entries, %.1f MB unpacked%n", image.layers().size(), entries.size(), unpacked / 1e6);

    assertThat(entries.get("opt/java/openjdk/bin/java").mode()).isEqualTo(0755);
    assertThat(entries.get("lib64/ld-linux-x86-64.so.2").mode()).isEqualTo(0755);
    assertThat(entries).containsKeys("opt/java/openjdk/lib/server/libjvm.so", "opt/java/openjdk/lib/modules",
        "opt/java/openjdk/lib/security/cacerts", "lib/x86_64-linux-gnu/libc.so.6", "lib/x86_64-linux-gnu/libz.so.1",
        "usr/lib/locale/C.utf8/LC_CTYPE", "app/classes/io/warpgw/launcher/Boot.class", "app/resources/logback.xml");
    assertThat(entries.get("tmp/").directory()).isTrue();
    assertThat(entries.get("tmp/").mode()).isEqualTo(0777);
    assertThat(entries.values()).as("root owns every file: the gateway's user can change none")
        .allMatch(e -> e.uid() == 0 && e.gid() == 0);
    assertThat(image.readText("etc/passwd")).contains("gateway:x:10001:10001:");
    assertThat(image.readText("etc/group")).contains("gateway:x:10001:");

    // Jib keeps the jars apart, so each store module's ServiceLoader file stays whole (the fat jar has to merge them).
    List<String> classpath = List.of(image.readText("app/jib-classpath-file").trim().split(":"));
    assertThat(classpath).startsWith("/app/resources", "/app/classes");
    for (String module : List.of("gateway-core", "gateway-storage-postgres", "gateway-storage-redis")) {
      String jar = classpath.stream().filter(p -> p.startsWith("/app/libs/" + module + "-")).findFirst()
          .orElseThrow(() -> new AssertionError(module + " is not on the classpath " + classpath));
      assertThat(serviceFile(image.read(jar.substring(1)))).as(SERVICES + " of " + jar).isNotBlank();
    }
    assertThat(classpath.stream().filter(p -> p.endsWith(".jar")))
        .allMatch(p -> entries.containsKey(p.substring(1)));
    assertThat(image.readText("app/jib-main-class-file").trim()).isEqualTo("io.warpgw.launcher.Boot");
  }

  @Test
  @DisplayName("runs: serves the memory store on 0.0.0.0 as uid 10001, and stops on SIGTERM with status 0")
  void servesMemory() throws Exception {
    int port = GatewayProcess.freePort();
    try (GatewayProcess gw = run(List.of(), Map.of("GATEWAY_HTTP_PORT", Integer.toString(port)))) {
      String base = gw.awaitServing();
      assertThat(base).isEqualTo("http://0.0.0.0:" + port + "/client/v4");
      assertThat(gw.output()).contains("serving the memory store");
      assertThat(Files.readAllLines(Path.of("/proc", Long.toString(gw.pid()), "status")))
          .as("the JVM's user").anyMatch(l -> l.matches("Uid:\\s+10001\\s+10001\\s+10001\\s+10001"));
      new ApiClient("http://127.0.0.1:" + port, null).get("/health").ok();
      ApiClient api = new ApiClient("http://127.0.0.1:" + port + "/client/v4", gw.generatedToken());
      api.post("/accounts/acme/devices/registrations", REGISTRATION).ok(201);
      JsonArray list = api.get("/accounts/acme/devices/registrations").resultArray();
      assertThat(list).hasSize(1);
      assertThat(list.getJsonObject(0).getString("id")).isEqualTo("r1");
      api.withToken("wrong").get("/accounts/acme/devices/registrations").error(401, 10000);
      gw.sigterm();
      assertThat(gw.awaitExit()).isZero();
    }
  }

  @Test
  @DisplayName("runs: ServiceLoader finds the memory, postgres and redis stores on the image's classpath")
  void findsEveryStore() throws Exception {
    try (GatewayProcess gw = run(List.of(), Map.of("GATEWAY_STORAGE_TYPE", "nosuch"))) {
      assertThat(gw.awaitExit()).isNotZero();
      assertThat(gw.output()).contains("unknown storage.type 'nosuch'", "memory", "postgres", "redis");
    }
  }

  @Test
  @DisplayName("runs: serves PostgreSQL with a YAML config file mounted into the image")
  void servesPostgres() throws Exception {
    int port = GatewayProcess.freePort();
    String secret = "image-secret";
    Path file = rootfsOrAbort().root().resolve("etc/gateway/gateway.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, """
        http:
          port: %d
        auth:
          tokens:
            - name: ci
              sha256: %s
              accounts: ["*"]
              permission: write
        storage:
          type: postgres
          postgres:
            uri: "%s"
        """.formatted(port, Authenticator.sha256Hex(secret), PostgresTestServer.freshDatabase()));
    try (GatewayProcess gw = run(List.of("serve", "--config", "/etc/gateway/gateway.yaml"), Map.of())) {
      gw.awaitServing();
      assertThat(gw.output()).contains("serving the postgres store");
      new ApiClient("http://127.0.0.1:" + port, null).get("/ready").ok();
      exercise(new ApiClient("http://127.0.0.1:" + port + "/client/v4", secret));
    } finally {
      Files.delete(file);
    }
  }

  @Test
  @DisplayName("runs: serves Redis configured by GATEWAY_* environment variables, a token list among them")
  void servesRedis() throws Exception {
    int port = GatewayProcess.freePort();
    String secret = "image-secret";
    String tokens = "[{\"name\":\"ci\",\"sha256\":\"" + Authenticator.sha256Hex(secret)
        + "\",\"accounts\":[\"*\"],\"permission\":\"write\"}]";
    rootfsOrAbort();
    try (RedisTestServer redis = RedisTestServer.start();
        GatewayProcess gw = run(List.of(), Map.of("GATEWAY_HTTP_PORT", Integer.toString(port),
            "GATEWAY_STORAGE_TYPE", "redis", "GATEWAY_STORAGE_REDIS_ENDPOINTS", redis.uri(),
            "GATEWAY_AUTH_TOKENS", tokens, "GATEWAY_CURSOR_SECRET", "image-cursor-secret"))) {
      gw.awaitServing();
      assertThat(gw.output()).contains("serving the redis store").doesNotContain("generated a write token");
      new ApiClient("http://127.0.0.1:" + port, null).get("/ready").ok();
      exercise(new ApiClient("http://127.0.0.1:" + port + "/client/v4", secret));
    }
  }

  private static void exercise(ApiClient api) {
    api.post("/accounts/acme/devices/registrations", REGISTRATION).ok(201);
    api.post("/accounts/acme/devices/registrations/revoke?id=r1", null).ok();
    JsonArray list = api.get("/accounts/acme/devices/registrations?status=revoked").resultArray();
    assertThat(list).hasSize(1);
    assertThat(list.getJsonObject(0).getString("revoked_at")).isNotBlank();
  }

  /** The image, or the test skipped, saying why: without the profile there is none. */
  private static ContainerImage image() {
    assumeTrue(image != null, "no image to test: the build was run with -Dimage.skip");
    return image;
  }

  /** The image's entrypoint with this command (empty: the image's), its environment plus {@code env}. */
  private static GatewayProcess run(List<String> cmd, Map<String, String> env) {
    ImageRootfs root = rootfsOrAbort();
    JsonObject c = image.runConfig();
    return root.run(strings(c.getJsonArray("Entrypoint")),
        cmd.isEmpty() ? strings(c.getJsonArray("Cmd")) : cmd, c.getString("User"), strings(c.getJsonArray("Env")), env);
  }

  private static ImageRootfs rootfsOrAbort() {
    image();
    if (rootfs == null) {
      abort("cannot run the image on this machine (" + cannotRun + "); its config and layers were still checked");
    }
    return rootfs;
  }

  private static String serviceFile(byte[] jar) throws IOException {
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        if (e.getName().equals(SERVICES)) {
          return new String(zip.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    return "";
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add((String) v));
    return out;
  }
}
