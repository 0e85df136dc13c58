package io.warpgw.http;

import io.vertx.ext.web.RoutingContext;
import io.warpgw.admin.Faults;
import io.warpgw.admin.RequestJournal;
import io.warpgw.error.GatewayException;
import io.warpgw.model.Quote;
import io.warpgw.model.Timestamps;
import java.time.Instant;

/** {@code /__admin}: the request journal and the fault rules, for credentials with admin permission. */
final class AdminHandler {
  private final Access access;
  private final RequestJournal journal;
  private final Faults faults;
  private final io.warpgw.spi.RegistrationStore store;

  AdminHandler(Access access, RequestJournal journal, Faults faults, io.warpgw.spi.RegistrationStore store) {
    this.access = access;
    this.journal = journal;
    this.faults = faults;
    this.store = store;
  }

  /** Everything: every account's registrations, the journal; fault rules stay (they are config). */
  void reset(RoutingContext ctx) {
    guard(ctx, () -> {
      access.admin(ctx);
      store.reset()
          .onSuccess(v -> {
            journal.clear();
            Envelope.success(ctx.response(), 200, null, null);
          })
          .onFailure(ctx::fail);
    });
  }

  void deleteAccount(RoutingContext ctx) {
    guard(ctx, () -> {
      access.admin(ctx);
      String account = io.warpgw.model.Identifiers.require("account_id", ctx.pathParam("account_id"));
      store.deleteAccount(account)
          .onSuccess(v -> Envelope.success(ctx.response(), 200, null, null))
          .onFailure(ctx::fail);
    });
  }

  void requests(RoutingContext ctx) {
    guard(ctx, () -> {
      access.admin(ctx);
      QueryParams q = QueryParams.parse(ctx.request().uri());
      Instant since = null;
      String s = q.single("since");
      if (s != null) {
        since = Timestamps.parse(s);
        if (since == null) {
          throw GatewayException.invalid("since must be an RFC 3339 time, got " + Quote.of(s));
        }
      }
      Integer status = null;
      String st = q.single("status");
      if (st != null) {
        try {
          status = Integer.parseInt(st);
        } catch (NumberFormatException e) {
          throw GatewayException.invalid("status must be an HTTP status such as 404, got " + Quote.of(st));
        }
      }
      Envelope.success(ctx.response(), 200, journal.query(since, status, q.single("path")), null);
    });
  }

  void faults(RoutingContext ctx) {
    guard(ctx, () -> {
      access.admin(ctx);
      Envelope.success(ctx.response(), 200, faults.toJson(), null);
    });
  }

  void replaceFaults(RoutingContext ctx) {
    guard(ctx, () -> {
      access.admin(ctx);
      faults.replace(RegistrationsHandler.jsonBody(ctx));
      Envelope.success(ctx.response(), 200, faults.toJson(), null);
    });
  }

  void clearFaults(RoutingContext ctx) {
    guard(ctx, () -> {
      access.admin(ctx);
      faults.clear();
      Envelope.success(ctx.response(), 200, faults.toJson(), null);
    });
  }

  private static void guard(RoutingContext ctx, Runnable op) {
    try {
      op.run();
    } catch (RuntimeException e) {
      ctx.fail(e);
    }
  }

}
