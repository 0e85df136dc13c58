package io.warpgw.store.postgres;

import static io.warpgw.store.postgres.PostgresRegistrationStoreTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.model.Status;
import io.warpgw.spi.RegistrationStore;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.DisplayName;

/** Gateways behind a load balancer share one database and no state of their own. */
class TwoStoresTest {
  @Test
  @DisplayName("two store instances on one database see each other's writes and revokes at once")
  void sharedDatabase() throws Exception {
    Vertx one = Vertx.vertx();
    Vertx two = Vertx.vertx();
    RegistrationStore a = await(new PostgresStoreProvider().create(one, PostgresTestServer.config()));
    RegistrationStore b = await(new PostgresStoreProvider().create(two, PostgresTestServer.config()));
    try {
      String account = Registrations.account();
      List<Registration> rs = List.of(Registrations.simple("x"), Registrations.simple("y"));
      await(a.insertBatch(account, rs));
      assertThat(await(b.get(account, "x"))).isEqualTo(rs.get(0));

      Instant now = Instant.parse("2026-01-01T00:00:00.000001Z");
      await(b.revoke(account, Set.of("x", "y"), now));
      assertThat(await(a.get(account, "x")).revokedAt()).isEqualTo(now);
      assertThat(await(a.list(account, RegistrationQuery.all())).items()).isEmpty();
      assertThat(await(a.list(account, RegistrationQuery.all().withStatus(Status.REVOKED))).items())
          .extracting(Registration::id).containsExactly("x", "y");

      await(a.unrevoke(account, Set.of("y"), now.plusSeconds(1)));
      assertThat(await(b.list(account, RegistrationQuery.all())).items())
          .extracting(Registration::id).containsExactly("y");
      await(a.deleteAll(account, Set.of("x")));
      assertThat(await(b.list(account, RegistrationQuery.all().withStatus(Status.ALL))).items())
          .extracting(Registration::id).containsExactly("y");
    } finally {
      await(a.close());
      await(b.close());
      await(one.close());
      await(two.close());
    }
  }
}
