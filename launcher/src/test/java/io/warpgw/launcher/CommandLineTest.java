package io.warpgw.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The command line's seeding options")
class CommandLineTest {
  @Test
  @DisplayName("--per-account M1,M2 gives account-1 M1 and every later account M2")
  void perAccountSizes() {
    AccountSizes sizes = CommandLine.parse(new String[] {"seed", "--accounts", "4", "--per-account", "1000,10"})
        .seeding();
    assertThat(sizes.of(1)).isEqualTo(1000);
    assertThat(sizes.of(2)).isEqualTo(10);
    assertThat(sizes.of(4)).isEqualTo(10);
    assertThat(sizes.total()).isEqualTo(1030);
  }

  @Test
  @DisplayName("seed defaults to 1000 per account; serve preloads only when asked, evenly with --seed-count")
  void defaults() {
    assertThat(CommandLine.parse(new String[] {"seed", "--accounts", "3"}).seeding().total()).isEqualTo(3000);
    assertThat(CommandLine.parse(new String[] {"serve"}).seeding()).isNull();
    AccountSizes even = CommandLine.parse(new String[] {"serve", "--seed-count", "100", "--accounts", "4"}).seeding();
    assertThat(even.of(1)).isEqualTo(25);
    assertThat(even.of(4)).isEqualTo(25);
    assertThat(CommandLine.parse(new String[] {"serve", "--per-account", "7", "--accounts", "2"}).seeding().total())
        .isEqualTo(14);
  }

  @Test
  @DisplayName("bad sizes are refused with what to write instead")
  void badSizes() {
    assertThatThrownBy(() -> CommandLine.parse(new String[] {"seed", "--per-account", "10,x"}))
        .hasMessageContaining("comma-separated").hasMessageContaining("10,x");
    assertThatThrownBy(() -> CommandLine.parse(new String[] {"seed", "--per-account", "-1"}))
        .hasMessageContaining("from 0 to");
    assertThatThrownBy(() -> CommandLine.parse(new String[] {"serve", "--per-account", "1", "--seed-count", "5"}))
        .hasMessageContaining("not both");
  }
}
