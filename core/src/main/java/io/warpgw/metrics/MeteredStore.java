package io.warpgw.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.warpgw.error.GatewayException;
import io.warpgw.model.Page;
import io.warpgw.model.Registration;
import io.warpgw.model.RegistrationPatch;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.spi.RegistrationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Times every store operation into {@code gateway_store_operations_seconds}, tagged with the store,
 * the operation and its outcome ({@code ok} or the API error it became), so a slow or failing backend
 * shows up by name.
 */
public final class MeteredStore implements RegistrationStore {
  private final RegistrationStore delegate;
  private final String storeName;
  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

  public MeteredStore(RegistrationStore delegate, String storeName, MeterRegistry registry) {
    this.delegate = delegate;
    this.storeName = storeName;
    this.registry = registry;
  }

  private <T> Future<T> timed(String op, Supplier<Future<T>> call) {
    long start = System.nanoTime();
    return call.get().andThen(ar -> {
      String outcome = ar.cause() == null ? "ok"
          : ar.cause() instanceof GatewayException g ? g.error().name().toLowerCase(java.util.Locale.ROOT) : "internal";
      timer(op, outcome).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    });
  }

  private Timer timer(String op, String outcome) {
    return timers.computeIfAbsent(op + ' ' + outcome, k -> Timer.builder("gateway_store_operations")
        .description("Store operations by store, operation and outcome")
        .tag("store", storeName)
        .tag("operation", op)
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(20_000))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry));
  }

  @Override
  public Future<Page> list(String accountId, RegistrationQuery query) {
    return timed("list", () -> delegate.list(accountId, query));
  }

  @Override
  public Future<Registration> get(String accountId, String id) {
    return timed("get", () -> delegate.get(accountId, id));
  }

  @Override
  public Future<Registration> create(String accountId, Registration registration) {
    return timed("create", () -> delegate.create(accountId, registration));
  }

  @Override
  public Future<Set<String>> insertBatch(String accountId, List<Registration> batch) {
    return timed("insert_batch", () -> delegate.insertBatch(accountId, batch));
  }

  @Override
  public Future<Registration> update(String accountId, String id, RegistrationPatch patch, Instant now) {
    return timed("update", () -> delegate.update(accountId, id, patch, now));
  }

  @Override
  public Future<Void> delete(String accountId, String id) {
    return timed("delete", () -> delegate.delete(accountId, id));
  }

  @Override
  public Future<Void> deleteAll(String accountId, Set<String> ids) {
    return timed("delete_all", () -> delegate.deleteAll(accountId, ids));
  }

  @Override
  public Future<Void> revoke(String accountId, Set<String> ids, Instant now) {
    return timed("revoke", () -> delegate.revoke(accountId, ids, now));
  }

  @Override
  public Future<Void> unrevoke(String accountId, Set<String> ids, Instant now) {
    return timed("unrevoke", () -> delegate.unrevoke(accountId, ids, now));
  }

  @Override
  public Future<List<String>> accounts() {
    return timed("accounts", delegate::accounts);
  }

  @Override
  public Future<Void> deleteAccount(String accountId) {
    return timed("delete_account", () -> delegate.deleteAccount(accountId));
  }

  @Override
  public Future<Void> reset() {
    return timed("reset", delegate::reset);
  }

  @Override
  public java.util.Optional<io.warpgw.spi.RateCounters> rateCounters() {
    return delegate.rateCounters();
  }

  @Override
  public Future<Void> ping() {
    return timed("ping", delegate::ping);
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }
}
