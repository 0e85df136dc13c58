package io.warpgw.loadtest;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Open-model ramp to find the knee: arrivals climb in stairs — {@code -Dstart} (500) requests/s, then
 * {@code -Dstep} (500) more per level, {@code -Dlevels} (8) levels of {@code -DlevelSeconds} (10) s with
 * 2 s ramps between them — whatever the gateway's latency, as independent clients arrive. Each arrival
 * makes one request: a GET of a known id ({@code -DgetPercent}, 80) or a 50-item list page.
 * The knee is the level where the report's response-time percentiles over time turn up while the
 * responses/s stop following the arrivals.
 *
 * <p>When a response takes longer than {@code -DkneeMs} (1000 ms) the ramp has passed the knee: it stops
 * there and says at which arrival rate ({@code -DkneeMs=0} climbs to the top whatever happens).
 * Green means no request failed beyond {@code -DmaxFailedPercent} (1 %) and p99 stayed under
 * {@code -Dp99Ms} (2000 ms) up to where the ramp ended.
 */
public class RampSimulation extends Simulation {
  private static final double START = Target.doubleProperty("start", 500);
  private static final double STEP = Target.doubleProperty("step", 500);
  private static final int LEVELS = Target.intProperty("levels", 8);
  private static final Duration LEVEL = Target.seconds("levelSeconds", 10);
  private static final double GET_PERCENT = Target.doubleProperty("getPercent", 80);
  private static final double MAX_FAILED_PERCENT = Target.doubleProperty("maxFailedPercent", 1);
  private static final int P99_MS = Target.intProperty("p99Ms", 2000);
  private static final int KNEE_MS = Target.intProperty("kneeMs", 1000);
  /**
   * No knee during the first stair: Gatling's own JVM and the gateway's are cold and the first few
   * hundred connections open at once, so a slow first second says nothing about the knee (it ended
   * the whole ramp after one second in the first runs).
   */
  private static final Duration WARM_UP = Target.seconds("warmUpSeconds", (int) LEVEL.toSeconds());
  private static volatile long startedAt;

  /** Ids of every account, read once before the ramp (up to 1000 per account). */
  private static Map<String, List<String>> ids;

  @Override
  public void before() {
    Map<String, List<String>> byAccount = new HashMap<>();
    for (String account : Target.ACCOUNTS) {
      byAccount.put(account, Target.sampleIds(account, 1000));
    }
    ids = byAccount;
    startedAt = System.nanoTime();
  }

  /** The arrival rate of the stair the ramp is on now. */
  private static double currentRate() {
    long level = (System.nanoTime() - startedAt) / LEVEL.plusSeconds(2).toNanos();
    return START + STEP * Math.min(level, LEVELS - 1);
  }

  private static Iterator<Map<String, Object>> arrivals() {
    return Stream.generate(() -> {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      String account = Target.ACCOUNTS.get(r.nextInt(Target.ACCOUNTS.size()));
      List<String> known = ids.get(account);
      Map<String, Object> arrival = new HashMap<>();
      arrival.put("account", account);
      arrival.put("id", known.get(r.nextInt(known.size())));
      arrival.put("get", r.nextDouble(100) < GET_PERCENT);
      return arrival;
    }).iterator();
  }

  private final ScenarioBuilder arrival = scenario("open ramp")
      .feed(arrivals())
      .doIfOrElse("#{get}").then(
          exec(http("ramp: get one").get(Target.REGISTRATIONS + "/#{id}")
              .check(status().is(200), responseTimeInMillis().saveAs("ms"))))
      .orElse(
          exec(http("ramp: list 50").get(Target.REGISTRATIONS + "?per_page=50")
              .check(status().is(200), responseTimeInMillis().saveAs("ms"))))
      // Past the knee an open model only builds a queue: stop there, so the report shows the knee
      // and the run ends instead of drowning the gateway (-DkneeMs=0 keeps climbing to the top).
      .exec(stopLoadGeneratorIf(
          session -> String.format("knee passed: a response took %d ms (over -DkneeMs=%d) at about %.0f arrivals/s",
              session.contains("ms") ? session.getInt("ms") : -1, KNEE_MS, currentRate()),
          session -> KNEE_MS > 0 && System.nanoTime() - startedAt > WARM_UP.toNanos()
              && session.contains("ms") && session.getInt("ms") > KNEE_MS));

  {
    setUp(arrival.injectOpen(
        incrementUsersPerSec(STEP).times(LEVELS).eachLevelLasting(LEVEL)
            .separatedByRampsLasting(Duration.ofSeconds(2)).startingFrom(START)))
        .protocols(Target.protocol())
        .maxDuration(LEVEL.plusSeconds(2).multipliedBy(LEVELS).plusSeconds(60))
        .assertions(
            global().failedRequests().percent().lt(MAX_FAILED_PERCENT),
            global().responseTime().percentile(99).lt(P99_MS));
  }
}
