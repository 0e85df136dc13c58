package io.warpgw;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.warpgw.auth.Authenticator;
import io.warpgw.auth.Credential;
import io.warpgw.auth.Permission;
import io.warpgw.config.GatewayConfig;
import io.warpgw.cursor.CursorCodec;
import io.warpgw.http.RateLimiter;
import io.warpgw.http.Routes;
import io.warpgw.http.Wiring;
import io.warpgw.admin.Faults;
import io.warpgw.admin.RequestJournal;
import io.warpgw.metrics.GatewayMetrics;
import io.warpgw.metrics.MeteredStore;
import io.warpgw.ratelimit.FailoverRateCounters;
import io.warpgw.ratelimit.LocalRateCounters;
import io.warpgw.spi.RateCounters;
import io.warpgw.spi.RegistrationStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running gateway: the HTTP verticles over one store. The store belongs to the caller, who closes
 * it after {@link #close()}.
 */
public final class Gateway {
  private static final AtomicInteger RANDOM_PORT_GROUPS = new AtomicInteger(-1);

  private final Vertx vertx;
  private final List<String> deployments;
  private final int port;
  private final GatewayConfig config;
  private final String generatedToken;
  private final GatewayMetrics metrics;

  private Gateway(Vertx vertx, List<String> deployments, int port, GatewayConfig config,
      String generatedToken, GatewayMetrics metrics) {
    this.vertx = vertx;
    this.deployments = deployments;
    this.port = port;
    this.config = config;
    this.generatedToken = generatedToken;
    this.metrics = metrics;
  }

  public static Future<Gateway> start(Vertx vertx, RegistrationStore store, GatewayConfig config) {
    return start(vertx, store, config, GatewayMetrics.create(), Clock.systemUTC());
  }

  public static Future<Gateway> start(Vertx vertx, RegistrationStore store, GatewayConfig config,
      GatewayMetrics metrics, Clock clock) {
    String generated = null;
    GatewayConfig effective = config;
    if (config.tokens().isEmpty() && config.keys().isEmpty()) {
      generated = randomSecret(32);
      Credential c = new Credential("generated", null, Authenticator.sha256(generated), Set.of("*"), Permission.WRITE);
      effective = config.withCredentials(List.of(c), List.of());
    }
    byte[] cursorSecret = config.cursorSecret() != null
        ? config.cursorSecret().getBytes(StandardCharsets.UTF_8)
        : randomSecret(32).getBytes(StandardCharsets.UTF_8);
    Authenticator auth = new Authenticator(effective.tokens(), effective.keys());
    CursorCodec cursors = new CursorCodec(cursorSecret);
    RateLimiter limiter = config.rateLimit().enabled() ? new RateLimiter(config.rateLimit(), counters(store, clock)) : null;
    GatewayConfig cfg = effective;
    RegistrationStore metered = new MeteredStore(store, cfg.storageType(), metrics.registry());
    Wiring wiring = new Wiring(cfg.basePath(), cfg.maxBodySize(), metered, cfg.storageType(), auth, limiter,
        cursors, metrics, new RequestJournal(cfg.journalSize()), Faults.from(cfg.faults()), clock);
    int instances = cfg.instances() > 0 ? cfg.instances() : Runtime.getRuntime().availableProcessors();
    String token = generated;
    // Port 0 becomes a negative port: Vert.x then shares one random free port among the instances that
    // give that same number, so each gateway takes a number of its own (two gateways in one Vert.x
    // would otherwise serve one port, requests going to either).
    GatewayConfig listen = cfg.port() == 0 ? cfg.withPort(RANDOM_PORT_GROUPS.getAndDecrement()) : cfg;
    List<GatewayVerticle> verticles = new java.util.concurrent.CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
          GatewayVerticle v = new GatewayVerticle(listen, vx -> Routes.create(vx, wiring));
          verticles.add(v);
          return v;
        }, new DeploymentOptions().setInstances(instances))
        .map(id -> new Gateway(vertx, List.of(id), verticles.get(0).actualPort(), cfg, token, metrics));
  }

  /** The store's shared counters when it has them (every gateway on it shares the budget), else this process's. */
  private static RateCounters counters(RegistrationStore store, Clock clock) {
    RateCounters local = new LocalRateCounters(clock::millis);
    return store.rateCounters().<RateCounters>map(shared -> new FailoverRateCounters(shared, local)).orElse(local);
  }

  public int port() {
    return port;
  }

  /** The base URL to give a client, e.g. {@code http://127.0.0.1:8080/client/v4}. */
  public String baseUrl() {
    return (config.tls() ? "https://" : "http://") + config.host() + ":" + port + config.basePath();
  }

  /** The token made at start when none was configured, else null. */
  public String generatedToken() {
    return generatedToken;
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  public Future<Void> close() {
    Future<Void> all = Future.succeededFuture();
    for (String id : deployments) {
      all = all.compose(v -> vertx.undeploy(id));
    }
    return all;
  }

  public static String randomSecret(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
