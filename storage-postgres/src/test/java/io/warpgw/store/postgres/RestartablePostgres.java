package io.warpgw.store.postgres;

import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;

/**
 * An embedded PostgreSQL of a test's own that it may stop and start again on the same port and data
 * directory, as an outage and its end look to the gateway. The shared {@link PostgresTestServer} must
 * never stop, so fault tests use this instead.
 */
final class RestartablePostgres implements AutoCloseable {
  private final int port;
  private final File dataDir;
  private EmbeddedPostgres server;

  private RestartablePostgres(int port, File dataDir) {
    this.port = port;
    this.dataDir = dataDir;
  }

  static RestartablePostgres start(String name) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    RestartablePostgres pg = new RestartablePostgres(port, Files.createTempDirectory(name).toFile());
    pg.restart();
    return pg;
  }

  /** The store's config for this server: pool size, wait queue, and one timeout for connecting and for statements. */
  JsonObject storeConfig(int poolSize, int maxWaitQueue, int timeoutMs) {
    return new JsonObject()
        .put("uri", "postgresql://postgres@localhost:" + port + "/postgres")
        .put("pool-size", poolSize)
        .put("max-wait-queue", maxWaitQueue)
        .put("statement-timeout", timeoutMs)
        .put("connect-timeout", timeoutMs);
  }

  /** Stops the server (a fast shutdown: open connections are cut). */
  void stop() throws IOException {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Starts it again on the same port and data. */
  void restart() throws IOException {
    server = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDir)
        .setCleanDataDirectory(false).start();
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
