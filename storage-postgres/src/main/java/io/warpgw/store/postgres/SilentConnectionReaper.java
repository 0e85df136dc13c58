package io.warpgw.store.postgres;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.Handler;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.internal.Connection;
import io.vertx.sqlclient.internal.SqlConnectionInternal;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a pooled connection that is waiting for an answer and has heard nothing from the server for
 * longer than any statement may run. Without it, a connection whose answer was lost (a network
 * partition, a frozen host) stays leased after its caller timed out, until the kernel gives up on it
 * minutes later, and once every pooled connection is stuck so is the store.
 *
 * <p>A connection merely unused for that long is left alone: closing it raced with the pool lending
 * it, and the query that got it failed with 503 (seen once in a Gatling pagination walk, 4 walkers on
 * a pool of 16 whose other connections had gone quiet).
 *
 * <p>The read-idle timeout belongs in the NetClientOptions given to the pool builder, but
 * vertx-pg-client 5.0.7 ignores those (vertx-sql-client issue 1608, fixed in 5.0.10). Until the
 * gateway moves to that version this adds Netty's idle handler to each new connection itself, through
 * driver internals; if they ever differ it logs once and leaves connections as they are.
 */
final class SilentConnectionReaper implements Handler<SqlConnection> {
  private static final Logger LOG = LoggerFactory.getLogger(SilentConnectionReaper.class);
  private static final String VERTX_HANDLER = "handler";

  private final long readIdleMs;
  private final AtomicBoolean warned = new AtomicBoolean();

  SilentConnectionReaper(long readIdleMs) {
    this.readIdleMs = readIdleMs;
  }

  @Override
  public void handle(SqlConnection connection) {
    try {
      Connection socket = ((SqlConnectionInternal) connection).unwrap().unwrap();
      ChannelPipeline pipeline = ((SocketConnectionBase) socket).socket().channelHandlerContext()
          .pipeline();
      pipeline.addBefore(VERTX_HANDLER, "warp-gateway-read-idle",
          new IdleStateHandler(readIdleMs, 0, 0, TimeUnit.MILLISECONDS));
      pipeline.addBefore(VERTX_HANDLER, "warp-gateway-awaiting-answer", new OnlyWhileAwaiting());
    } catch (RuntimeException e) {
      if (warned.compareAndSet(false, true)) {
        LOG.warn("cannot watch PostgreSQL connections for lost answers ({}); a network partition "
            + "may hold pooled connections until the operating system drops them", e.toString());
      }
    } finally {
      // The pool lends a new connection to no one until its connect handler releases it.
      connection.close();
    }
  }

  /**
   * Lets the read-idle event through to Vert.x (which closes the connection) only when something was
   * written since the last thing read: a request whose answer is overdue, not an idle connection.
   */
  static final class OnlyWhileAwaiting extends ChannelDuplexHandler {
    private boolean awaiting;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
      awaiting = true;
      super.write(ctx, msg, promise);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      awaiting = false;
      super.channelRead(ctx, msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof IdleStateEvent && !awaiting) {
        return;
      }
      super.userEventTriggered(ctx, evt);
    }
  }
}
