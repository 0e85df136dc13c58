package io.warpgw.loadtest;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Pagination walk: a few clients each walk an account in one sort order, page after page, following
 * {@code result_info.cursor} until it is {@code ""} or {@code -DmaxPages} (200) pages were read, as an
 * export or a sync job does. Each page is checked against the pages before it: an id seen twice fails
 * the request (keyset pagination must neither repeat nor skip while the walk runs).
 *
 * <p>{@code -Dusers} (4) walkers started at once, each walk once per sort order in turn
 * ({@code -Dwalks}, 5), {@code -DperPage} (500) items per page, bounded by {@code -Dduration} (120) s.
 * Green means: no failed request (no repeated id, no error), p99 under {@code -Dp99Ms} (2000 ms).
 */
public class PaginationWalkSimulation extends Simulation {
  private static final int USERS = Target.intProperty("users", 4);
  private static final int WALKS = Target.intProperty("walks", 5);
  private static final int PER_PAGE = Target.intProperty("perPage", 500);
  private static final int MAX_PAGES = Target.intProperty("maxPages", 200);
  private static final Duration DURATION = Target.seconds("duration", 120);
  private static final int P99_MS = Target.intProperty("p99Ms", 2000);

  private static final List<String> ORDERS = List.of("sort_by=created_at", "sort_by=id&sort_order=desc",
      "sort_by=user.email", "sort_by=last_seen_at&sort_order=desc", "sort_by=user.name&status=all");
  private static final AtomicInteger NEXT = new AtomicInteger();

  private static Iterator<Map<String, Object>> walks() {
    return Stream.generate(() -> {
      int n = NEXT.getAndIncrement();
      Map<String, Object> walk = new HashMap<>();
      walk.put("account", Target.ACCOUNTS.get(n % Target.ACCOUNTS.size()));
      walk.put("order", ORDERS.get(n % ORDERS.size()));
      walk.put("seen", new HashSet<String>());
      walk.put("cursor", "");
      return walk;
    }).iterator();
  }

  /** Adds the page's ids to the walk's set; the count of ids already seen must be 0. */
  private static int repeats(List<String> ids, io.gatling.javaapi.core.Session session) {
    Set<String> seen = session.get("seen");
    int repeated = 0;
    for (String id : ids) {
      if (!seen.add(id)) {
        repeated++;
      }
    }
    return repeated;
  }

  private static String pageUrl(io.gatling.javaapi.core.Session session) {
    String cursor = session.getString("cursor");
    return "/accounts/" + session.getString("account") + "/devices/registrations?" + session.getString("order")
        + "&per_page=" + PER_PAGE + (cursor.isEmpty() ? "" : "&cursor=" + cursor);
  }

  private final ScenarioBuilder walk = scenario("pagination walk")
      .repeat(WALKS).on(
          feed(walks())
              .asLongAs(session -> session.getInt("page") == 0
                  || (!session.getString("cursor").isEmpty() && session.getInt("page") < MAX_PAGES), "page", false)
              .on(http("walk: page").get(PaginationWalkSimulation::pageUrl)
                  .check(status().is(200),
                      jsonPath("$.result_info.cursor").saveAs("cursor"),
                      jsonPath("$.result_info.count").ofInt().saveAs("count"),
                      jsonPath("$.result[*].id").findAll().transformWithSession(PaginationWalkSimulation::repeats)
                          .is(0).name("no id repeated across pages")))
          .exec(session -> session.remove("seen")));

  {
    setUp(walk.injectOpen(atOnceUsers(USERS)))
        .protocols(Target.protocol())
        .maxDuration(DURATION)
        .assertions(
            global().failedRequests().count().is(0L),
            global().responseTime().percentile(99).lt(P99_MS),
            details("walk: page").allRequests().count().gt(0L));
  }
}
