package io.warpgw.launcher;

import io.vertx.core.Future;
import io.warpgw.model.Page;
import io.warpgw.model.Position;
import io.warpgw.model.RegistrationQuery;
import io.warpgw.model.SortField;
import io.warpgw.model.SortOrder;
import io.warpgw.model.Status;
import io.warpgw.spi.RegistrationStore;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams registrations from one store into another, a page at a time (revoked ones too), then
 * checks that the target account holds as many as the source. This is how a deployment changes
 * backends without losing data.
 */
public final class Copier {
  private static final Logger LOG = LoggerFactory.getLogger(Copier.class);
  static final int PAGE = 1000;

  private final RegistrationStore from;
  private final RegistrationStore to;
  private long copied;
  private long existed;

  public Copier(RegistrationStore from, RegistrationStore to) {
    this.from = from;
    this.to = to;
  }

  /** The outcome of a copy: how many were written, and how many the target already had. */
  public record Result(long copied, long alreadyThere, int accounts) {}

  /** Copies the given account, or every account of the source when {@code account} is null. */
  public Future<Result> copy(String account) {
    Future<List<String>> accounts = account != null ? Future.succeededFuture(List.of(account)) : from.accounts();
    return accounts.compose(list -> {
      Future<Void> chain = Future.succeededFuture();
      for (String a : list) {
        chain = chain.compose(v -> copyAccount(a)).compose(v -> check(a));
      }
      return chain.map(v -> new Result(copied, existed, list.size()));
    });
  }

  private static final RegistrationQuery EVERYTHING = RegistrationQuery.all().withStatus(Status.ALL)
      .withSort(SortField.ID, SortOrder.ASC).withPerPage(PAGE);

  private Future<Void> copyAccount(String account) {
    LOG.info("copying account {}", account);
    return page(account, null);
  }

  private Future<Void> page(String account, Position after) {
    return from.list(account, EVERYTHING.withAfter(after)).compose(p -> write(account, p));
  }

  private Future<Void> write(String account, Page p) {
    if (p.items().isEmpty()) {
      return Future.succeededFuture();
    }
    return to.insertBatch(account, p.items()).compose(already -> {
      copied += p.items().size() - already.size();
      existed += already.size();
      if (!already.isEmpty()) {
        LOG.warn("account {}: {} registrations already in the target were left as they are", account, already.size());
      }
      if ((copied + existed) % (PAGE * 50L) < PAGE) {
        LOG.info("copy: {} registrations so far", copied + existed);
      }
      return p.next() == null ? Future.succeededFuture() : page(account, p.next());
    });
  }

  /** The final count check: the target account must hold at least every source registration. */
  private Future<Void> check(String account) {
    return count(from, account, null, 0).compose(source -> count(to, account, null, 0).compose(target -> {
      LOG.info("account {}: {} registrations in the source, {} in the target", account, source, target);
      return target >= source ? Future.succeededFuture()
          : Future.failedFuture(new IllegalStateException("account " + account + ": the target holds "
              + target + " registrations, the source " + source));
    }));
  }

  private static Future<Long> count(RegistrationStore store, String account, Position after, long sofar) {
    return store.list(account, EVERYTHING.withAfter(after)).compose(p -> {
      long n = sofar + p.items().size();
      return p.next() == null ? Future.succeededFuture(n) : count(store, account, p.next(), n);
    });
  }
}
