package io.warpgw.launcher;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.warpgw.metrics.GatewayMetrics;
import io.vertx.core.json.JsonObject;
import io.warpgw.Gateway;
import io.warpgw.config.ConfigException;
import io.warpgw.config.GatewayConfig;
import io.warpgw.spi.RegistrationStore;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar gateway.jar [serve|seed] [--config FILE] [options]}. Exits non-zero, saying why,
 * when the config is invalid or the store cannot start.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    CommandLine cli;
    try {
      cli = CommandLine.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(CommandLine.USAGE);
      System.exit(2);
      return;
    }
    if (cli.help()) {
      System.out.println(CommandLine.USAGE);
      return;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = vertx(registry);
    try {
      run(vertx, cli, new GatewayMetrics(registry));
    } catch (ConfigException | IllegalArgumentException e) {
      LOG.error("cannot start: {}", e.getMessage());
      exit(vertx, 2);
    } catch (RuntimeException e) {
      LOG.error("cannot start: {}", e.getMessage(), e);
      exit(vertx, 1);
    }
  }

  /**
   * Vert.x with its own meters (client pools and their wait queues, connections, JVM) in the registry
   * that /metrics scrapes. HTTP server meters are the gateway's own, per route, so Vert.x's are off.
   */
  private static Vertx vertx(PrometheusMeterRegistry registry) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setDisabledMetricsCategories(java.util.Set.of(MetricsDomain.HTTP_SERVER.toCategory(),
            MetricsDomain.NET_SERVER.toCategory(), MetricsDomain.EVENT_BUS.toCategory()));
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }

  private static void run(Vertx vertx, CommandLine cli, GatewayMetrics metrics) {
    if (cli.command().equals("copy")) {
      copy(vertx, cli);
      return;
    }
    JsonObject tree = ConfigLoader.load(vertx, cli.configFile()).await();
    GatewayConfig config = GatewayConfig.from(tree);
    RegistrationStore store = StoreLoader.select(config.storageType())
        .create(vertx, config.storageConfig()).await();
    switch (cli.command()) {
      case "seed" -> {
        new Seeder(vertx, store).seed(cli.seeding(), cli.seed()).await();
        store.close().await();
        exit(vertx, 0);
      }
      case "serve" -> serve(vertx, cli, config, store, metrics);
      default -> throw new IllegalArgumentException("unknown command " + cli.command());
    }
  }

  /** Each side's store comes from its file alone: an environment override would apply to both. */
  private static void copy(Vertx vertx, CommandLine cli) {
    RegistrationStore from = store(vertx, cli.from());
    RegistrationStore to = store(vertx, cli.to());
    long started = System.nanoTime();
    Copier.Result r = new Copier(from, to).copy(cli.account()).await();
    double secs = (System.nanoTime() - started) / 1e9;
    LOG.info("copied {} registrations of {} account(s) in {} s ({} were already in the target); counts check out",
        r.copied(), r.accounts(), String.format("%.1f", secs), r.alreadyThere());
    from.close().await();
    to.close().await();
    exit(vertx, 0);
  }

  private static RegistrationStore store(Vertx vertx, java.nio.file.Path file) {
    GatewayConfig config = GatewayConfig.from(ConfigLoader.loadFile(vertx, file).await());
    return StoreLoader.select(config.storageType()).create(vertx, config.storageConfig()).await();
  }

  private static void serve(Vertx vertx, CommandLine cli, GatewayConfig config, RegistrationStore store,
      GatewayMetrics metrics) {
    if (cli.seeding() != null) {
      new Seeder(vertx, store).seed(cli.seeding(), cli.seed()).await();
    }
    Gateway gateway = Gateway.start(vertx, store, config, metrics, java.time.Clock.systemUTC()).await();
    LOG.info("serving the {} store on {}://{}:{}; give clients the base URL {}", config.storageType(),
        config.tls() ? "https" : "http", config.host(), gateway.port(), gateway.baseUrl());
    if (config.cursorSecret() == null) {
      LOG.info("cursor.secret is not set: cursors are signed with a key made for this run only;"
          + " set it to share cursors between gateway instances");
    }
    if (gateway.generatedToken() != null) {
      LOG.info("no auth.tokens configured: generated a write token for all accounts (valid until restart): {}",
          gateway.generatedToken());
    }
    Stopper stopper = new Stopper(vertx, gateway, store, config.shutdownGrace());
    // SIGTERM is how a process manager asks for a stop: handled here so a clean stop exits 0 rather
    // than the JVM's 143. The hook covers every other way out (SIGINT, System.exit elsewhere).
    stopper.onSignal("TERM");
    Runtime.getRuntime().addShutdownHook(new Thread(stopper::awaitStopped, "gateway-shutdown"));
  }

  /** Stops once, whoever asks first: listeners first (in-flight requests finish), then the store, then Vert.x. */
  private static final class Stopper {
    private final Vertx vertx;
    private final Gateway gateway;
    private final RegistrationStore store;
    private final int graceSeconds;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();

    Stopper(Vertx vertx, Gateway gateway, RegistrationStore store, int graceSeconds) {
      this.vertx = vertx;
      this.gateway = gateway;
      this.store = store;
      this.graceSeconds = graceSeconds;
    }

    void onSignal(String name) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
          // Not on the signal thread: System.exit waits for shutdown hooks, which wait for this stop.
          Thread t = new Thread(() -> {
            awaitStopped();
            System.exit(0);
          }, "gateway-stop-" + name);
          t.start();
        });
      } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
        LOG.debug("cannot handle SIG{} here; the shutdown hook stops the gateway", name, e);
      }
    }

    void awaitStopped() {
      if (started.compareAndSet(false, true)) {
        LOG.info("stopping: no new connections; finishing requests in flight (up to {} s, http.shutdown-grace)",
            graceSeconds);
        long t0 = System.nanoTime();
        gateway.close()
            .eventually(store::close)
            .eventually(vertx::close)
            .onComplete(ar -> {
              if (ar.failed()) {
                LOG.warn("stopping: {}", ar.cause().toString());
              }
              LOG.info("stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
              stopped.countDown();
            });
      }
      try {
        // The grace bounds the listeners; the rest bounds store and Vert.x, so a stuck pool cannot hang the exit.
        stopped.await(graceSeconds + 15L, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void exit(Vertx vertx, int code) {
    vertx.close().onComplete(ar -> System.exit(code));
    try {
      Thread.sleep(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.exit(code);
  }

}
