package io.warpgw.spi;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Makes a {@link RegistrationStore}. Found through {@link java.util.ServiceLoader}: each store module
 * lists its provider in {@code META-INF/services/io.warpgw.spi.RegistrationStoreProvider}. The
 * constructor takes no arguments and does no I/O; all work happens in {@link #create}.
 */
public interface RegistrationStoreProvider {

  /** The value of {@code storage.type} that selects this store. */
  String name();

  /**
   * Validates {@code config} (the {@code storage.<name>} subtree, possibly empty), reporting every
   * problem at once, then connects and prepares the store.
   */
  Future<RegistrationStore> create(Vertx vertx, JsonObject config);
}
