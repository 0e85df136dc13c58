package io.warpgw.launcher;

import java.nio.file.Path;

/** The command line, parsed: a command, {@code --config FILE}, and the seeding options. */
public record CommandLine(String command, Path configFile, int accounts, java.util.List<Long> perAccount, long seed,
    long seedCount, boolean help, Path from, Path to, String account) {

  static final String USAGE = """
      usage: java -jar gateway.jar [serve|seed] [--config FILE] [options]
        serve (default)   serve the API; --seed-count N preloads N synthetic registrations
                          (spread over --accounts, default 1) before listening, or give
                          --accounts and --per-account as for seed
        seed              write synthetic registrations into the configured store and exit:
                          --accounts N (default 1) --per-account M (default 1000) --seed S (default 1);
                          --per-account M1,M2,… gives account-1 M1, account-2 M2, …, the last repeating
        copy              --from A.yaml --to B.yaml [--account ID]: copy every registration (or one
                          account's) from the store configured in A to the one in B, then check counts
        --config FILE     YAML or JSON config; GATEWAY_* environment variables and -Dgateway.*
                          system properties override it (e.g. GATEWAY_STORAGE_TYPE=redis)
      Accounts are named account-1 … account-N.""";

  public static CommandLine parse(String[] args) {
    String command = "serve";
    Path config = null;
    int accounts = 1;
    java.util.List<Long> perAccount = null;
    long seed = 1;
    long seedCount = 0;
    boolean help = false;
    Path from = null;
    Path to = null;
    String account = null;
    int i = 0;
    if (args.length > 0 && !args[0].startsWith("-")) {
      command = args[0];
      i = 1;
      if (!command.equals("serve") && !command.equals("seed") && !command.equals("copy")) {
        throw new IllegalArgumentException("unknown command '" + command + "'; use serve, seed or copy");
      }
    }
    for (; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> help = true;
        case "--config" -> config = Path.of(value(args, ++i, a));
        case "--accounts" -> accounts = (int) number(args, ++i, a, 1, 1_000_000);
        case "--per-account" -> perAccount = AccountSizes.parse(value(args, ++i, a), 1_000_000_000L);
        case "--seed" -> seed = number(args, ++i, a, Long.MIN_VALUE, Long.MAX_VALUE);
        case "--seed-count" -> seedCount = number(args, ++i, a, 0, 1_000_000_000L);
        case "--from" -> from = Path.of(value(args, ++i, a));
        case "--to" -> to = Path.of(value(args, ++i, a));
        case "--account" -> account = value(args, ++i, a);
        default -> throw new IllegalArgumentException("unknown option '" + a + "'");
      }
    }
    if (command.equals("copy") && !help && (from == null || to == null)) {
      throw new IllegalArgumentException("copy needs --from FILE and --to FILE");
    }
    if (perAccount != null && seedCount > 0) {
      throw new IllegalArgumentException("give either --seed-count or --per-account, not both");
    }
    return new CommandLine(command, config, accounts, perAccount, seed, seedCount, help, from, to, account);
  }

  /**
   * What to seed: {@code --per-account} sizes, else {@code --seed-count} spread evenly, else (seed only)
   * 1000 per account; null when serve preloads nothing.
   */
  public AccountSizes seeding() {
    if (perAccount != null) {
      return new AccountSizes(accounts, perAccount);
    }
    if (seedCount > 0) {
      return AccountSizes.even(accounts, seedCount / accounts);
    }
    return command.equals("seed") ? AccountSizes.even(accounts, 1000) : null;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static long number(String[] args, int i, String option, long min, long max) {
    String v = value(args, i, option);
    try {
      long n = Long.parseLong(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(option + " must be an integer from " + min + " to " + max + ", got '" + v + "'");
  }
}
