package io.warpgw.contract;

import static io.warpgw.contract.StoreAwait.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warpgw.spi.RegistrationStore;
import io.warpgw.testkit.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * What every HTTP-level kit needs: the store under test, built once per class by the store module's
 * {@link #createStore} hook, and a {@link TestGateway} over it; all closed after the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class GatewayKit {
  protected Vertx vertx;
  protected RegistrationStore store;
  protected TestGateway gateway;

  /** Builds the store under test; called once per test class. */
  protected abstract Future<RegistrationStore> createStore(Vertx vertx);

  @BeforeAll
  void startGateway() {
    vertx = Vertx.vertx();
    store = await(createStore(vertx));
    gateway = await(TestGateway.start(vertx, store));
  }

  @AfterAll
  void stopGateway() {
    if (gateway != null) {
      await(gateway.close());
    }
    if (store != null) {
      await(store.close());
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }
}
