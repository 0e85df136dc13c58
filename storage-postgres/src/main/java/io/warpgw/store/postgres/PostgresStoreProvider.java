package io.warpgw.store.postgres;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.warpgw.spi.RegistrationStore;
import io.warpgw.spi.RegistrationStoreProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code storage.type: postgres}. Creating a store validates the config, migrates the schema (on a
 * worker thread: Flyway speaks blocking JDBC), then opens the pool.
 */
public final class PostgresStoreProvider implements RegistrationStoreProvider {
  public static final String NAME = "postgres";
  private static final Logger LOG = LoggerFactory.getLogger(PostgresStoreProvider.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<RegistrationStore> create(Vertx vertx, JsonObject config) {
    PostgresStoreConfig typed;
    try {
      typed = PostgresStoreConfig.from(config);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return vertx.executeBlocking(() -> SchemaMigrations.apply(typed), false)
        .compose(searchIndexed -> {
          if (!searchIndexed) {
            LOG.warn("search on {} has no trigram index (pg_trgm missing; see the migration log) "
                + "and scans each account's registrations instead", typed.describe());
          }
          LOG.info("PostgreSQL store on {}: pool of {} and {} pipelined connection(s) for reads by "
              + "id, statement timeout {} ms", typed.describe(), typed.poolSize(),
              Math.min(PostgresRegistrationStore.KEYED_CONNECTIONS, typed.poolSize()),
              typed.statementTimeoutMs());
          return PostgresRegistrationStore.open(vertx, typed).map(store -> (RegistrationStore) store);
        });
  }
}
