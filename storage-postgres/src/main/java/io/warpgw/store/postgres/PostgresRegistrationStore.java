package io.warpgw.store.postgres;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClientBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.warpgw.error.GatewayException;
import io.warpgw.json.StoredItems;
import io.warpgw.model.Page;
import io.warpgw.model.Position;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationPatch;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.spi.BulkLoad;
import io.warpgw.spi.RegistrationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registrations in PostgreSQL through vertx-pg-client. Never blocks: every call is one statement, or
 * one short transaction, on a pooled connection. The pools replace connections that broke, so the
 * store serves again as soon as the database does.
 *
 * <p>Two sets of connections, because the two kinds of reads want opposite plan caching:
 * <ul>
 *   <li>{@link #pool}: lists, writes and transactions. Its sessions run
 *       {@code plan_cache_mode=force_custom_plan}, so each list page is planned for its own cursor
 *       and LIMIT (see {@link #pool(Vertx, PostgresStoreConfig)}).
 *   <li>{@link #keyed}: statements with the same best plan whatever their values: a read of one
 *       registration by its primary key, and an unfiltered list page ({@link
 *       ListStatement#planOnce}). Planning them again on every call (a custom plan weighs all nine
 *       indexes) cost about half of the backend's time per GET or page; these sessions keep each
 *       prepared statement's generic plan instead. Its few connections are pipelined: each carries
 *       many calls at once, so the backend reads several requests per wake-up and the gateway
 *       several answers per socket read, where a pool lends a connection to one call at a time. A
 *       call waits behind those sent before it on its connection, which are all bounded index
 *       reads (at most one page of 1000).
 * </ul>
 */
public final class PostgresRegistrationStore implements RegistrationStore {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresRegistrationStore.class);
  /** How long past the statement timeout a call may take before the store gives up on it. */
  private static final long DEADLINE_MARGIN_MS = 1_000;
  /**
   * Pipelined connections for {@link #keyed} (at most pool-size). Two carried 20 000-31 000 GETs/s
   * on 2 cores with their backends at 0.35-0.6 of a core; four did no better, and more only adds
   * backends competing for the cores.
   */
  static final int KEYED_CONNECTIONS = 2;

  private final Pool pool;
  private final SqlClient keyed;
  private final long deadlineMs;
  private final Vertx vertx;
  private final PostgresStoreConfig config;
  /** Bulk loads under way, each on a connection of its own: closing the store aborts them. */
  private final Set<PostgresBulkLoad> bulkLoads = ConcurrentHashMap.newKeySet();

  PostgresRegistrationStore(Vertx vertx, Pool pool, SqlClient keyed, PostgresStoreConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.pool = pool;
    this.keyed = keyed;
    // statement_timeout only bounds time on the server; a dead network never answers at all.
    this.deadlineMs = deadlineMs(config);
  }

  /** 0 when statements may run for ever. */
  private static long deadlineMs(PostgresStoreConfig config) {
    return config.statementTimeoutMs() == 0 ? 0
        : (long) config.connectTimeoutMs() + config.statementTimeoutMs() + DEADLINE_MARGIN_MS;
  }

  /**
   * A store whose pipelined client already holds a connection. Opened now, while the database is
   * known to answer, that connection carries the first calls and, if the network later loses their
   * answers, is closed by the {@link SilentConnectionReaper}; a connection first opened during a
   * partition would instead hang in its handshake, where no reaper watches yet (vertx-pg-client
   * 5.0.7 has no handshake timeout), holding one of the client's two slots for good.
   */
  static Future<PostgresRegistrationStore> open(Vertx vertx, PostgresStoreConfig config) {
    PostgresRegistrationStore store =
        new PostgresRegistrationStore(vertx, pool(vertx, config), keyed(vertx, config), config);
    return store.keyed.query(Sql.PING).execute().map(rows -> store).otherwise(store);
  }

  /** The pool for lists, writes and transactions. */
  static Pool pool(Vertx vertx, PostgresStoreConfig config) {
    // Cached statements are named, and PostgreSQL may switch a named statement to a generic plan
    // that ignores the LIMIT and the cursor's values; planning each page with its values keeps every
    // page on its index.
    PgConnectOptions connect = connectOptions(config, "force_custom_plan", 1024);
    return build(PgBuilder.pool(), vertx, config, config.poolSize(), connect);
  }

  /**
   * The pipelined client for reads by primary key: statements whose best plan does not depend on
   * their values, so a generic plan is planned once per connection and then only executed.
   */
  static SqlClient keyed(Vertx vertx, PostgresStoreConfig config) {
    // one statement per shape of unfiltered page and page size
    PgConnectOptions connect = connectOptions(config, "force_generic_plan", 256);
    return build(PgBuilder.client(), vertx, config, Math.min(KEYED_CONNECTIONS, config.poolSize()),
        connect);
  }

  private static PgConnectOptions connectOptions(PostgresStoreConfig config, String planCacheMode,
      int statements) {
    PgConnectOptions connect = PgConnectOptions.fromUri(config.uri())
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(statements);
    connect.addProperty("application_name", "warp-gateway");
    if (config.statementTimeoutMs() > 0) {
      connect.addProperty("statement_timeout", Integer.toString(config.statementTimeoutMs()));
    }
    connect.addProperty("plan_cache_mode", planCacheMode);
    return connect;
  }

  private static <C> C build(ClientBuilder<C> builder, Vertx vertx, PostgresStoreConfig config,
      int size, PgConnectOptions connect) {
    PoolOptions poolOptions = new PoolOptions()
        .setMaxSize(size)
        .setMaxWaitQueueSize(config.maxWaitQueue())
        .setConnectionTimeout(config.connectTimeoutMs())
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
    builder.with(poolOptions)
        // vertx-pg-client 5.0.7 ignores these (see SilentConnectionReaper); until 5.0.10 the pool's
        // connection timeout is what bounds a caller's wait for a connection.
        .with(new NetClientOptions().setConnectTimeout(config.connectTimeoutMs()))
        .connectingTo(connect)
        .using(vertx);
    if (config.statementTimeoutMs() > 0) {
      builder.withConnectHandler(new SilentConnectionReaper(2 * deadlineMs(config)));
    }
    return builder.build();
  }

  @Override
  public Future<Page> list(String accountId, RegistrationQuery query) {
    ListStatement statement = ListStatement.of(accountId, query);
    SqlClient client = statement.planOnce() ? keyed : pool;
    return guard(client.preparedQuery(statement.sql()).execute(statement.params())
        .map(rows -> page(rows, statement, query)));
  }

  /**
   * The page from rows of {@link RegistrationRows#LIST_COLUMNS}: their stored JSON, written into the
   * page as it is; decoded only where the gateway orders the rows, and for the last item's position.
   */
  private static Page page(RowSet<Row> rows, ListStatement statement, RegistrationQuery query) {
    StoredItems.Builder fetched = new StoredItems.Builder(rows.size());
    for (Row row : rows) {
      RegistrationRows.addTo(fetched, row);
    }
    int perPage = query.perPage();
    if (statement.ordersInGateway()) {
      return Page.of(statement.page(fetched.build(fetched.size()), query), perPage, query.sortBy());
    }
    StoredItems items = fetched.build(perPage);
    return new Page(items, fetched.size() <= perPage ? null
        : Position.of(query.sortBy(), items.get(perPage - 1)));
  }

  @Override
  public Future<Registration> get(String accountId, String id) {
    return guard(keyed.preparedQuery(Sql.SELECT_ONE).execute(Tuple.of(accountId, id))
        .map(rows -> single(rows, id)));
  }

  @Override
  public Future<Registration> create(String accountId, Registration registration) {
    return guard(pool.preparedQuery(Sql.INSERT_ONE)
        .execute(RegistrationRows.values(accountId, registration))
        .<Registration>map(rows -> registration)
        .recover(e -> Future.failedFuture(isUniqueViolation(e)
            ? GatewayException.conflict(registration.id()) : e)));
  }

  @Override
  public Future<Set<String>> insertBatch(String accountId, List<Registration> batch) {
    if (batch.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    Tuple rows = RegistrationRows.arrays(accountId, batch);
    // Batches of new ids are the rule (seed, import): a plain insert stores them for less work in
    // the database. One existing id fails it as a whole, changing nothing; the batch then goes
    // again in the form that skips existing ids and reports them.
    return guard(pool.preparedQuery(Sql.INSERT_NEW).execute(rows)
        .<Set<String>>map(inserted -> Set.of())
        .recover(e -> isUniqueViolation(e) ? insertSkippingExisting(rows, batch) : Future.failedFuture(e)));
  }

  private Future<Set<String>> insertSkippingExisting(Tuple values, List<Registration> batch) {
    return pool.preparedQuery(Sql.INSERT_BATCH)
        .execute(values)
        .map(rows -> {
          Set<String> inserted = new HashSet<>(rows.rowCount() * 2);
          for (Row row : rows) {
            inserted.add(row.getString(0));
          }
          Set<String> existing = new LinkedHashSet<>();
          for (Registration r : batch) {
            if (!inserted.contains(r.id())) {
              existing.add(r.id());
            }
          }
          return existing;
        });
  }

  @Override
  public Future<Registration> update(String accountId, String id, RegistrationPatch patch,
      Instant now) {
    return guard(inTransaction(conn -> conn.preparedQuery(Sql.SELECT_ONE_FOR_UPDATE)
        .execute(Tuple.of(accountId, id))
        .map(rows -> patch.applyTo(single(rows, id), now))
        .compose(updated -> conn.preparedQuery(Sql.REPLACE_ONE)
            .execute(RegistrationRows.values(accountId, updated))
            .map(rows -> updated))));
  }

  @Override
  public Future<Void> delete(String accountId, String id) {
    return guard(pool.preparedQuery(Sql.DELETE_ONE).execute(Tuple.of(accountId, id))
        .compose(rows -> rows.rowCount() == 1 ? Future.<Void>succeededFuture()
            : Future.failedFuture(GatewayException.notFound(List.of(id)))));
  }

  @Override
  public Future<Void> deleteAll(String accountId, Set<String> ids) {
    return changeAll(accountId, ids, Sql.DELETE_IDS, null);
  }

  @Override
  public Future<Void> revoke(String accountId, Set<String> ids, Instant now) {
    return changeAll(accountId, ids, Sql.REVOKE_IDS, now);
  }

  @Override
  public Future<Void> unrevoke(String accountId, Set<String> ids, Instant now) {
    return changeAll(accountId, ids, Sql.UNREVOKE_IDS, now);
  }

  @Override
  public Future<List<String>> accounts() {
    return guard(pool.preparedQuery(Sql.ACCOUNTS).execute().map(rows -> {
      List<String> out = new ArrayList<>(rows.size());
      for (Row row : rows) {
        out.add(row.getString(0));
      }
      return out;
    }));
  }

  @Override
  public Future<Void> deleteAccount(String accountId) {
    return guard(pool.preparedQuery(Sql.DELETE_ACCOUNT).execute(Tuple.of(accountId)).mapEmpty());
  }

  @Override
  public Future<Void> reset() {
    return guard(pool.query(Sql.RESET).execute().mapEmpty());
  }

  @Override
  public Future<Void> ping() {
    return guard(pool.query(Sql.PING).execute().<Void>mapEmpty());
  }

  /** Into an empty table, {@link PostgresBulkLoad}; else batch by batch. */
  @Override
  public Future<BulkLoad> bulkLoad() {
    return PostgresBulkLoad.start(vertx, config, this, bulkLoads);
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> aborted = new ArrayList<>();
    for (PostgresBulkLoad load : List.copyOf(bulkLoads)) {
      aborted.add(load.abort());
    }
    return Future.join(aborted).transform(ar -> Future.join(pool.close(), keyed.close()))
        .mapEmpty();
  }

  /** All or nothing: locks and counts every id, then changes them all in one statement. */
  private Future<Void> changeAll(String accountId, Set<String> ids, String change, Instant now) {
    String[] idArray = ids.toArray(String[]::new);
    Tuple changeParams = now == null ? ids(accountId, idArray)
        : ids(accountId, idArray).addValue(RegistrationRows.time(now));
    return guard(inTransaction(conn -> lockAll(conn, accountId, ids, idArray)
        .compose(locked -> conn.preparedQuery(change).execute(changeParams))
        .<Void>mapEmpty()));
  }

  private static Future<Void> lockAll(SqlConnection conn, String accountId, Set<String> ids,
      String[] idArray) {
    return conn.preparedQuery(Sql.LOCK_IDS).execute(ids(accountId, idArray))
        .compose(rows -> {
          if (rows.size() == ids.size()) {
            return Future.succeededFuture();
          }
          Set<String> missing = new HashSet<>(ids);
          for (Row row : rows) {
            missing.remove(row.getString(0));
          }
          return Future.failedFuture(GatewayException.notFound(missing.stream().sorted().toList()));
        });
  }

  /**
   * Pool.withTransaction, plus a handler for a connection that breaks while leased: without one the
   * driver prints the server's termination notice to stderr on every database restart, although
   * the failed call already reports it.
   */
  private <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
    return pool.withConnection(conn -> {
      conn.exceptionHandler(e -> LOG.debug("PostgreSQL connection lost in a transaction", e));
      return conn.begin().compose(tx -> work.apply(conn).compose(
          result -> tx.commit().map(result),
          failure -> tx.rollback().otherwiseEmpty().compose(v -> Future.failedFuture(failure))));
    });
  }

  /** Tuple.of(account, array) would spread the array into separate parameters. */
  private static Tuple ids(String accountId, String[] ids) {
    return Tuple.tuple().addValue(accountId).addValue(ids);
  }

  private static Registration single(RowSet<Row> rows, String id) {
    if (rows.size() == 0) {
      throw GatewayException.notFound(List.of(id));
    }
    return RegistrationRows.from(rows.iterator().next());
  }

  private static boolean isUniqueViolation(Throwable e) {
    return e instanceof PgException pg && PgFailures.UNIQUE_VIOLATION.equals(pg.getSqlState());
  }

  /** Bounds the call in time and reports driver failures as the API's errors. */
  private <T> Future<T> guard(Future<T> call) {
    Future<T> bounded = deadlineMs == 0 ? call : call.timeout(deadlineMs, TimeUnit.MILLISECONDS);
    return bounded.recover(e -> Future.failedFuture(PgFailures.translate(e)));
  }
}
