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

  /** redis-server from the PATH, else the Linux binary shipped in embedded-redis. */
  static synchronized Path server() {
    if (server == null) {
      server = onPath("redis-server");
      if (server == null) {
        server = extract("redis-server-6.2.6-v5-linux-amd64");
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

  private static Path extract(String resource) {
    try (InputStream in = RedisBinaries.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no redis-server on the PATH and no " + resource + " in embedded-redis");
      }
      Path dir = Files.createTempDirectory("redis-bin");
      Path p = dir.resolve("redis-server");
      Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
      p.toFile().setExecutable(true);
      p.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
