package io.warpgw.metrics;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The Prometheus registry behind {@code /metrics}, and the meters the router records into. */
public final class GatewayMetrics {
  private final PrometheusMeterRegistry registry;
  private final ConcurrentHashMap<String, Timer> requestTimers = new ConcurrentHashMap<>();

  public GatewayMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  public static GatewayMetrics create() {
    return new GatewayMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public void recordRequest(String method, String route, int status, long nanos) {
    String id = method + ' ' + route + ' ' + status;
    Timer timer = requestTimers.computeIfAbsent(id, k -> Timer.builder("gateway_http_requests")
        .description("HTTP requests by route and status")
        .tag("method", method)
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(50_000))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry));
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  public String scrape() {
    return registry.scrape();
  }
}
