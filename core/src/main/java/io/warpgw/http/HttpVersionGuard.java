package io.warpgw.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a request line with a version other than HTTP/1.0 or HTTP/1.1 ({@code GET / HTTP/2.0},
 * {@code HTTP/1.2}, {@code HTTP/9.9}, a {@code PRI * HTTP/2.0} that is not the complete h2c preface)
 * into an invalid request, so {@link InvalidRequests} answers it with the envelope (505, 1009).
 *
 * <p>Why a Netty handler: Netty decodes any {@code HTTP/x.y} as a valid request, and Vert.x 5.0.7's
 * {@code Http1xServerRequestHandler} then answers it itself with a bare, empty 501 (status line
 * echoing the unknown version) before the request handler or {@code invalidRequestHandler} runs. No
 * public Vert.x API reaches that decision: it is skipped only when a WebSocket handler is set, which
 * would hand {@code Upgrade: websocket} requests to Vert.x's own bare 400 instead. So each HTTP/1.x
 * connection gets this handler in front of Vert.x's, from {@code HttpServer.connectionHandler}: it runs
 * on the event loop before the connection reads its first request. The request keeps flowing to
 * Vert.x, marked as failed by the decoder and spoken as HTTP/1.1, so the answer has a valid status
 * line and the connection is closed after it, like every request the decoder rejects.
 */
@ChannelHandler.Sharable
public final class HttpVersionGuard extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVersionGuard.class);
  private static final HttpVersionGuard INSTANCE = new HttpVersionGuard();
  private static final String NAME = "warpgw-http-version-guard";
  /** Vert.x's name for its connection handler, the last of an HTTP/1.x pipeline. */
  private static final String VERTX_HANDLER = "handler";
  private static volatile boolean warned;

  private HttpVersionGuard() {}

  /** For {@code HttpServer.connectionHandler}: installs the guard on an HTTP/1.x connection. */
  public static void install(HttpConnection connection) {
    // ConnectionBase is Vert.x's implementation class (io.vertx.core.net.impl): the one way to the
    // channel of an HTTP connection in 5.0.x. HttpVersionTest fails if an upgrade takes it away.
    if (!(connection instanceof ConnectionBase base)) {
      if (!warned) {
        warned = true;
        LOG.warn("cannot reach the pipeline of {}: requests with an unknown HTTP version get Vert.x's bare 501",
            connection.getClass().getName());
      }
      return;
    }
    ChannelPipeline pipeline = base.channelHandlerContext().pipeline();
    // HTTP/2 connections (h2c, ALPN) have no request decoder and no version to check.
    if (pipeline.get("httpDecoder") != null && pipeline.get(NAME) == null && pipeline.get(VERTX_HANDLER) != null) {
      pipeline.addBefore(VERTX_HANDLER, NAME, INSTANCE);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      HttpVersion version = request.protocolVersion();
      if (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0) {
        if (request.decoderResult().isSuccess()) {
          request.setDecoderResult(DecoderResult.failure(new UnsupportedVersion(version.text())));
        }
        // Vert.x echoes the request's version in the status line: an answer must start "HTTP/1.1",
        // also when the decoder rejected the request for another reason (a control byte, a header).
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
      }
    }
    ctx.fireChannelRead(msg);
  }

  /** The decoder failure {@link InvalidRequests} turns into 505 (1009). */
  public static final class UnsupportedVersion extends RuntimeException {
    UnsupportedVersion(String version) {
      super(version, null, false, false);
    }

    /** The version as the client wrote it, e.g. {@code HTTP/2.0}. */
    public String version() {
      return getMessage();
    }
  }
}
