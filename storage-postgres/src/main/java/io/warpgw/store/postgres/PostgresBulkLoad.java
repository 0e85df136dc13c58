package io.warpgw.store.postgres;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.warpgw.error.GatewayException;
import io.warpgw.model.Registration;
import io.warpgw.spi.BulkLoad;
import io.warpgw.spi.InFlightWindow;
import io.warpgw.spi.RegistrationStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bulk load into an empty {@code registrations} table the way pg_restore loads one: without its
 * secondary indexes, which are built once at the end (a sort per index instead of a b-tree descent,
 * or a trigram GIN update, per row). All of it is one transaction on a connection of its own, outside
 * the pool: it takes the table in ACCESS EXCLUSIVE mode (DROP INDEX would take that lock anyway),
 * finds the table empty, reads the secondary indexes' definitions, drops them, inserts the batches
 * (a few pipelined on the connection), re-creates the indexes, analyzes and commits. Whatever fails,
 * the rollback (or the server, when the connection is lost) restores the empty table and its indexes:
 * DDL is transactional in PostgreSQL, so a failed load leaves none of its batches.
 *
 * <p>A gateway sharing the database waits on the table lock for the load's duration; its statement
 * timeout turns the wait into a 504, never into a wrong answer. The load itself runs without a
 * statement timeout (the index builds on millions of rows take minutes) and gives up on the lock after
 * the store's statement timeout, loading then like {@link BulkLoad#batchByBatch}. So it does when the
 * table holds registrations: dropping the indexes of a table in use would stall every reader for the
 * rebuild of all its rows.
 *
 * <p>Unique indexes and indexes behind constraints (the primary key) stay: they decide which rows are
 * inserted. Ids repeated within a load (which the caller promises not to send) are skipped and not
 * counted, like ids already stored.
 */
