package io.warpgw.store.redis;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A real 3-master Redis Cluster formed by the test itself: three redis-servers with
 * {@code --cluster-enabled yes} on free ports, joined by {@code redis-cli --cluster create} (or by
 * CLUSTER ADDSLOTS / MEET where no redis-cli exists), ready once every node reports cluster_state:ok.
 */
final class RedisTestCluster implements AutoCloseable {
  static final int MASTERS = 3;
  private final List<RedisProcess> nodes;
  private final String keyPrefix = "test-" + UUID.randomUUID().toString().substring(0, 8) + ":";

  private RedisTestCluster(List<RedisProcess> nodes) {
    this.nodes = nodes;
  }

  static RedisTestCluster start() {
    return start(new String[0]);
  }

  /** @param nodeArgs more redis-server arguments for every node (persistence, coverage) */
  static RedisTestCluster start(String... nodeArgs) {
    List<RedisProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < MASTERS; i++) {
        List<String> args = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", "5000"));
        args.addAll(List.of(nodeArgs));
        nodes.add(RedisProcess.start(args.toArray(String[]::new)));
      }
      Path cli = RedisBinaries.cli();
      if (cli != null) {
        createWithCli(cli, nodes);
      } else {
        createWithCommands(nodes);
      }
      System.out.println("cluster formed by " + (cli != null ? cli : "CLUSTER ADDSLOTS and MEET"));
      awaitOk(nodes);
      return new RedisTestCluster(nodes);
    } catch (RuntimeException e) {
      nodes.forEach(RedisProcess::stop);
      throw e;
    }
  }

  List<RedisProcess> nodes() {
    return nodes;
  }

  String keyPrefix() {
    return keyPrefix;
  }

  JsonObject config() {
    JsonArray endpoints = new JsonArray();
    nodes.forEach(n -> endpoints.add(n.uri()));
    return new JsonObject().put("mode", "cluster").put("endpoints", endpoints).put("key-prefix", keyPrefix);
  }

  /** The port of the master serving {@code key}. */
  int nodeOf(String key) {
    long slot = (Long) Resp.call(nodes.get(0).port(), "CLUSTER", "KEYSLOT", key);
    for (Object range : (List<?>) Resp.call(nodes.get(0).port(), "CLUSTER", "SLOTS")) {
      List<?> r = (List<?>) range;
      if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
        return ((Long) ((List<?>) r.get(2)).get(1)).intValue();
      }
    }
    throw new IllegalStateException("no node serves slot " + slot);
  }

  private static void createWithCli(Path cli, List<RedisProcess> nodes) {
    List<String> cmd = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
    nodes.forEach(n -> cmd.add("127.0.0.1:" + n.port()));
    cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new IllegalStateException("redis-cli --cluster create failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void createWithCommands(List<RedisProcess> nodes) {
    int per = 16384 / nodes.size();
    for (int i = 0; i < nodes.size(); i++) {
      int from = i * per;
      int to = i == nodes.size() - 1 ? 16383 : from + per - 1;
      List<String> args = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
      for (int s = from; s <= to; s++) {
        args.add(Integer.toString(s));
      }
      Resp.call(nodes.get(i).port(), args.toArray(String[]::new));
    }
    for (int i = 1; i < nodes.size(); i++) {
      Resp.call(nodes.get(0).port(), "CLUSTER", "MEET", "127.0.0.1", Integer.toString(nodes.get(i).port()));
    }
  }

  private static void awaitOk(List<RedisProcess> nodes) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    for (RedisProcess n : nodes) {
      while (!formed(String.valueOf(Resp.call(n.port(), "CLUSTER", "INFO")), nodes.size())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("cluster did not reach cluster_state:ok: "
              + Resp.call(n.port(), "CLUSTER", "INFO"));
        }
        RedisProcess.sleep(50);
      }
    }
  }

  private static boolean formed(String info, int size) {
    return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + size)
        && info.contains("cluster_slots_ok:16384");
  }

  @Override
  public void close() {
    nodes.forEach(RedisProcess::stop);
  }
}
