package io.warpgw;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.warpgw.config.GatewayConfig;
import io.warpgw.http.InvalidRequests;

/** One HTTP server instance; several share the port, one per event loop. start = listen, stop = close. */
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
    server = vertx.createHttpServer(options)
        .requestHandler(routerFactory.apply(vertx))
        .invalidRequestHandler(r -> InvalidRequests.handle(r, config.maxRequestLine(), config.maxHeaderSize()));
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  int actualPort() {
    return server.actualPort();
  }
}
