package io.warpgw.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One store outage under a steady HTTP load, the same script for every store: 300 requests before,
 * the outage (phase {@code fault}), recovery of every account (phase {@code restarted}), 300 requests
 * after, then every write read back through the API. The store modules' fault tests give only the
 * outage itself and any checks of their own.
 */
public final class OutageUnderLoad {
  /** Stops the store, waits, starts it again; returns a note for the printed header (or ""). */
  @FunctionalInterface
  public interface Outage {
    String run() throws Exception;
  }

  public final SteadyLoad load;
  public final WriteLedger ledger;
  public final long downMs;
  public final String note;
  public final Map<String, Long> recovery;
  public final WriteLedger.Verification verification;

  private OutageUnderLoad(SteadyLoad load, WriteLedger ledger, long downMs, String note,
      Map<String, Long> recovery, WriteLedger.Verification verification) {
    this.load = load;
    this.ledger = ledger;
    this.downMs = downMs;
    this.note = note;
    this.recovery = recovery;
    this.verification = verification;
  }

  public static OutageUnderLoad run(TestGateway gateway, List<String> accounts, Duration hang, Outage outage)
      throws Exception {
    WriteLedger ledger = new WriteLedger();
    SteadyLoad load = SteadyLoad.start(new SteadyLoad.Options(gateway.baseUrl(), gateway.writeToken(),
        accounts, 6, hang, 3), ledger);
    load.awaitRequests(300, Duration.ofSeconds(20));

    load.phase("fault");
    long stopping = System.nanoTime();
    String note = outage.run();
    long downMs = (System.nanoTime() - stopping) / 1_000_000;
    Map<String, Long> recovery = load.awaitRecovery("restarted", Duration.ofSeconds(30));
    load.phase("after");
    load.awaitRequests(300, Duration.ofSeconds(20));
    load.stop();
    WriteLedger.Verification verification = ledger.verify(new ApiClient(gateway.baseUrl(), gateway.writeToken()));
    return new OutageUnderLoad(load, ledger, downMs, note, recovery, verification);
  }

  /** Prints the numbers under {@code title}, e.g. "redis standalone kill -9". */
  public void print(String title) {
    System.out.printf("%s under load (%sdown %d ms):%n%s%n"
            + "  first success after the restart, per account: %s ms%n  %d acknowledged writes; %s%n",
        title, note.isEmpty() ? "" : note + ", ", downMs, load.summary(), recovery,
        ledger.acknowledgedWrites(), verification);
  }

  /**
   * What holds for every store: no problem in any answer or in the read-back, only successes before
   * and after, every account recovered, and something actually checked.
   */
  public void assertHeld() {
    assertThat(load.problems()).isEmpty();
    assertThat(verification.problems()).isEmpty();
    assertThat(load.totals(SteadyLoad.BEFORE).keySet()).containsOnly("200", "201");
    assertThat(recovery.values()).as("every account recovers").allMatch(ms -> ms >= 0);
    assertThat(load.totals("after").keySet()).containsOnly("200", "201");
    assertThat(verification.idsChecked()).isPositive();
  }
}
