package io.warpgw;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.warpgw.config.GatewayConfig;
import io.warpgw.http.FailureHandler;
import io.warpgw.http.HttpVersionGuard;
import io.warpgw.http.InvalidRequests;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP server instance; several share the port, one per event loop. start = listen; stop = a
 * graceful shutdown: the port closes at once, each connection closes after the response it is
 * writing, and whatever is still open when {@code http.shutdown-grace} ends is closed.
 */
public final class GatewayVerticle extends VerticleBase {
  private final GatewayConfig config;
  private final java.util.function.Function<io.vertx.core.Vertx, Router> routerFactory;
  private HttpServer server;

  GatewayVerticle(GatewayConfig config, java.util.function.Function<io.vertx.core.Vertx, Router> routerFactory) {
    this.config = config;
    this.routerFactory = routerFactory;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setMaxInitialLineLength(config.maxRequestLine())
        .setMaxHeaderSize(config.maxHeaderSize())
        .setTcpNoDelay(true)
        .setReuseAddress(true);
    if (config.tls()) {
      options.setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.tlsCert()).setKeyPath(config.tlsKey()));
    }
    Router router = routerFactory.apply(vertx);
    FailureHandler.coverUnhandled(router);
    server = vertx.createHttpServer(options)
        .connectionHandler(HttpVersionGuard::install)
        .requestHandler(router)
        .invalidRequestHandler(r -> InvalidRequests.handle(r, config.maxRequestLine(), config.maxHeaderSize()));
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    // close() would be shutdown(0): it cuts requests in flight, including responses half written.
    return server == null ? Future.succeededFuture() : server.shutdown(config.shutdownGrace(), TimeUnit.SECONDS);
  }

  int actualPort() {
    return server.actualPort();
  }
}
