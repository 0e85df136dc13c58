package io.warpgw.store.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import io.vertx.redis.client.impl.types.ErrorType;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends the commands of one account to the master that serves its slot, so that a cluster with one
 * master down still serves the accounts of the others.
 *
 * <p>Why not the Vert.x cluster client alone: every {@code send} first connects to every master, and
 * fails ("Failed to connect to all nodes of the cluster") while any one of them is unreachable: one
 * master down made every account of the store answer 503 (found by
 * {@code RedisClusterMasterKillUnderLoadTest}). Here each master has a standalone client of its own,
 * chosen from a slot table read with CLUSTER SLOTS. A MOVED or ASK reply (resharding, failover) goes
 * again through the cluster client, which follows redirects, and the table is read again; so does a
 * command when no table could be read yet. A lost connection also rereads the table (a failover may
 * have moved the slots), at most once a second. Without cluster mode every command goes to the one
 * server. Either way the keyed commands travel on {@link LoopConnections}: pipelined, one connection
 * per event loop and server.
 */
final class SlotRouter {
  private static final long REFRESH_PAUSE_NANOS = 1_000_000_000L;

  private final Vertx vertx;
  private final Redis redis;
  private final boolean cluster;
  private final RedisOptions template;
  private final List<String> seeds;
  private final long staleMillis;
  /** Standalone and sentinel: the one server's connections; null in cluster mode. */
  private final LoopConnections single;
  private final Map<String, LoopConnections> masters = new ConcurrentHashMap<>();
  /** slot -> "host:port" of its master; null until first read. */
  private volatile String[] owners;
  private Future<Void> refreshing;
  private long lastRefresh;

  /**
   * @param staleMillis how long a connection may keep commands in flight without any answer before
   *     it is replaced (see {@link LoopConnections})
   */
  SlotRouter(Vertx vertx, Redis redis, boolean cluster, RedisOptions options, long staleMillis) {
    this.vertx = vertx;
    this.redis = redis;
    this.cluster = cluster;
    this.template = options;
    this.seeds = options.getEndpoints();
    this.staleMillis = staleMillis;
    this.single = cluster ? null : new LoopConnections(vertx, options, staleMillis);
  }

  /** Sends {@code request}, whose keys all hash like {@code routeKey}, to the master serving them. */
  Future<Response> send(String routeKey, Request request) {
    if (!cluster) {
      return single.send(request);
    }
    String[] table = owners;
    if (table == null) {
      return refresh().transform(done -> owners == null ? redis.send(request) : send(routeKey, request));
    }
    String node = table[slot(routeKey)];
    return masters.computeIfAbsent(node, this::client).send(request).recover(e -> {
      if (redirected(e)) {
        refreshSoon();
        return redis.send(request);
      }
      if (!(e instanceof Response)) {
        // No reply at all: the master is down, or no longer where the table says.
        refreshSoon();
      }
      return Future.failedFuture(e);
    });
  }

  /**
   * Sends {@code requests}, whose keys all hash like {@code routeKey}, back to back to the master
   * serving them. Without redirects: a MOVED or ASK answer fails the batch (and the slot table is read
   * again), so a caller falls back on single commands, which follow them.
   */
  Future<List<Response>> batch(String routeKey, List<Request> requests) {
    if (!cluster) {
      return single.batch(requests);
    }
    String[] table = owners;
    if (table == null) {
      return refresh().transform(done -> owners == null
          ? Future.failedFuture(ErrorType.create("CLUSTERDOWN no slot table yet")) : batch(routeKey, requests));
    }
    return masters.computeIfAbsent(table[slot(routeKey)], this::client).batch(requests).recover(e -> {
      if (!(e instanceof Response) || redirected(e) || e.getMessage() != null && e.getMessage().contains("MOVED")) {
        refreshSoon();
      }
      return Future.failedFuture(e);
    });
  }

  /** The client for commands without a key, and for whole-store work. */
  Redis client() {
    return redis;
  }

  Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    masters.values().forEach(m -> closing.add(m.close()));
    if (single != null) {
      closing.add(single.close());
    }
    closing.add(redis.close());
    return Future.join(closing).mapEmpty();
  }

  /** The cluster slot of a key: CRC16 of its hash tag ({@code {…}}, if any and not empty), mod 16384. */
  static int slot(String key) {
    int open = key.indexOf('{');
    if (open >= 0) {
      int close = key.indexOf('}', open + 1);
      if (close > open + 1) {
        return Masters.slot(key.substring(open + 1, close));
      }
    }
    return Masters.slot(key);
  }

  private static boolean redirected(Throwable e) {
    String m = e instanceof Response r && r.type() == ResponseType.ERROR ? e.getMessage() : null;
    return m != null && (m.startsWith("MOVED") || m.startsWith("ASK") || m.startsWith("CLUSTERDOWN"));
  }

  private void refreshSoon() {
    synchronized (this) {
      if (refreshing != null || System.nanoTime() - lastRefresh < REFRESH_PAUSE_NANOS) {
        return;
      }
    }
    refresh();
  }

  /** Reads the slot table from the first master or seed that answers; one read at a time. */
  private Future<Void> refresh() {
    synchronized (this) {
      if (refreshing != null) {
        return refreshing;
      }
      lastRefresh = System.nanoTime();
      List<String> sources = new ArrayList<>(masters.keySet());
      seeds.forEach(s -> sources.add(hostPort(s)));
      Future<Void> read = readFrom(sources, 0);
      refreshing = read;
      read.onComplete(done -> {
        synchronized (this) {
          if (refreshing == read) {
            refreshing = null;
          }
        }
      });
      return read;
    }
  }

  private Future<Void> readFrom(List<String> sources, int i) {
    if (i >= sources.size()) {
      return Future.failedFuture("no node answered CLUSTER SLOTS");
    }
    return masters.computeIfAbsent(sources.get(i), this::client)
        .send(Request.cmd(Command.CLUSTER).arg("SLOTS"))
        .<Void>map(slots -> {
          String[] table = new String[Masters.SLOTS];
          for (Response range : slots) {
            Response master = range.get(2);
            String node = master.get(0) + ":" + master.get(1);
            for (int s = range.get(0).toInteger(); s <= range.get(1).toInteger(); s++) {
              table[s] = node;
            }
          }
          for (String owner : table) {
            if (owner == null) {
              throw new IllegalStateException("CLUSTER SLOTS leaves slots without a master");
            }
          }
          owners = table;
          return null;
        })
        .recover(e -> readFrom(sources, i + 1));
  }

  /** The connections to one master, with the seed's scheme, credentials and options. */
  private LoopConnections client(String hostPort) {
    URI seed = URI.create(seeds.get(0));
    String userInfo = seed.getRawUserInfo() == null ? "" : seed.getRawUserInfo() + "@";
    RedisOptions o = new RedisOptions(template).setType(RedisClientType.STANDALONE)
        .setEndpoints(List.of(seed.getScheme() + "://" + userInfo + hostPort));
    return new LoopConnections(vertx, o, staleMillis);
  }

  private static String hostPort(String uri) {
    URI u = URI.create(uri);
    return u.getHost() + ":" + (u.getPort() < 0 ? 6379 : u.getPort());
  }
}
