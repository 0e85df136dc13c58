package io.warpgw.store.postgres;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import io.warpgw.error.GatewayException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Driver failures as the API's errors, at the store's boundary. What a client can fix by retrying
 * (the database is down, restarting, failing over, overloaded, or the pool is full) becomes
 * UNAVAILABLE; a statement cut off by statement_timeout or by the store's own deadline becomes
 * TIMEOUT. Anything else is a defect and passes through unchanged to be logged as one.
 */
final class PgFailures {
  static final String QUERY_CANCELED = "57014";
  static final String UNIQUE_VIOLATION = "23505";

  private PgFailures() {}

  static Throwable translate(Throwable failure) {
    if (failure instanceof GatewayException) {
      return failure;
    }
    if (failure instanceof TimeoutException) {
      return GatewayException.timeout("PostgreSQL did not answer in time; retry later", failure);
    }
    if (failure instanceof DatabaseException db) {
      return translateState(db.getSqlState(), db);
    }
    if (failure instanceof ConnectionPoolTooBusyException) {
      return unavailable("too many requests are waiting for a PostgreSQL connection", failure);
    }
    // Connection refused or reset, or closed under a query: the driver reports these as I/O
    // failures or its own exceptions, with no SQL state. Other Vert.x exceptions (a wrong parameter
    // count, say) are defects and must not pass for an outage.
    if (failure instanceof IOException || failure instanceof ClosedConnectionException
        || (failure instanceof VertxException && isConnectionLost(failure.getMessage()))) {
      return unavailable("PostgreSQL cannot be reached", failure);
    }
    return failure;
  }

  /**
   * How the driver's messages for a lost connection or an exhausted pool begin (vertx-sql-client
   * 5.0); OutageTest fails if a restart ever produces another.
   */
  private static final List<String> CONNECTION_LOST = List.of(
      // No pooled connection in time: "Timeout waiting for connection", or just "Timeout" when the
      // wait began in the pool's queue.
      "Timeout",
      "Pool closed",
      "Pending requests failed to be sent due to connection has been closed",
      "Connection is not active now");

  private static boolean isConnectionLost(String message) {
    return message != null && CONNECTION_LOST.stream().anyMatch(message::startsWith);
  }

  private static Throwable translateState(String state, Throwable failure) {
    if (state == null) {
      return failure;
    }
    if (state.equals(QUERY_CANCELED)) {
      return GatewayException.timeout("PostgreSQL did not answer in time; retry later", failure);
    }
    if (state.startsWith("08") // connection exception
        || state.startsWith("53") // insufficient resources, too many connections
        || state.startsWith("57P") // shutting down, starting up, crashed
        || state.startsWith("58") // system error (I/O)
        || state.equals("25006") // read-only transaction: a standby, mid failover
        || state.equals("40001") // serialization failure
        || state.equals("40P01")) { // deadlock detected
      return unavailable("PostgreSQL could not serve the request (" + state + ")", failure);
    }
    return failure;
  }

  private static GatewayException unavailable(String message, Throwable cause) {
    return GatewayException.unavailable(message + "; retry later", cause);
  }
}
