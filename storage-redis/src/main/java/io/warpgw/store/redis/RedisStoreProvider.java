package io.warpgw.store.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import io.warpgw.spi.RegistrationStore;
import io.warpgw.spi.RegistrationStoreProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code storage.type: redis}: standalone, sentinel or cluster, see {@link RedisStoreConfig}. */
public final class RedisStoreProvider implements RegistrationStoreProvider {
  public static final String NAME = "redis";
  private static final Logger LOG = LoggerFactory.getLogger(RedisStoreProvider.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<RegistrationStore> create(Vertx vertx, JsonObject config) {
    RedisStoreConfig c;
    try {
      c = RedisStoreConfig.from(config);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return create(vertx, c, ListScan.Limits.DEFAULT);
  }

  static Future<RegistrationStore> create(Vertx vertx, RedisStoreConfig c, ListScan.Limits limits) {
    RedisOptions options = options(c);
    boolean cluster = c.mode() == RedisStoreConfig.Mode.CLUSTER;
    SlotRouter router = new SlotRouter(vertx, Redis.createClient(vertx, options), cluster, options,
        c.timeoutMillis());
    RedisRegistrationStore store = new RedisRegistrationStore(router, new Keys(c.keyPrefix()), c.timeoutMillis(),
        limits, new InFlightLimit(c.poolSize(), c.maxWaitQueue()), cluster);
    // Fail the start, not the first request, when Redis cannot be reached at all.
    return store.ping()
        .<RegistrationStore>map(ok -> {
          LOG.info("redis store ready: {}", c.describe());
          return store;
        })
        .recover(e -> store.close().transform(ignored -> Future.failedFuture(new IllegalStateException(
            "cannot reach Redis at " + c.describe() + ": " + e.getMessage(), e))));
  }

  static RedisOptions options(RedisStoreConfig c) {
    RedisOptions o = new RedisOptions()
        .setType(switch (c.mode()) {
          case STANDALONE -> RedisClientType.STANDALONE;
          case SENTINEL -> RedisClientType.SENTINEL;
          case CLUSTER -> RedisClientType.CLUSTER;
        })
        .setEndpoints(c.endpoints())
        .setMaxPoolSize(c.poolSize())
        .setMaxPoolWaiting(c.maxWaitQueue());
    // Notices a peer that vanished without closing the connection (host down, partition).
    o.getNetClientOptions().setTcpKeepAlive(true);
    if (c.mode() == RedisStoreConfig.Mode.SENTINEL) {
      o.setMasterName(c.masterName()).setRole(RedisRole.MASTER);
    }
    return o;
  }
}
