package io.warpgw.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warpgw.contract.ConcurrencyContract;
import io.warpgw.spi.RegistrationStore;
import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;

/** The HTTP race on one Redis server; afterwards every key of the account is checked as well. */
class RedisConcurrencyTest extends ConcurrencyContract {
  private RedisTestServer server;

  @Override
  protected Future<RegistrationStore> createStore(Vertx vertx) {
    server = RedisTestServer.start();
    return new RedisStoreProvider().create(vertx, server.config());
  }

  @Override
  protected void checkStoreInternals(String account, Set<String> present) {
    URI uri = URI.create(server.uri());
    assertThat(AccountConsistency.check(uri.getHost(), uri.getPort(), new Keys(server.keyPrefix()), account))
        .as("registrations in Redis").containsExactlyInAnyOrderElementsOf(present);
  }

  @AfterAll
  void stopServer() {
    server.close();
  }
}
