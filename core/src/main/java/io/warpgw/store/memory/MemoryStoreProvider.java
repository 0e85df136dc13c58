package io.warpgw.store.memory;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.warpgw.spi.RegistrationStore;
import io.warpgw.spi.RegistrationStoreProvider;

/** {@code storage.type: memory}, the default: no configuration, nothing to connect to. */
public final class MemoryStoreProvider implements RegistrationStoreProvider {
  public static final String NAME = "memory";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<RegistrationStore> create(Vertx vertx, JsonObject config) {
    return Future.succeededFuture(new MemoryRegistrationStore(vertx));
  }
}
