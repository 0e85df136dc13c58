package io.warpgw.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SilentConnectionReaperTest {
  /** Stands for Vert.x's handler, which closes the connection on a read-idle event. */
  private static final class Closer extends ChannelInboundHandlerAdapter {
    final List<Object> events = new ArrayList<>();

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      events.add(evt);
    }
  }

  @Test
  @DisplayName("read idle closes a connection only while an answer is awaited, never an idle pooled one")
  void onlyWhileAwaiting() {
    Closer closer = new Closer();
    EmbeddedChannel channel = new EmbeddedChannel(new SilentConnectionReaper.OnlyWhileAwaiting(), closer);

    channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
    assertThat(closer.events).as("a connection nobody used").isEmpty();

    channel.writeOutbound("query");
    channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
    assertThat(closer.events).as("a query without an answer").containsExactly(IdleStateEvent.READER_IDLE_STATE_EVENT);

    channel.writeInbound("answer");
    channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
    assertThat(closer.events).as("answered, then idle in the pool").hasSize(1);
    channel.finishAndReleaseAll();
  }
}
