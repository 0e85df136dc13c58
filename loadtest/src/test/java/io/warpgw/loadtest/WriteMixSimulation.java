package io.warpgw.loadtest;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Write mix, the life of a batch of devices: create {@code -Dbatch} (20) fresh registrations (POST, 201),
 * revoke them all in one call, check one reads back revoked, unrevoke them, send each a PATCH heartbeat,
 * then bulk-delete the batch and check it is gone (404). Every registration it creates it deletes, so
 * the accounts end as they began; ids start with {@code loadtest-} so a run cut short can be found with
 * {@code search=loadtest-} and removed. Needs a {@code write} token.
 *
 * <p>Closed model: {@code -Dusers} (8) concurrent users for {@code -Dduration} (60) s.
 * Green means: no failed request, p99 under {@code -Dp99Ms} (2000 ms).
 */
public class WriteMixSimulation extends Simulation {
  private static final int USERS = Target.intProperty("users", 8);
  private static final int BATCH = Target.intProperty("batch", 20);
  private static final Duration DURATION = Target.seconds("duration", 60);
  private static final int P99_MS = Target.intProperty("p99Ms", 2000);

  private static Session newBatch(Session session) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    List<String> ids = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      ids.add("loadtest-" + UUID.randomUUID());
    }
    return session.set("account", Target.ACCOUNTS.get(r.nextInt(Target.ACCOUNTS.size())))
        .set("ids", ids)
        .set("first", ids.get(0));
  }

  private static Session now(Session session) {
    return session.set("now", Instant.now().truncatedTo(ChronoUnit.MICROS).toString());
  }

  private static final String CREATE_BODY = """
      {"id":"#{id}","device":{"id":"device-#{id}","name":"Load test #{id}","client_version":"2025.5.735.1"},\
      "key":"dGVzdGtleXRlc3RrZXl0ZXN0a2V5dGVzdGtleXRlc3Q=","key_type":"curve25519","tunnel_type":"wireguard",\
      "user":{"id":"loadtest-user","email":"loadtest@example.com","name":"Load Test"}}""";

  private final ScenarioBuilder writeMix = scenario("write mix")
      .exec(WriteMixSimulation::newBatch)
      .foreach("#{ids}", "id").on(
          http("create (POST)").post(Target.REGISTRATIONS).body(StringBody(CREATE_BODY)).asJson()
              .check(status().is(201), jsonPath("$.result.id").isEL("#{id}")))
      .exec(http("revoke (bulk)").post(Target.REGISTRATIONS + "/revoke").multivaluedQueryParam("id", "#{ids}")
          .check(status().is(200), jsonPath("$.success").ofBoolean().is(true)))
      .exec(http("get revoked").get(Target.REGISTRATIONS + "/#{first}")
          .check(status().is(200), jsonPath("$.result.revoked_at").notNull()))
      .exec(http("unrevoke (bulk)").post(Target.REGISTRATIONS + "/unrevoke").multivaluedQueryParam("id", "#{ids}")
          .check(status().is(200)))
      .foreach("#{ids}", "id").on(
          exec(WriteMixSimulation::now)
              .exec(http("PATCH heartbeat").patch(Target.REGISTRATIONS + "/#{id}")
                  .body(StringBody("{\"last_seen_at\":\"#{now}\"}")).asJson()
                  .check(status().is(200), jsonPath("$.result.revoked_at").isNull(),
                      jsonPath("$.result.last_seen_at").isEL("#{now}"))))
      .exec(http("bulk delete").delete(Target.REGISTRATIONS).multivaluedQueryParam("id", "#{ids}")
          .check(status().is(200)))
      .exec(http("get deleted (404)").get(Target.REGISTRATIONS + "/#{first}")
          .check(status().is(404), jsonPath("$.errors[0].code").ofInt().is(1004)));

  {
    setUp(writeMix.injectClosed(constantConcurrentUsers(USERS).during(DURATION)))
        .protocols(Target.protocol())
        .maxDuration(DURATION.plusSeconds(30))
        .assertions(
            global().failedRequests().count().is(0L),
            global().responseTime().percentile(99).lt(P99_MS),
            details("bulk delete").allRequests().count().gt(0L));
  }
}
