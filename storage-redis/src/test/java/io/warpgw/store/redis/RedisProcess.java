package io.warpgw.store.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One redis-server this test run started: its own temp dir, no persistence, bound to 127.0.0.1 on a
 * free port. Stopped by its handle; a shutdown hook stops it if the JVM ends first.
 */
final class RedisProcess {
  private final int port;
  private final Path dir;
  private final List<String> extraArgs;
  private final String configFile;
  private Process process;
  private final Thread backstop = new Thread(this::kill);

  private RedisProcess(int port, Path dir, String configFile, List<String> extraArgs) {
    this.port = port;
    this.dir = dir;
    this.configFile = configFile;
    this.extraArgs = extraArgs;
  }

  static RedisProcess start(String... extraArgs) {
    return launchNew(null, extraArgs);
  }

  /** A sentinel watching the primary on {@code primaryPort} under the name {@code name}. */
  static RedisProcess sentinel(int primaryPort, String name) {
    return launchNew("sentinel monitor " + name + " 127.0.0.1 " + primaryPort + " 1\n", "--sentinel");
  }

  private static RedisProcess launchNew(String config, String... extraArgs) {
    try {
      Path dir = Files.createTempDirectory("redis-test");
      String configFile = null;
      if (config != null) {
        // Sentinels rewrite their config file, so it has to be a file of their own.
        configFile = Files.writeString(dir.resolve("redis.conf"), config).toString();
      }
      RedisProcess p = new RedisProcess(freePort(), dir, configFile, List.of(extraArgs));
      Runtime.getRuntime().addShutdownHook(p.backstop);
      p.launch();
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return port;
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  Path dir() {
    return dir;
  }

  /** Starts the server again on the same port, after {@link #kill}. */
  void launch() {
    List<String> cmd = new ArrayList<>(List.of(RedisBinaries.server().toString()));
    if (configFile != null) {
      cmd.add(configFile);
    }
    cmd.addAll(List.of(
        "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
        "--save", "", "--appendonly", "no", "--protected-mode", "no"));
    cmd.addAll(extraArgs);
    try {
      process = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis.log").toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!Resp.answers(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("redis-server did not start on port " + port + ": " + log());
      }
      sleep(20);
    }
  }

  /** Ends the server at once, as a crash would. */
  void kill() {
    Process p = process;
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  void stop() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(backstop);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir left behind is not worth failing a test for
    }
  }

  String log() {
    try {
      return Files.readString(dir.resolve("redis.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** A free port whose cluster bus port (+10000) is free too. */
  private static int freePort() throws IOException {
    for (int attempt = 0; ; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      if (port + 10_000 <= 65_535 && port != 6379) {
        try (ServerSocket bus = new ServerSocket(port + 10_000, 1, InetAddress.getLoopbackAddress())) {
          return port;
        } catch (IOException taken) {
          if (attempt > 100) {
            throw taken;
          }
        }
      }
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
