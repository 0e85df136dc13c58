package io.warpgw.launcher;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.warpgw.store.postgres.PostgresTestServer;
import io.warpgw.store.redis.RedisTestServer;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A store the jar is pointed at by a test: the {@code storage} section of its config, and a look at the
 * store from outside the gateway, through the store's own client (vertx-pg-client, vertx-redis-client),
 * from a test thread.
 */
abstract class StoreUnderTest implements AutoCloseable {
  enum Kind {
    MEMORY, POSTGRES, REDIS;

    StoreUnderTest start(Vertx vertx) {
      return switch (this) {
        case MEMORY -> new Memory();
        case POSTGRES -> new Postgres(vertx);
        case REDIS -> new RedisStore(vertx);
      };
    }

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The {@code storage} section of gateway.yaml, at column 0; empty for the default memory store. */
  abstract String yaml();

  /** Whether what a gateway wrote outlives it, for a new gateway on the same store to read. */
  abstract boolean durable();

  /**
   * How many connections gateways hold to the store right now, as the store sees them; empty for the
   * memory store, which has none.
   */
  abstract OptionalLong gatewayConnections();

  /**
   * Sessions that ended without the client saying goodbye, its connection just gone, as when a process
   * dies with its pool open: PostgreSQL counts them per database (from 14 on); empty elsewhere.
   */
  OptionalLong abandonedSessions() {
    return OptionalLong.empty();
  }

  @Override
  public void close() {}

  private static final class Memory extends StoreUnderTest {
    @Override
    String yaml() {
      return "";
    }

    @Override
    boolean durable() {
      return false;
    }

    @Override
    OptionalLong gatewayConnections() {
      return OptionalLong.empty();
    }
  }

  /** A database of its own on the embedded server, so every other session on it is a gateway's. */
  private static final class Postgres extends StoreUnderTest {
    private final Vertx vertx;
    private final String uri = PostgresTestServer.freshDatabase();

    Postgres(Vertx vertx) {
      this.vertx = vertx;
    }

    @Override
    String yaml() {
      return "storage:\n  type: postgres\n  postgres:\n    uri: \"" + uri + "\"\n";
    }

    @Override
    boolean durable() {
      return true;
    }

    @Override
    OptionalLong gatewayConnections() {
      return count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
    }

    /** A pool closed in order sends Terminate on each connection; a connection merely dropped counts here. */
    @Override
    OptionalLong abandonedSessions() {
      return count("SELECT sessions_abandoned FROM pg_stat_database WHERE datname = current_database()");
    }

    private OptionalLong count(String sql) {
      PgConnection c = PgConnection.connect(vertx, PgConnectOptions.fromUri(uri)).await();
      try {
        return OptionalLong.of(c.query(sql).execute().await().iterator().next().getLong(0));
      } finally {
        c.close().await();
      }
    }
  }

  /**
   * A redis-server of its own (unless {@code TEST_REDIS_URI} names a shared one). Client ids only grow,
   * so the clients newer than the probe's connection, made before any gateway, are the gateways'.
   */
  private static final class RedisStore extends StoreUnderTest {
    private static final Pattern ID = Pattern.compile("(?m)^id=(\\d+) ");
    private final RedisTestServer server = RedisTestServer.start();
    private final Redis client;
    private final RedisConnection probe;
    private final long probeId;

    RedisStore(Vertx vertx) {
      client = Redis.createClient(vertx, server.uri());
      probe = client.connect().await();
      probeId = probe.send(Request.cmd(Command.CLIENT).arg("ID")).await().toLong();
    }

    @Override
    String yaml() {
      return "storage:\n  type: redis\n  redis:\n    endpoints: [\"" + server.uri() + "\"]\n    key-prefix: \""
          + server.keyPrefix() + "\"\n";
    }

    @Override
    boolean durable() {
      return true;
    }

    @Override
    OptionalLong gatewayConnections() {
      Matcher m = ID.matcher(probe.send(Request.cmd(Command.CLIENT).arg("LIST")).await().toString());
      long n = 0;
      while (m.find()) {
        if (Long.parseLong(m.group(1)) > probeId) {
          n++;
        }
      }
      return OptionalLong.of(n);
    }

    @Override
    public void close() {
      probe.close().await();
      client.close().await();
      server.close();
    }
  }
}
