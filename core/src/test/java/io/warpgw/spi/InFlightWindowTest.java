package io.warpgw.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The in-flight window of bulk loads")
class InFlightWindowTest {
  @Test
  @DisplayName("answers at once below the limit, at the limit when the oldest finishes; drains all")
  void limit() {
    InFlightWindow window = new InFlightWindow(2);
    List<Promise<Void>> ops = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ops.add(Promise.promise());
    }
    assertThat(window.add(ops.get(0).future()).succeeded()).isTrue();
    Future<Void> room = window.add(ops.get(1).future());
    assertThat(room.isComplete()).as("two in flight: wait for the oldest").isFalse();
    ops.get(1).complete();
    assertThat(room.isComplete()).as("the newer one finishing does not make room").isFalse();
    ops.get(0).complete();
    assertThat(room.succeeded()).isTrue();
    assertThat(window.add(ops.get(2).future()).succeeded()).isTrue();
    Future<Void> drained = window.drained();
    assertThat(drained.isComplete()).isFalse();
    ops.get(2).complete();
    assertThat(drained.succeeded()).isTrue();
  }

  @Test
  @DisplayName("a failed operation fails the next add and the drain")
  void failure() {
    InFlightWindow window = new InFlightWindow(4);
    Promise<Void> op = Promise.promise();
    window.add(op.future());
    op.fail(new IllegalStateException("batch refused"));
    Future<Void> next = window.add(Future.succeededFuture());
    assertThat(next.failed()).isTrue();
    assertThat(next.cause()).hasMessage("batch refused");
    assertThat(window.drained().cause()).hasMessage("batch refused");
  }
}
