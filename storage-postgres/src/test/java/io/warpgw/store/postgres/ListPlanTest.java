package io.warpgw.store.postgres;

import static io.warpgw.store.postgres.PostgresRegistrationStoreTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.warpgw.model.Position;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.model.RegistrationType;
import io.warpgw.model.SearchText;
import io.warpgw.model.SortField;
import io.warpgw.model.SortOrder;
import io.warpgw.model.Status;
import io.warpgw.model.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The list SQL against 100 000 registrations in one account (and 20 000 in others), planned with the
 * store's own connection settings: every sort, order and page, and each filter alone, reads through
 * an index with no sequential scan of the table and no Sort node, except the one a search served by
 * the trigram index needs right above its bitmap scan.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListPlanTest {
  static final String ACCOUNT = "big";
  static final int ROWS = 100_000;
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  /** Rows spread over every column a list can filter or sort by; ~1 in 7 has no name, 1 in 10 no user. */
  static final String GENERATE = """
      INSERT INTO registrations (account_id, id, created_at, updated_at, last_seen_at, device_id,
        device_name, client_version, key, key_type, tunnel_type, has_user, user_id, user_email,
        user_name, has_policy, policy_id, policy_default, policy_deleted, policy_name,
        policy_updated_at, revoked_at, registration_type, search_text)
      SELECT account, id, created, created, seen, device, 'Device ' || g, '2025.1', 'key' || g,
        'curve25519', 'wireguard', g % 10 <> 0, CASE WHEN g % 10 <> 0 THEN user_id END,
        CASE WHEN g % 10 <> 0 AND g % 11 <> 0 THEN user_id || '@example.com' END,
        CASE WHEN g % 10 <> 0 AND g % 7 <> 0 THEN 'Name ' || (g * 31 % 5000) END,
        g % 3 = 0, CASE WHEN g % 3 = 0 THEN 'policy-' || (g % 100) END, false, false, 'Policy',
        CASE WHEN g % 3 = 0 THEN created END,
        CASE WHEN g % 20 = 0 THEN seen END,
        CASE WHEN g % 10 = 1 THEN 'browser_extension' ELSE 'warp' END,
        lower(id || chr(31) || device || chr(31) || 'Device ' || g)
      FROM (SELECT g, $1::text AS account, 'r' || lpad(g::text, 7, '0') AS id,
              timestamptz '2025-01-01 00:00:00+00' + g * interval '1 second' AS created,
              timestamptz '2025-01-01 00:00:00+00' + (g * 7919 % $2) * interval '1 second' AS seen,
              'dev-' || (g % ($2 / 2)) AS device, 'user-' || (g % ($2 / 5)) AS user_id
            FROM generate_series(1, $2) AS g) AS rows""";

  private Vertx vertx;
  private Pool pool;
  private PostgresStoreConfig config;
  /** The store's client for statements that keep a generic plan, on one connection (one session). */
  private io.vertx.sqlclient.SqlClient keyed;
  private int prepared;

  @BeforeAll
  void generate() throws Exception {
    vertx = Vertx.vertx();
    // The store's own connection settings (they shape plans), but no statement timeout: generating
    // the rows may take a while on a busy machine.
    config = PostgresStoreConfig.from(PostgresTestServer
        .config(PostgresTestServer.freshDatabase()).put("statement-timeout", 0));
    await(new PostgresStoreProvider().create(vertx, PostgresTestServer.config(config.uri()))
        .compose(store -> store.close()));
    pool = PostgresRegistrationStore.pool(vertx, config);
    keyed = PostgresRegistrationStore.keyed(vertx, new PostgresStoreConfig(config.uri(), 1,
        config.maxWaitQueue(), config.statementTimeoutMs(), config.connectTimeoutMs()));
    long start = System.nanoTime();
    await(pool.preparedQuery(GENERATE).execute(io.vertx.sqlclient.Tuple.of(ACCOUNT, ROWS)));
    for (int i = 0; i < 4; i++) {
      await(pool.preparedQuery(GENERATE).execute(io.vertx.sqlclient.Tuple.of("other-" + i, ROWS / 20)));
    }
    await(pool.query("ANALYZE registrations").execute());
    System.out.printf("generated %d rows and analyzed in %d ms%n", ROWS + ROWS / 5,
        (System.nanoTime() - start) / 1_000_000);
  }

  @AfterAll
  void close() throws Exception {
    await(keyed.close());
    await(pool.close());
    await(vertx.close());
  }

  static String sortIndex(SortField field) {
    return switch (field) {
      case ID -> "registrations_pkey";
      case CREATED_AT -> "registrations_by_created_at";
      case LAST_SEEN_AT -> "registrations_by_last_seen_at";
      case USER_NAME -> "registrations_by_user_name";
      case USER_EMAIL -> "registrations_by_user_email";
    };
  }

  static Stream<Arguments> sortShapes() {
    List<Arguments> shapes = new ArrayList<>();
    for (SortField field : SortField.values()) {
      for (SortOrder order : SortOrder.values()) {
        RegistrationQuery q = RegistrationQuery.all().withSort(field, order);
        shapes.add(Arguments.of(field.wire() + " " + order.wire() + ", first page", q));
        for (Position p : middlePositions(field)) {
          shapes.add(Arguments.of(field.wire() + " " + order.wire() + ", after " + p, q.withAfter(p)));
        }
      }
    }
    return shapes.stream();
  }

  /** Mid-table cursors; for name and email sorts both a present and a missing key. */
  static List<Position> middlePositions(SortField field) {
    return switch (field) {
      case ID -> List.of(new Position(null, "r0050000"));
      case CREATED_AT -> List.of(new Position(
          Long.toString(Timestamps.micros(T0.plusSeconds(50_000))), "r0050000"));
      case LAST_SEEN_AT -> List.of(new Position(
          Long.toString(Timestamps.micros(T0.plusSeconds(50_000))), "r0012345"));
      case USER_NAME -> List.of(new Position("Name 2500", "r0050000"), new Position(null, "r0050001"));
      case USER_EMAIL -> List.of(new Position("user-5000@example.com", "r0050000"),
          new Position(null, "r0050006"));
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sortShapes")
  @DisplayName("every sort, order and page walks its index with no Sort and no Seq Scan")
  void sortsWalkTheirIndex(String shape, RegistrationQuery q) throws Exception {
    Plan plan = explain(q);
    System.out.println(shape + ": " + plan.summary() + " " + plan.indexConditions());
    assertThat(plan.nodeTypes()).as(plan.text()).doesNotContain("Sort", "Incremental Sort");
    assertThat(plan.seqScannedTables()).as(plan.text()).doesNotContain("registrations");
    assertThat(plan.indexes()).as(plan.text()).containsExactly(sortIndex(q.sortBy()));
    assertThat(plan.scanDirections()).as(plan.text())
        .containsOnly(q.sortOrder() == SortOrder.ASC ? "Forward" : "Backward");
    if (q.after() != null) {
      // The cursor must bound the index scan (a seek), not filter rows read from the start.
      assertThat(plan.indexConditions()).as(plan.text()).anyMatch(c -> c.contains("ROW(")
          || c.contains("(id > ") || c.contains("(id < "));
      assertThat(plan.filters()).as(plan.text()).noneMatch(f -> f.contains("ROW("));
    }
  }

  /**
   * Each filter alone, in the default sort, both orders. Single values and ranges walk an ordered
   * index; ids are fetched through the primary key and ordered by the gateway; several users merge
   * one ordered branch per user. A rare search term may read its candidates through the trigram
   * index and sort only those (a bitmap scan has no order); a common one walks the sort index.
   */
  static Stream<Arguments> filterShapes() {
    Instant median = T0.plusSeconds(ROWS / 2);
    String byCreated = "registrations_by_created_at";
    List<String> thousandIds = new ArrayList<>();
    for (int i = 1; i <= RegistrationQuery.MAX_PER_PAGE; i++) {
      thousandIds.add(String.format("r%07d", i * 97));
    }
    Set<String> mostMerged = new java.util.HashSet<>();
    for (int i = 0; i < ListStatement.MAX_MERGED_USERS; i++) {
      mostMerged.add("user-" + (i * 997));
    }
    List<Arguments> shapes = new ArrayList<>();
    for (SortOrder order : SortOrder.values()) {
      RegistrationQuery all = RegistrationQuery.all().withSort(SortField.CREATED_AT, order);
      String in = " " + order.wire();
      shapes.addAll(List.of(
          Arguments.of("device.id" + in, byDevice(all), "registrations_by_device"),
          Arguments.of("one user.id" + in, filtered(all, Set.of(), null, Set.of("user-4242"), null,
              null, null, null, null), "registrations_by_user"),
          Arguments.of("several user.id" + in, filtered(all, Set.of(), null,
              Set.of("user-4242", "user-7", "user-19999"), null, null, null, null, null),
              "registrations_by_user"),
          Arguments.of(ListStatement.MAX_MERGED_USERS + " user.id" + in, filtered(all, Set.of(),
              null, mostMerged, null, null, null, null, null), "registrations_by_user"),
          Arguments.of("policy.id" + in, filtered(all, Set.of(), null, Set.of(), "policy-42", null,
              null, null, null), "registrations_by_policy"),
          Arguments.of("seen_after" + in, filtered(all, Set.of(), null, Set.of(), null, null, median,
              null, null), byCreated),
          Arguments.of("seen_before" + in, filtered(all, Set.of(), null, Set.of(), null, null, null,
              median, null), byCreated),
          Arguments.of("status=revoked" + in, all.withStatus(Status.REVOKED), byCreated),
          Arguments.of("status=all" + in, all.withStatus(Status.ALL), byCreated),
          Arguments.of("registration_type" + in, filtered(all, Set.of(), null, Set.of(), null, null,
              null, null, RegistrationType.BROWSER_EXTENSION), byCreated),
          Arguments.of("search, matching many" + in, filtered(all, Set.of(), null, Set.of(), null,
              "device", null, null, null), byCreated),
          Arguments.of("search, matching few" + in, filtered(all, Set.of(), null, Set.of(), null,
              "device 4242", null, null, null), "registrations_search"),
          Arguments.of("one id" + in, filtered(all, Set.of("r0042424"), null, Set.of(), null, null,
              null, null, null), "registrations_pkey"),
          Arguments.of("several ids" + in, filtered(all, Set.of("r0042424", "r0000007", "r0099999"),
              null, Set.of(), null, null, null, null, null), "registrations_pkey"),
          Arguments.of("1000 ids" + in, filtered(all, Set.copyOf(thousandIds), null, Set.of(), null,
              null, null, null, null), "registrations_pkey")));
    }
    return shapes.stream();
  }

  private static RegistrationQuery byDevice(RegistrationQuery all) {
    return filtered(all, Set.of(), "dev-4242", Set.of(), null, null, null, null, null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filterShapes")
  @DisplayName("each filter alone reads through an index, with no Sort and no Seq Scan")
  void filtersUseAnIndex(String shape, RegistrationQuery q, String index) throws Exception {
    for (RegistrationQuery page : List.of(q, q.withAfter(new Position(
        Long.toString(Timestamps.micros(T0.plusSeconds(1000))), "r0001000")))) {
      Plan plan = explain(page);
      System.out.println(shape + (page.after() == null ? "" : ", after a cursor") + ": "
          + plan.summary());
      assertThat(plan.seqScannedTables()).as(plan.text()).doesNotContain("registrations");
      assertThat(plan.sortsOutsideTrigramSearch()).as(plan.text()).isEmpty();
      assertThat(plan.nodeTypes()).as(plan.text()).doesNotContain("Incremental Sort");
      if (index.equals("registrations_search")) {
        // pg_trgm's selectivity estimate varies with ANALYZE's sample: besides the trigram index
        // alone, the planner may walk the sort index and filter, or AND the two bitmaps (seen on CI
        // after a cursor). All three are bounded by an index; any Sort sits right above the bitmap.
        assertThat(plan.indexes()).as(plan.text()).isNotEmpty()
            .isSubsetOf("registrations_search", "registrations_by_created_at");
        continue;
      }
      assertThat(plan.indexes()).as(plan.text()).containsOnly(index);
      if (q.userIds().size() > 1) {
        assertThat(plan.nodeTypes()).as(plan.text()).contains("Merge Append");
        assertThat(plan.indexes()).as(plan.text()).hasSize(q.userIds().size());
      }
      if (!q.ids().isEmpty()) {
        // Fetched by primary key, ordered and cut to the page by the gateway.
        assertThat(plan.nodeTypes()).as(plan.text()).doesNotContain("Limit");
        assertThat(plan.indexConditions()).as(plan.text()).anyMatch(c -> c.contains("(id = "));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sortShapes")
  @DisplayName("a search term most rows match walks the sort index, in every sort, order and page")
  void commonSearchWalksTheSortIndex(String shape, RegistrationQuery q) throws Exception {
    Plan plan = explain(filtered(q, Set.of(), null, Set.of(), null, "device", null, null, null));
    System.out.println("search 'device', " + shape + ": " + plan.summary());
    assertThat(plan.nodeTypes()).as(plan.text()).doesNotContain("Sort", "Incremental Sort");
    assertThat(plan.seqScannedTables()).as(plan.text()).doesNotContain("registrations");
    assertThat(plan.indexes()).as(plan.text()).containsExactly(sortIndex(q.sortBy()));
  }

  @org.junit.jupiter.api.Test
  @DisplayName("accounts() seeks the primary key once per account: index-only, no Sort, no Seq Scan")
  void accountsSkipThroughThePrimaryKey() throws Exception {
    Object json = await(pool.query("EXPLAIN (FORMAT JSON) " + Sql.ACCOUNTS).execute())
        .iterator().next().getValue(0);
    JsonArray array = json instanceof JsonArray a ? a : new JsonArray(json.toString());
    Plan plan = new Plan(Sql.ACCOUNTS, array.getJsonObject(0).getJsonObject("Plan"));
    System.out.println("accounts: " + plan.summary());
    assertThat(plan.seqScannedTables()).as(plan.text()).doesNotContain("registrations");
    assertThat(plan.nodeTypes()).as(plan.text()).doesNotContain("Sort", "Incremental Sort", "Index Scan")
        .contains("Index Only Scan");
    assertThat(plan.indexes()).as(plan.text()).containsOnly("registrations_pkey");
    List<String> accounts = new ArrayList<>();
    await(pool.query(Sql.ACCOUNTS).execute()).forEach(row -> accounts.add(row.getString(0)));
    assertThat(accounts).containsExactly("big", "other-0", "other-1", "other-2", "other-3");
  }

  @org.junit.jupiter.api.Test
  @DisplayName("a read by id, on its own connections, runs one generic plan on the primary key")
  void readByIdRunsAGenericPlan() throws Exception {
    for (String id : List.of("r0050000", "r0000001", "missing")) {
      await(keyed.preparedQuery(Sql.SELECT_ONE).execute(io.vertx.sqlclient.Tuple.of(ACCOUNT, id)));
    }
    io.vertx.sqlclient.Row counts = await(keyed.preparedQuery("SELECT generic_plans, custom_plans"
        + " FROM pg_prepared_statements WHERE statement = $1")
        .execute(io.vertx.sqlclient.Tuple.of(Sql.SELECT_ONE))).iterator().next();
    assertThat(counts.getLong(0)).as("generic plans").isGreaterThanOrEqualTo(3);
    assertThat(counts.getLong(1)).as("custom plans").isZero();
    Plan plan = explainGeneric(Sql.SELECT_ONE, io.vertx.sqlclient.Tuple.of(ACCOUNT, "r0050000"));
    System.out.println("get: " + plan.summary() + " " + plan.indexConditions());
    assertThat(plan.indexes()).as(plan.text()).containsExactly("registrations_pkey");
    assertThat(plan.indexConditions()).as(plan.text()).singleElement().asString()
        .contains("$1", "$2");
  }

  static RegistrationQuery filtered(RegistrationQuery q, Set<String> ids, String deviceId,
      Set<String> userIds, String policyId, String search, Instant seenAfter, Instant seenBefore,
      RegistrationType type) {
    return new RegistrationQuery(ids, deviceId, userIds, policyId,
        search == null ? null : SearchText.fold(search), seenAfter, seenBefore, q.status(), type,
        q.sortBy(), q.sortOrder(), q.perPage(), q.after());
  }

  /**
   * The plan the store runs for {@code q}: a custom plan for its values on the pool's sessions, or,
   * for a statement that {@link ListStatement#planOnce}, the generic plan its own client keeps.
   */
  private Plan explain(RegistrationQuery q) throws Exception {
    ListStatement statement = ListStatement.of(ACCOUNT, q);
    if (statement.planOnce()) {
      return explainGeneric(statement.sql(), statement.params());
    }
    Object json = await(pool.preparedQuery("EXPLAIN (FORMAT JSON) " + statement.sql())
        .execute(statement.params())).iterator().next().getValue(0);
    JsonArray array = json instanceof JsonArray a ? a : new JsonArray(json.toString());
    return new Plan(statement.sql(), array.getJsonObject(0).getJsonObject("Plan"));
  }

  /**
   * The generic plan of {@code sql} in a session of the generic-plan client: EXPLAIN of a prepared
   * statement plans it for its parameters' values, so this prepares the same text by hand and
   * explains EXECUTE of it, which under {@code plan_cache_mode=force_generic_plan} shows the
   * statement's generic plan ($n in its conditions).
   */
  private Plan explainGeneric(String sql, io.vertx.sqlclient.Tuple params) throws Exception {
    String name = "plan_test_" + (++prepared);
    await(keyed.query("PREPARE " + name + " AS " + sql).execute());
    List<String> values = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      Object v = params.getValue(i);
      values.add(v == null ? "NULL" : "'" + v.toString().replace("'", "''") + "'");
    }
    try {
      Object json = await(keyed.query("EXPLAIN (FORMAT JSON) EXECUTE " + name + "("
          + String.join(", ", values) + ")").execute()).iterator().next().getValue(0);
      JsonArray array = json instanceof JsonArray a ? a : new JsonArray(json.toString());
      return new Plan("generic plan of " + sql, array.getJsonObject(0).getJsonObject("Plan"));
    } finally {
      await(keyed.query("DEALLOCATE " + name).execute());
    }
  }

  /** A plan tree from EXPLAIN (FORMAT JSON). */
  record Plan(String sql, JsonObject root) {
    List<JsonObject> nodes() {
      List<JsonObject> out = new ArrayList<>();
      collect(root, out);
      return out;
    }

    private static void collect(JsonObject node, List<JsonObject> out) {
      out.add(node);
      JsonArray children = node.getJsonArray("Plans");
      if (children != null) {
        for (int i = 0; i < children.size(); i++) {
          collect(children.getJsonObject(i), out);
        }
      }
    }

    List<String> nodeTypes() {
      return nodes().stream().map(n -> n.getString("Node Type")).toList();
    }

    List<String> seqScannedTables() {
      return nodes().stream().filter(n -> "Seq Scan".equals(n.getString("Node Type")))
          .map(n -> n.getString("Relation Name")).toList();
    }

    List<String> indexes() {
      return nodes().stream().map(n -> n.getString("Index Name")).filter(i -> i != null).toList();
    }

    List<String> indexConditions() {
      return nodes().stream().map(n -> n.getString("Index Cond")).filter(c -> c != null).toList();
    }

    List<String> filters() {
      return nodes().stream().map(n -> n.getString("Filter")).filter(c -> c != null).toList();
    }

    List<String> scanDirections() {
      return nodes().stream().map(n -> n.getString("Scan Direction")).filter(d -> d != null)
          .toList();
    }

    /**
     * Sort nodes other than the one a trigram search needs: the pg_trgm GIN index yields a bitmap,
     * and a Bitmap Heap Scan has no order, so a Sort directly above it is the only one allowed.
     */
    List<JsonObject> sortsOutsideTrigramSearch() {
      return nodes().stream()
          .filter(n -> n.getString("Node Type").contains("Sort") && !sortsTrigramHits(n))
          .toList();
    }

    private static boolean sortsTrigramHits(JsonObject sort) {
      JsonArray children = sort.getJsonArray("Plans");
      if (!"Sort".equals(sort.getString("Node Type")) || children == null || children.size() != 1) {
        return false;
      }
      JsonObject child = children.getJsonObject(0);
      return "Bitmap Heap Scan".equals(child.getString("Node Type"))
          && new Plan("", child).indexes().contains("registrations_search");
    }

    String summary() {
      return nodes().stream().map(n -> n.getString("Node Type")
          + (n.getString("Index Name") == null ? "" : " on " + n.getString("Index Name"))
          + (n.getString("Scan Direction") == null ? "" : " " + n.getString("Scan Direction")))
          .toList().toString();
    }

    String text() {
      return sql + "\n" + root.encodePrettily();
    }
  }
}
