package io.warpgw.launcher;

/**
 * The jar's entry point. It picks the log format before anything touches a logger:
 * {@code GATEWAY_LOG_FORMAT=json} selects one JSON object per line.
 */
public final class Boot {
  private Boot() {}

  public static void main(String[] args) {
    if ("json".equalsIgnoreCase(System.getenv("GATEWAY_LOG_FORMAT"))
        && System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-json.xml");
    }
    Main.main(args);
  }
}
