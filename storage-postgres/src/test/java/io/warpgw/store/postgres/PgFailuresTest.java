package io.warpgw.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.warpgw.error.ApiError;
import io.warpgw.error.GatewayException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PgFailuresTest {
  @Test
  @DisplayName("outages and overload are UNAVAILABLE, cut-off statements TIMEOUT")
  void retryable() {
    assertThat(error(pg("57014"))).isEqualTo(ApiError.TIMEOUT);
    assertThat(error(new TimeoutException())).isEqualTo(ApiError.TIMEOUT);
    for (String state : new String[] {"57P01", "57P03", "08006", "53300", "58030", "25006", "40001",
        "40P01"}) {
      assertThat(error(pg(state))).as(state).isEqualTo(ApiError.UNAVAILABLE);
    }
    assertThat(error(new ConnectException("Connection refused"))).isEqualTo(ApiError.UNAVAILABLE);
    assertThat(error(ClosedConnectionException.INSTANCE)).isEqualTo(ApiError.UNAVAILABLE);
    assertThat(error(new ConnectionPoolTooBusyException("full"))).isEqualTo(ApiError.UNAVAILABLE);
    assertThat(error(new NoStackTraceThrowable("Timeout"))).isEqualTo(ApiError.UNAVAILABLE);
    assertThat(error(new VertxException("Timeout waiting for connection", true)))
        .isEqualTo(ApiError.UNAVAILABLE);
    assertThat(error(new VertxException("Connection is not active now, current status: CLOSED",
        true))).isEqualTo(ApiError.UNAVAILABLE);
  }

  @Test
  @DisplayName("defects pass through unchanged, to be reported as internal errors")
  void defects() {
    Throwable syntax = pg("42601");
    assertThat(PgFailures.translate(syntax)).isSameAs(syntax);
    Throwable params = new VertxException("The number of parameters to execute should be consistent",
        true);
    assertThat(PgFailures.translate(params)).isSameAs(params);
    Throwable npe = new NullPointerException();
    assertThat(PgFailures.translate(npe)).isSameAs(npe);
  }

  private static Throwable pg(String state) {
    return new PgException("message", "ERROR", state, null);
  }

  private static ApiError error(Throwable t) {
    Throwable translated = PgFailures.translate(t);
    assertThat(translated).isInstanceOf(GatewayException.class);
    return ((GatewayException) translated).error();
  }
}
