package io.warpgw.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The built fat jar (or image), run as a child process; its output is kept and echoed for the test report. */
final class GatewayProcess implements AutoCloseable {
  static final Path JAR = Path.of(System.getProperty("gateway.jar", "target/gateway.jar"));
  private static final Pattern SERVING = Pattern.compile("serving the (\\w+) store on (https?://\\S+?); give clients the base URL (\\S+)");
  private static final Pattern TOKEN = Pattern.compile("generated a write token .*: (\\S+)$");

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private GatewayProcess(Process process) {
    this.process = process;
    reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
          System.out.println("[gateway " + process.pid() + "] " + line);
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "gateway-output");
    reader.setDaemon(true);
    reader.start();
  }

  static GatewayProcess start(Map<String, String> env, List<String> jvmArgs, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.add("-jar");
    cmd.add(JAR.toAbsolutePath().toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("GATEWAY_"));
    pb.environment().putAll(env);
    return start(pb);
  }

  /** Any command that runs the gateway (the container image's entrypoint, in ImageIT). */
  static GatewayProcess start(ProcessBuilder pb) {
    try {
      return new GatewayProcess(pb.redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the serving line and returns the base URL it gives. */
  String awaitServing() {
    return await(SERVING, 3);
  }

  String generatedToken() {
    return await(TOKEN, 1);
  }

  String await(Pattern p, int group) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      for (String line : lines) {
        Matcher m = p.matcher(line);
        if (m.find()) {
          return m.group(group);
        }
      }
      if (!process.isAlive() && lines.stream().noneMatch(l -> p.matcher(l).find())) {
        throw new AssertionError("the gateway exited with " + process.exitValue() + " before logging " + p + ":\n"
            + String.join("\n", lines));
      }
      sleep(50);
    }
    throw new AssertionError("no line matching " + p + " within 60 s:\n" + String.join("\n", lines));
  }

  int awaitExit() throws InterruptedException {
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the gateway did not exit within 120 s:\n" + String.join("\n", lines));
    }
    sleep(200);
    return process.exitValue();
  }

  /** Waits until every line the process wrote has been read (its output ends when it exits). */
  void awaitOutputEnd() throws InterruptedException {
    reader.join(TimeUnit.SECONDS.toMillis(60));
  }

  /**
   * SIGTERM on Unix: how a process manager asks the gateway to stop. Through the ProcessHandle, because
   * Process.destroy() also closes our end of the output pipe, and the shutdown log would be lost.
   */
  void sigterm() {
    process.toHandle().destroy();
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  String output() {
    return String.join("\n", lines);
  }

  List<String> lines() {
    return lines;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
