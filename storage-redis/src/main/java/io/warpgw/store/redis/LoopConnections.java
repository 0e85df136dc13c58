package io.warpgw.store.redis;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import io.vertx.redis.client.impl.PooledRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands for one Redis server (a standalone server, the sentinels' master, one cluster
 * master), sent over one long-lived connection per event loop, pipelined: every command sent from
 * an event loop goes out at once on that loop's connection, and its answer arrives on that loop.
 *
 * <p>Why not the client's pool, one leased connection per command: a lease, a send and a release
 * per command, each a few futures, the lease now and then on another event loop than the caller's
 * (a hand-over between threads and a wake-up both ways), and one connection with one command in
 * flight per read; the bench measured about three times the memory store's CPU per GET. On one
 * connection the answers to the commands a loop has in flight come in with one read.
 *
 * <p>A connection that closes or fails is dropped: the commands in flight on it fail (503, as the
 * store translates a lost connection), and the loop's next command connects anew, so a restarted
 * server is used again at once. So is one that keeps commands in flight without answering any of
 * them for {@code timeout-ms} (a peer gone without a reset: nothing else would ever notice), and
 * one that answers READONLY (a master demoted by a failover, which sentinel mode finds anew on
 * connecting). Commands from outside the event loops (a worker, a test's main thread) take a pooled
 * connection as before.
 */
final class LoopConnections {
  private static final Logger LOG = LoggerFactory.getLogger(LoopConnections.class);
  /**
   * The pool that lends the loop connections only ever holds one per event loop that sends, so it
   * needs no limit of its own; this bound only guards against a bug that would leak them.
   */
  private static final int MAX_LOOPS = 1024;

  private final Vertx vertx;
  /** Lends the loops their connections; also serves the callers off the event loops. */
  private final Redis client;
  private final long staleNanos;
  private final long watchMillis;
  private final Map<Thread, Loop> loops = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param options the server's options; the pool built from them lends the loops their connections
   *     and serves the callers off the event loops, whose number the store's in-flight limit
   *     ({@code pool-size}) bounds
   * @param staleMillis how long a connection may keep commands in flight without any answer
   */
  LoopConnections(Vertx vertx, RedisOptions options, long staleMillis) {
    this.vertx = vertx;
    int poolSize = options.getMaxPoolSize() + MAX_LOOPS;
    RedisOptions o = new RedisOptions(options)
        .setMaxPoolSize(poolSize)
        // The sentinel client insists on at least as many waiters as connections.
        .setMaxPoolWaiting(Math.max(options.getMaxPoolWaiting(), poolSize))
        // A loop's commands in flight all wait on its one connection; the in-flight limit (pool-size)
        // keeps them far below this.
        .setMaxWaitingHandlers(Math.max(options.getMaxWaitingHandlers(), 2 * options.getMaxPoolSize()));
    this.client = Redis.createClient(vertx, o);
    this.staleNanos = TimeUnit.MILLISECONDS.toNanos(staleMillis);
    this.watchMillis = Math.max(50, staleMillis / 4);
  }

  Future<Response> send(Request request) {
    Loop loop = loop();
    return loop == null ? client.send(request) : loop.send(request);
  }

  /** Sends {@code requests} back to back, in one write: nothing else on the connection comes between. */
  Future<List<Response>> batch(List<Request> requests) {
    Loop loop = loop();
    return loop == null ? client.batch(requests) : loop.batch(requests);
  }

  /** The calling event loop's, or null off the event loops. */
  private Loop loop() {
    Context context = Vertx.currentContext();
    if (closed || context == null || !context.isEventLoopContext() || !Context.isOnEventLoopThread()) {
      return null;
    }
    // Each loop reads and writes only its own entry, so get-then-put does not race.
    Thread thread = Thread.currentThread();
    Loop loop = loops.get(thread);
    if (loop == null) {
      loop = new Loop();
      loops.put(thread, loop);
    }
    return loop;
  }

  Future<Void> close() {
    closed = true;
    List<Future<Void>> closing = new ArrayList<>();
    loops.values().forEach(loop -> closing.add(loop.close()));
    return Future.join(closing).transform(done -> client.close());
  }

  /** One event loop's connection; touched only on that loop, but for {@link #close()}. */
  private final class Loop {
    /** The connection, or its connecting; null before the first command and after a loss. */
    private volatile Future<RedisConnection> connection;
    private int inFlight;
    /** When the last answer came in, or the first command went out after none were in flight. */
    private long progressAt;
    private volatile long watch = -1;

    Future<Response> send(Request request) {
      Future<RedisConnection> current = connection == null ? connect() : connection;
      return track(current, current.compose(c -> c.send(request)));
    }

    Future<List<Response>> batch(List<Request> requests) {
      Future<RedisConnection> current = connection == null ? connect() : connection;
      return track(current, current.compose(c -> c.batch(requests)));
    }

    /** Counts {@code sent} in flight until it completes, and drops the connection if it was lost. */
    private <T> Future<T> track(Future<RedisConnection> current, Future<T> sent) {
      if (inFlight++ == 0) {
        progressAt = System.nanoTime();
      }
      return sent.andThen(done -> {
        inFlight--;
        progressAt = System.nanoTime();
        if (done.failed() && lost(done.cause())) {
          drop(current, done.cause());
        }
      });
    }

    private Future<RedisConnection> connect() {
      Future<RedisConnection> connecting = client.connect();
      connection = connecting;
      if (watch < 0) {
        watch = vertx.setPeriodic(watchMillis, id -> watch());
      }
      return connecting.andThen(done -> {
        if (done.failed()) {
          forget(connecting);
          return;
        }
        RedisConnection c = done.result();
        c.exceptionHandler(e -> drop(connecting, e));
        c.endHandler(v -> drop(connecting, null));
        if (closed) {
          drop(connecting, null);
        }
      });
    }

    /** A command failed without an answer from Redis, or with one saying this is no master. */
    private boolean lost(Throwable e) {
      if (!(e instanceof Response r) || r.type() != ResponseType.ERROR) {
        return true;
      }
      String m = e.getMessage();
      return m != null && (m.startsWith("READONLY") || m.startsWith("CONNECTION_CLOSED"));
    }

    /** Commands in flight and no answer for the stale time: the connection is as good as gone. */
    private void watch() {
      if (connection != null && inFlight > 0 && System.nanoTime() - progressAt > staleNanos) {
        Future<RedisConnection> stale = connection;
        LOG.warn("a Redis connection had {} command(s) in flight and no answer for {} ms; replacing it",
            inFlight, TimeUnit.NANOSECONDS.toMillis(staleNanos));
        progressAt = System.nanoTime();
        drop(stale, null);
      }
    }

    /** Closes {@code which} if it is still this loop's connection; the next command connects anew. */
    private void drop(Future<RedisConnection> which, Throwable cause) {
      if (connection != which) {
        return;
      }
      connection = null;
      if (cause != null && !closed) {
        LOG.warn("a Redis connection failed: {}", cause.toString());
      }
      which.onSuccess(LoopConnections::forceClose);
    }

    private void forget(Future<RedisConnection> which) {
      if (connection == which) {
        connection = null;
      }
    }

    Future<Void> close() {
      if (watch >= 0) {
        vertx.cancelTimer(watch);
      }
      Future<RedisConnection> last = connection;
      return last == null ? Future.succeededFuture()
          : last.<Void>map(c -> {
            forceClose(c);
            return null;
          }).otherwiseEmpty();
    }
  }

  /**
   * Closes the socket itself: {@link RedisConnection#close()} would hand a pooled connection back to
   * the pool, stuck or not.
   */
  private static void forceClose(RedisConnection c) {
    if (c instanceof PooledRedisConnection pooled) {
      pooled.actual().forceClose();
    } else {
      c.close();
    }
  }
}
