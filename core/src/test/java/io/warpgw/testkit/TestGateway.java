package io.warpgw.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.warpgw.Gateway;
import io.warpgw.auth.Authenticator;
import io.warpgw.config.GatewayConfig;
import io.warpgw.spi.RegistrationStore;

/**
 * A gateway on a free port of 127.0.0.1 over the store under test, with one credential of each kind:
 * a write token for all accounts, a read token, a write token scoped to {@link #SCOPED_ACCOUNT}, and a
 * legacy key pair. Two verticle instances, so requests really cross event loops.
 */
public final class TestGateway {
  public static final String SCOPED_ACCOUNT = "scoped-account";
  public static final String LEGACY_EMAIL = "ops@example.com";

  private final Gateway gateway;
  private final String writeToken;
  private final String readToken;
  private final String scopedToken;
  private final String legacyKey;
  private final String adminToken;

  private TestGateway(Gateway gateway, String write, String read, String scoped, String legacyKey, String admin) {
    this.gateway = gateway;
    this.writeToken = write;
    this.readToken = read;
    this.scopedToken = scoped;
    this.legacyKey = legacyKey;
    this.adminToken = admin;
  }

  public static Future<TestGateway> start(Vertx vertx, RegistrationStore store) {
    return start(vertx, store, new JsonObject());
  }

  /** @param overrides config merged over the test defaults (e.g. {@code cursor.secret}) */
  public static Future<TestGateway> start(Vertx vertx, RegistrationStore store, JsonObject overrides) {
    String write = Gateway.randomSecret(24);
    String read = Gateway.randomSecret(24);
    String scoped = Gateway.randomSecret(24);
    String key = Gateway.randomSecret(24);
    String admin = Gateway.randomSecret(24);
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", 2))
        .put("auth", new JsonObject()
            .put("tokens", new JsonArray()
                .add(token("writer", write, "*", "write"))
                .add(token("reader", read, "*", "read"))
                .add(token("scoped", scoped, SCOPED_ACCOUNT, "write"))
                .add(token("admin", admin, "*", "admin")))
            .put("keys", new JsonArray()
                .add(token("legacy", key, "*", "write").put("email", LEGACY_EMAIL))))
        .mergeIn(overrides, true);
    return Gateway.start(vertx, store, GatewayConfig.from(config))
        .map(g -> new TestGateway(g, write, read, scoped, key, admin));
  }

  private static JsonObject token(String name, String secret, String account, String permission) {
    return new JsonObject().put("name", name).put("sha256", Authenticator.sha256Hex(secret))
        .put("accounts", new JsonArray().add(account)).put("permission", permission);
  }

  public int port() {
    return gateway.port();
  }

  public String baseUrl() {
    return gateway.baseUrl();
  }

  /** {@code http://127.0.0.1:PORT}, for the operations endpoints outside the API prefix. */
  public String rootUrl() {
    return "http://127.0.0.1:" + gateway.port();
  }

  public String writeToken() {
    return writeToken;
  }

  public String readToken() {
    return readToken;
  }

  public String scopedToken() {
    return scopedToken;
  }

  /** A token with the admin permission (everything, plus /__admin). */
  public String adminToken() {
    return adminToken;
  }

  public String legacyKey() {
    return legacyKey;
  }

  public Gateway gateway() {
    return gateway;
  }

  public Future<Void> close() {
    return gateway.close();
  }
}
