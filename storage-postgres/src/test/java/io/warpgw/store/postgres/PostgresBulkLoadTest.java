package io.warpgw.store.postgres;

import static io.warpgw.store.postgres.PostgresRegistrationStoreTest.await;
import static io.warpgw.store.postgres.PostgresRegistrationStoreTest.catchFailure;
import static io.warpgw.store.postgres.PostgresRegistrationStoreTest.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.warpgw.error.ApiError;
import io.warpgw.model.Device;
import io.warpgw.model.Page;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.model.SearchText;
import io.warpgw.model.SortField;
import io.warpgw.model.SortOrder;
import io.warpgw.model.Status;
import io.warpgw.spi.BulkLoad;
import io.warpgw.spi.RegistrationStore;
import io.warpgw.store.memory.MemoryRegistrationStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The bulk load into an empty table, on a database of its own per test: the secondary indexes are
 * dropped for the load and come back exactly as they were, and a load that fails leaves the table as
 * it found it.
 */
class PostgresBulkLoadTest {
  private static final int ACCOUNTS = 4;
  private static final int PER_ACCOUNT = 5_000;

  private Vertx vertx;
  private String uri;
  private RegistrationStore store;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    uri = PostgresTestServer.freshDatabase();
    store = await(new PostgresStoreProvider().create(vertx, PostgresTestServer.config(uri)));
  }

  @AfterEach
  void stop() throws Exception {
    await(store.close());
    await(vertx.close());
  }

  @Test
  @DisplayName("into an empty table: every registration stored, every index back as it was, lists and search right")
  void intoAnEmptyTable() throws Exception {
    Map<String, String> indexes = indexes();
    assertThat(indexes).containsKeys("registrations_pkey", "registrations_by_created_at",
        "registrations_by_device", "registrations_by_user", "registrations_by_policy");
    Map<String, List<Registration>> data = data();
    MemoryRegistrationStore memory = new MemoryRegistrationStore();

    BulkLoad load = await(store.bulkLoad());
    assertThat(load).isInstanceOf(PostgresBulkLoad.class);
    for (int from = 0; from < PER_ACCOUNT; from += 1000) {
      for (Map.Entry<String, List<Registration>> e : data.entrySet()) {
        List<Registration> batch = e.getValue().subList(from, from + 1000);
        await(load.add(e.getKey(), batch));
        await(memory.insertBatch(e.getKey(), batch));
      }
    }
    assertThat(await(load.finish())).isEqualTo((long) ACCOUNTS * PER_ACCOUNT);

    assertThat(indexes()).isEqualTo(indexes);
    assertThat(count("SELECT count(*) FROM registrations")).isEqualTo(ACCOUNTS * PER_ACCOUNT);
    for (Map.Entry<String, List<Registration>> e : data.entrySet()) {
      String account = e.getKey();
      assertThat(count("SELECT count(*) FROM registrations WHERE account_id = '" + account + "'"))
          .isEqualTo(PER_ACCOUNT);
      Registration some = e.getValue().get(1234);
      assertThat(await(store.get(account, some.id()))).isEqualTo(some);
      for (RegistrationQuery q : List.of(
          RegistrationQuery.all().withStatus(Status.ALL).withPerPage(1000),
          RegistrationQuery.all().withSort(SortField.USER_NAME, SortOrder.DESC).withPerPage(300),
          RegistrationQuery.all().withSort(SortField.LAST_SEEN_AT, SortOrder.ASC).withPerPage(500),
          search(SearchText.fold("Zoë")),
          search(SearchText.fold(some.device().id())))) {
        assertThat(walk(store, account, q)).isEqualTo(walk(memory, account, q));
      }
    }
    // A second load finds the table filled: batch by batch, indexes kept, existing ids not counted.
    BulkLoad again = await(store.bulkLoad());
    assertThat(again).isNotInstanceOf(PostgresBulkLoad.class);
    String first = data.keySet().iterator().next();
    await(again.add(first, List.of(data.get(first).get(0), Registrations.simple("late-one"))));
    assertThat(await(again.finish())).isEqualTo(1L);
    assertThat(indexes()).isEqualTo(indexes);
  }

  @Test
  @DisplayName("a batch that fails midway leaves the table empty with its indexes, and the next load works")
  void failedBatch() throws Exception {
    Map<String, String> indexes = indexes();
    String account = Registrations.account();
    List<Registration> rs = Registrations.random(3000, 7);
    BulkLoad load = await(store.bulkLoad());
    await(load.add(account, rs.subList(0, 1000)));
    // PostgreSQL's text cannot hold U+0000: the insert of this batch fails in the database.
    Registration bad = Registrations.simple("bad");
    bad = new Registration(bad.id(), bad.createdAt(), bad.updatedAt(), bad.lastSeenAt(),
        new Device("dev", "nul \u0000 here", null), bad.key(), null, null, null, null, null,
        bad.registrationType());
    List<Registration> poisoned = new ArrayList<>(rs.subList(1000, 2000));
    poisoned.set(500, bad);
    // Pipelined: the failure shows in this add, a later one, or finish; it must show.
    Throwable failed = addAllThenFinish(load, account, List.of(poisoned, rs.subList(2000, 3000)));
    assertThat(failed).isNotNull();

    assertThat(count("SELECT count(*) FROM registrations")).isZero();
    assertThat(indexes()).isEqualTo(indexes);
    BulkLoad next = await(store.bulkLoad());
    assertThat(next).isInstanceOf(PostgresBulkLoad.class);
    await(next.add(account, rs.subList(0, 1000)));
    assertThat(await(next.finish())).isEqualTo(1000L);
    assertThat(indexes()).isEqualTo(indexes);
  }

  @Test
  @DisplayName("a load whose connection is lost midway leaves the table empty with its indexes")
  void connectionLost() throws Exception {
    Map<String, String> indexes = indexes();
    String account = Registrations.account();
    List<Registration> rs = Registrations.random(2000, 8);
    BulkLoad load = await(store.bulkLoad());
    await(load.add(account, rs.subList(0, 1000)));
    PostgresTestServer.execute(uri, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        + "WHERE application_name = '" + PostgresBulkLoad.APPLICATION_NAME + "' AND datname = current_database()");
    Throwable failed = addAllThenFinish(load, account, List.of(rs.subList(1000, 2000)));
    assertThat(failed).isNotNull();
    assertThat(count("SELECT count(*) FROM registrations")).isZero();
    assertThat(indexes()).isEqualTo(indexes);
  }

  @Test
  @DisplayName("closing the store aborts its load: the table stays empty with its indexes")
  void storeClosed() throws Exception {
    Map<String, String> indexes = indexes();
    String account = Registrations.account();
    BulkLoad load = await(store.bulkLoad());
    await(load.add(account, Registrations.random(1000, 9)));
    await(store.close());
    store = await(new PostgresStoreProvider().create(vertx, PostgresTestServer.config(uri)));
    assertThat(errorOf(load.finish())).isEqualTo(ApiError.UNAVAILABLE);
    assertThat(count("SELECT count(*) FROM registrations")).isZero();
    assertThat(indexes()).isEqualTo(indexes);
  }

  @Test
  @DisplayName("another gateway on the database waits for the load and times out cleanly, then sees all of it")
  void concurrentGateway() throws Exception {
    Vertx otherVertx = Vertx.vertx();
    JsonObject impatient = PostgresTestServer.config(uri).put("statement-timeout", 500);
    RegistrationStore other = await(new PostgresStoreProvider().create(otherVertx, impatient));
    try {
      String account = Registrations.account();
      List<Registration> rs = Registrations.random(2000, 10);
      BulkLoad load = await(store.bulkLoad());
      assertThat(load).isInstanceOf(PostgresBulkLoad.class);
      await(load.add(account, rs.subList(0, 1000)));
      assertThat(errorOf(other.list(account, RegistrationQuery.all()))).isEqualTo(ApiError.TIMEOUT);
      assertThat(errorOf(other.insertBatch(account, rs.subList(1000, 1001))))
          .isEqualTo(ApiError.TIMEOUT);
      await(load.add(account, rs.subList(1000, 2000)));
      assertThat(await(load.finish())).isEqualTo(2000L);
      assertThat(walk(other, account, RegistrationQuery.all().withStatus(Status.ALL).withPerPage(1000)))
          .hasSize(2000);
    } finally {
      await(other.close());
      await(otherVertx.close());
    }
  }

  /** The adds one at a time, then finish; the first failure, or null if all succeeded. */
  private static Throwable addAllThenFinish(BulkLoad load, String account, List<List<Registration>> batches) {
    for (List<Registration> batch : batches) {
      try {
        await(load.add(account, batch));
      } catch (Throwable t) {
        return t;
      }
    }
    try {
      await(load.finish());
      return null;
    } catch (Throwable t) {
      return t;
    }
  }

  private static RegistrationQuery search(String folded) {
    return new RegistrationQuery(Set.of(), null, Set.of(), null, folded, null, null, Status.ALL, null,
        SortField.CREATED_AT, SortOrder.ASC, 200, null);
  }

  /** Every page of the query, in order. */
  private static List<Registration> walk(RegistrationStore s, String account, RegistrationQuery q)
      throws Exception {
    List<Registration> out = new ArrayList<>();
    RegistrationQuery next = q;
    while (true) {
      Page page = await(s.list(account, next));
      out.addAll(page.items());
      if (page.next() == null) {
        return out;
      }
      next = q.withAfter(page.next());
    }
  }

  private static Map<String, List<Registration>> data() {
    Map<String, List<Registration>> out = new LinkedHashMap<>();
    for (int a = 0; a < ACCOUNTS; a++) {
      out.put(Registrations.account(), Registrations.random(PER_ACCOUNT, 100 + a));
    }
    return out;
  }

  /** Name and definition of every index of the table. */
  private Map<String, String> indexes() throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = jdbc(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT indexname, indexdef FROM pg_indexes "
            + "WHERE tablename = 'registrations' ORDER BY indexname")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  private int count(String sql) throws SQLException {
    try (Connection c = jdbc(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private Connection jdbc() throws SQLException {
    PgConnectOptions o = PgConnectOptions.fromUri(uri);
    return DriverManager.getConnection("jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/"
        + o.getDatabase(), o.getUser(), o.getPassword());
  }
}