final class PostgresBulkLoad implements BulkLoad {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresBulkLoad.class);
  static final String APPLICATION_NAME = "warp-gateway-bulk-load";
  /** Batches pipelined on the connection: the next one is parsed while the last one is executed. */
  static final int IN_FLIGHT = 4;
  /** The index builds sort in memory up to this much (raised for the load only, never lowered). */
  static final String MAINTENANCE_WORK_MEM = "1GB";

  static final String LOCK = "LOCK TABLE registrations IN ACCESS EXCLUSIVE MODE";
  static final String IS_EMPTY = "SELECT NOT EXISTS (SELECT 1 FROM registrations)";
  static final String RAISE_MAINTENANCE_WORK_MEM = "SELECT set_config('maintenance_work_mem', '"
      + MAINTENANCE_WORK_MEM + "', true) WHERE pg_size_bytes(current_setting('maintenance_work_mem'))"
      + " < pg_size_bytes('" + MAINTENANCE_WORK_MEM + "')";
  /** Qualified name and definition of every index the load may drop and re-create, by name. */
  static final String SECONDARY_INDEXES = "SELECT format('%I.%I', n.nspname, c.relname),"
      + " pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
      + " JOIN pg_namespace n ON n.oid = c.relnamespace"
      + " WHERE i.indrelid = 'registrations'::regclass AND NOT i.indisunique"
      + " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"
      + " ORDER BY c.relname";
  /**
   * {@link Sql#INSERT_NEW} skipping ids that exist: only an id repeated within the load can conflict,
   * since the table was empty and stays locked.
   */
  static final String INSERT = Sql.INSERT_NEW + " ON CONFLICT DO NOTHING";
  private static final String LOCK_NOT_AVAILABLE = "55P03";

  private final SqlConnection conn;
  private final Set<PostgresBulkLoad> active;
  private final List<String> indexNames = new ArrayList<>();
  private final List<String> indexDefinitions = new ArrayList<>();
  private final InFlightWindow window = new InFlightWindow(IN_FLIGHT);
  private final AtomicLong stored = new AtomicLong();
  /** Set when the store closed under the load: later calls fail with it. */
  private volatile GatewayException aborted;
  private volatile boolean finishing;

  private PostgresBulkLoad(SqlConnection conn, Set<PostgresBulkLoad> active) {
    this.conn = conn;
    this.active = active;
  }

  /**
   * The load for {@code store}: this one when the table is empty, else the store's batch-by-batch
   * load. {@code active} holds the loads under way, for the store to abort them when it closes.
   */
  static Future<BulkLoad> start(Vertx vertx, PostgresStoreConfig config, RegistrationStore store,
      Set<PostgresBulkLoad> active) {
    PgConnectOptions options = PgConnectOptions.fromUri(config.uri());
    options.addProperty("application_name", APPLICATION_NAME);
    return PgConnection.connect(vertx, options)
        .recover(e -> Future.failedFuture(PgFailures.translate(e)))
        .compose(conn -> {
          PostgresBulkLoad load = new PostgresBulkLoad(conn, active);
          conn.exceptionHandler(e -> LOG.debug("PostgreSQL bulk load connection failed", e));
          active.add(load);
          return load.begin(config.statementTimeoutMs())
              .recover(e -> load.abort().transform(x -> Future.failedFuture(PgFailures.translate(e))))
              .compose(locked -> {
                if (locked) {
                  return Future.<BulkLoad>succeededFuture(load);
                }
                // Not an empty table: batch by batch, on the store's own connections.
                return load.abort().transform(x -> Future.succeededFuture(BulkLoad.batchByBatch(store)));
              });
        });
  }

  /** @return whether the table is locked, empty and without its secondary indexes */
  private Future<Boolean> begin(int lockTimeoutMs) {
    return run("BEGIN")
        .compose(v -> run("SET LOCAL statement_timeout = 0"))
        .compose(v -> run("SET LOCAL idle_in_transaction_session_timeout = 0"))
        .compose(v -> run("SET LOCAL lock_timeout = " + lockTimeoutMs))
        .compose(v -> run(LOCK).map(true).recover(e -> {
          if (e instanceof PgException pg && LOCK_NOT_AVAILABLE.equals(pg.getSqlState())) {
            LOG.info("bulk load: registrations is in use (no lock within {} ms); loading batch by "
                + "batch", lockTimeoutMs);
            return Future.succeededFuture(false);
          }
          return Future.failedFuture(e);
        }))
        .compose(locked -> !locked ? Future.succeededFuture(false)
            : run("SET LOCAL lock_timeout = 0")
                .compose(v -> run(IS_EMPTY))
                .map(rows -> rows.iterator().next().getBoolean(0)))
        .compose(empty -> {
          if (!empty) {
            LOG.info("bulk load: registrations is not empty; loading batch by batch, indexes kept");
            return Future.succeededFuture(false);
          }
          return run(RAISE_MAINTENANCE_WORK_MEM)
              .compose(v -> run(SECONDARY_INDEXES))
              .compose(rows -> {
                for (Row row : rows) {
                  indexNames.add(row.getString(0));
                  indexDefinitions.add(row.getString(1));
                }
                LOG.info("bulk load into the empty registrations table: its {} secondary index(es) "
                    + "are built at the end", indexNames.size());
                return indexNames.isEmpty() ? Future.succeededFuture()
                    : run("DROP INDEX " + String.join(", ", indexNames));
              })
              .map(true);
        });
  }

  @Override
  public Future<Void> add(String accountId, List<Registration> batch) {
    if (aborted != null) {
      return Future.failedFuture(aborted);
    }
    if (finishing) {
      return Future.failedFuture(new IllegalStateException("the bulk load is finishing"));
    }
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    return window.add(conn.preparedQuery(INSERT).execute(RegistrationRows.arrays(accountId, batch))
        .map(rows -> stored.addAndGet(rows.rowCount()))
        .recover(e -> Future.failedFuture(PgFailures.translate(e))));
  }

  @Override
  public Future<Long> finish() {
    finishing = true;
    return window.drained()
        .compose(v -> aborted == null ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(aborted))
        .compose(v -> buildIndexes())
        .compose(v -> run("ANALYZE registrations"))
        .compose(v -> run("COMMIT"))
        .transform(ar -> {
          if (ar.failed()) {
            return abort().transform(x -> Future.failedFuture(PgFailures.translate(ar.cause())));
          }
          active.remove(this);
          return conn.close().otherwiseEmpty().map(v -> stored.get());
        });
  }

  private Future<Void> buildIndexes() {
    long start = System.nanoTime();
    Future<Void> chain = Future.succeededFuture();
    for (String definition : indexDefinitions) {
      chain = chain.compose(v -> run(definition)).mapEmpty();
    }
    return chain.onSuccess(v -> LOG.info("bulk load: {} registrations inserted, {} index(es) built in {} s",
        stored.get(), indexDefinitions.size(), String.format("%.1f", (System.nanoTime() - start) / 1e9)));
  }

  /** Ends the load without storing anything: the server rolls back a closed connection's transaction. */
  Future<Void> abort() {
    active.remove(this);
    if (aborted == null) {
      aborted = GatewayException.unavailable("the bulk load was aborted (the store closed); "
          + "nothing of it was stored", null);
    }
    return conn.close().otherwiseEmpty();
  }

  private Future<RowSet<Row>> run(String sql) {
    return conn.query(sql).execute();
  }
}
