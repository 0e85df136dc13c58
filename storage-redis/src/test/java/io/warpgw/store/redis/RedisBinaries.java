package io.warpgw.store.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Where the tests find {@code redis-server} and {@code redis-cli}. */
final class RedisBinaries {
  private static Path server;

  private RedisBinaries() {}

  /**
   * redis-server from the PATH, else the Linux binary shipped in embedded-redis.
   * {@code -Dredis-test.server=embedded} takes the latter even where the former exists, to test it.
   */
  static synchronized Path server() {
    if (server == null) {
      server = "embedded".equals(System.getProperty("redis-test.server")) ? null : onPath("redis-server");
      if (server == null) {
        server = extract(embeddedBinary());
      }
    }
    return server;
  }

  /**
   * redis-cli from the PATH, or null (clusters are then formed with CLUSTER commands).
   * {@code -Dredis-test.cli=none} takes that path even where redis-cli exists, to test it.
   */
  static Path cli() {
    return "none".equals(System.getProperty("redis-test.cli")) ? null : onPath("redis-cli");
  }

  private static Path onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private static String embeddedBinary() {
    String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
    String arch = System.getProperty("os.arch");
    if (os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
      return "redis-server-6.2.6-v5-linux-amd64";
    }
    if (os.contains("linux") && arch.equals("aarch64")) {
      return "redis-server-6.2.7-linux-arm64";
    }
    if (os.contains("mac")) {
      return arch.equals("aarch64") ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
    }
    throw new IllegalStateException("no redis-server on the PATH, and embedded-redis has none for " + os + "/" + arch);
  }

  private static Path extract(String resource) {
    try (InputStream in = RedisBinaries.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no redis-server on the PATH and no " + resource + " in embedded-redis");
      }
      Path dir = Files.createTempDirectory("redis-bin");
      Path p = dir.resolve("redis-server");
      // deleteOnExit runs last-registered first: the file, then its then empty directory.
      dir.toFile().deleteOnExit();
      p.toFile().deleteOnExit();
      Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
      p.toFile().setExecutable(true);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
