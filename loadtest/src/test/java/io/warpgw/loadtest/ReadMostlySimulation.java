package io.warpgw.loadtest;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Read-mostly traffic, as a dashboard or an audit script makes it: list pages with random filters and
 * sorts, following the cursor for a few pages, and GETs of ids seen on those pages; a small share of
 * PATCH heartbeats ({@code -DwritePercent}, 0 for a read token).
 *
 * <p>Closed model: {@code -Dusers} (16) concurrent users for {@code -Dduration} (60) seconds.
 * Green means: no failed request, and p99 under {@code -Dp99Ms} (2000 ms: generous, for a shared 2-core box).
 */
public class ReadMostlySimulation extends Simulation {
  private static final int USERS = Target.intProperty("users", 16);
  private static final Duration DURATION = Target.seconds("duration", 60);
  private static final double WRITE_PERCENT = Target.doubleProperty("writePercent", 5);
  private static final int P99_MS = Target.intProperty("p99Ms", 2000);
  private static final int MAX_PAGES = Target.intProperty("maxPages", 4);

  private static final List<String> SORTS = List.of("created_at", "id", "user.name", "user.email", "last_seen_at");
  /**
   * Filters a client uses; values match a fair share of what {@code SyntheticRegistrations} generates
   * (heartbeats up to 2026-01-01). A filter that matches almost nothing makes the store scan the whole
   * account for one page: set {@code -DseenAfter} to suit your data.
   */
  private static final List<String> FILTERS = List.of("", "", "", "status=all", "status=revoked",
      "registration_type=browser_extension", "policy.id=policy-engineering", "search=macbook",
      "seen_after=" + Target.property("seenAfter", "2025-12-01T00:00:00Z"),
      "status=all&sort_order=desc", "include=policy");

  /** An endless stream of random list queries: account, sort, order, filter, page size. */
  private static Iterator<Map<String, Object>> queries() {
    return Stream.generate(() -> {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      Map<String, Object> q = new HashMap<>();
      q.put("account", Target.ACCOUNTS.get(r.nextInt(Target.ACCOUNTS.size())));
      String filter = FILTERS.get(r.nextInt(FILTERS.size()));
      q.put("query", "sort_by=" + SORTS.get(r.nextInt(SORTS.size()))
          + (r.nextBoolean() ? "&sort_order=desc" : "")
          + "&per_page=" + List.of(20, 50, 100).get(r.nextInt(3))
          + (filter.isEmpty() ? "" : "&" + filter));
      q.put("pages", 1 + r.nextInt(MAX_PAGES));
      return q;
    }).iterator();
  }

  private static final ChainBuilder LIST_AND_FOLLOW = exec(
      http("list: first page").get(Target.REGISTRATIONS + "?#{query}")
          .check(status().is(200), jsonPath("$.success").ofBoolean().is(true),
              jsonPath("$.result_info.cursor").saveAs("cursor"),
              jsonPath("$.result[*].id").findAll().optional().saveAs("ids")))
      .asLongAs(session -> !session.getString("cursor").isEmpty()
          && session.getInt("page") + 1 < session.getInt("pages"), "page", false)
      .on(http("list: next page (cursor)").get(Target.REGISTRATIONS + "?#{query}&cursor=#{cursor}")
          .check(status().is(200), jsonPath("$.result_info.cursor").saveAs("cursor"),
              jsonPath("$.result[*].id").findAll().optional().saveAs("ids")));

  private static final ChainBuilder GET_SEEN = doIf(session -> session.contains("ids")).then(
      repeat(3).on(exec(session -> {
        List<String> ids = session.getList("ids");
        return session.set("id", ids.get(ThreadLocalRandom.current().nextInt(ids.size())));
      }).exec(http("get one").get(Target.REGISTRATIONS + "/#{id}")
          .check(status().is(200), jsonPath("$.result.id").isEL("#{id}")))));

  private static final ChainBuilder HEARTBEAT = doIf(session -> session.contains("ids")
      && ThreadLocalRandom.current().nextDouble(100) < WRITE_PERCENT).then(
      exec(session -> session.set("now", Instant.now().truncatedTo(ChronoUnit.MICROS).toString()))
          .exec(http("PATCH heartbeat").patch(Target.REGISTRATIONS + "/#{id}")
              .body(StringBody("{\"last_seen_at\":\"#{now}\"}")).asJson()
              .check(status().is(200), jsonPath("$.result.last_seen_at").isEL("#{now}"))));

  private final ScenarioBuilder readMostly = scenario("read-mostly")
      .feed(queries())
      .exec(LIST_AND_FOLLOW, GET_SEEN, HEARTBEAT);

  {
    setUp(readMostly.injectClosed(constantConcurrentUsers(USERS).during(DURATION)))
        .protocols(Target.protocol())
        .maxDuration(DURATION.plusSeconds(30))
        .assertions(
            global().failedRequests().count().is(0L),
            global().responseTime().percentile(99).lt(P99_MS),
            global().requestsPerSec().gt(1.0));
  }
}
