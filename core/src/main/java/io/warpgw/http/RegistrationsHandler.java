package io.warpgw.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.warpgw.auth.Permission;
import io.warpgw.cursor.CursorCodec;
import io.warpgw.error.GatewayException;
import io.warpgw.json.JsonBodies;
import io.warpgw.json.RegistrationJson;
import io.warpgw.model.Page;
import io.warpgw.model.Registration;
import io.warpgw.model.Timestamps;
import io.warpgw.spi.RegistrationStore;
import java.time.Clock;
import java.util.Set;
import java.util.function.Supplier;

/** The registrations endpoints: parse, authorize, call the store, render. Nothing else. */
final class RegistrationsHandler {
  private final RegistrationStore store;
  private final Access access;
  private final CursorCodec cursors;
  private final Clock clock;

  RegistrationsHandler(RegistrationStore store, Access access, CursorCodec cursors, Clock clock) {
    this.store = store;
    this.access = access;
    this.cursors = cursors;
    this.clock = clock;
  }

  void list(RoutingContext ctx) {
    run(ctx, () -> {
      String account = access.account(ctx, Permission.READ);
      ListRequest req = ListRequest.parse(query(ctx), account, cursors);
      return store.list(account, req.query()).map(page -> {
        Envelope.send(ctx.response(), 200, JsonBodies.page(page.items(), req.includePolicy(),
            req.query().perPage(), nextCursor(account, req, page)));
        return null;
      });
    });
  }

  private String nextCursor(String account, ListRequest req, Page page) {
    return page.next() == null ? "" : cursors.encode(account, req.fingerprint(), page.next());
  }

  void get(RoutingContext ctx) {
    run(ctx, () -> {
      String account = access.account(ctx, Permission.READ);
      String id = Access.registrationId(ctx);
      boolean includePolicy = includePolicy(ctx);
      return store.get(account, id).map(r -> {
        Envelope.send(ctx.response(), 200, JsonBodies.one(r, includePolicy));
        return null;
      });
    });
  }

  void delete(RoutingContext ctx) {
    run(ctx, () -> {
      String account = access.account(ctx, Permission.WRITE);
      String id = Access.registrationId(ctx);
      return store.delete(account, id).map(v -> ok(ctx, 200, null));
    });
  }

  void bulkDelete(RoutingContext ctx) {
    run(ctx, () -> {
      String account = access.account(ctx, Permission.WRITE);
      Set<String> ids = ListRequest.bulkIds(query(ctx));
      return store.deleteAll(account, ids).map(v -> ok(ctx, 200, null));
    });
  }

  void revoke(RoutingContext ctx) {
    run(ctx, () -> {
      String account = access.account(ctx, Permission.WRITE);
      Set<String> ids = ListRequest.bulkIds(query(ctx));
      return store.revoke(account, ids, Timestamps.now(clock)).map(v -> ok(ctx, 200, null));
    });
  }

  void unrevoke(RoutingContext ctx) {
    run(ctx, () -> {
      String account = access.account(ctx, Permission.WRITE);
      Set<String> ids = ListRequest.bulkIds(query(ctx));
      return store.unrevoke(account, ids, Timestamps.now(clock)).map(v -> ok(ctx, 200, null));
    });
  }

  void create(RoutingContext ctx) {
    run(ctx, () -> {
      String account = access.account(ctx, Permission.WRITE);
      Registration r = RegistrationJson.fromCreate(jsonBody(ctx), Timestamps.now(clock));
      return store.create(account, r).map(stored -> ok(ctx, 201, RegistrationJson.toJson(stored, true)));
    });
  }

  void update(RoutingContext ctx) {
    run(ctx, () -> {
      String account = access.account(ctx, Permission.WRITE);
      String id = Access.registrationId(ctx);
      var patch = RegistrationJson.patchFrom(jsonBody(ctx));
      return store.update(account, id, patch, Timestamps.now(clock))
          .map(r -> ok(ctx, 200, RegistrationJson.toJson(r, true)));
    });
  }

  void importNdjson(RoutingContext ctx) {
    run(ctx, () -> {
      String account = access.account(ctx, Permission.WRITE);
      return new ImportJob(store, account, clock, ctx.request()).run()
          .map(result -> ok(ctx, 200, result));
    });
  }

  void export(RoutingContext ctx) {
    run(ctx, () -> {
      String account = access.account(ctx, Permission.WRITE);
      return new ExportJob(store, account, ctx.response()).run();
    });
  }

  private static Void ok(RoutingContext ctx, int status, Object result) {
    Envelope.success(ctx.response(), status, result, null);
    return null;
  }

  private static QueryParams query(RoutingContext ctx) {
    return QueryParams.parse(ctx.request().uri());
  }

  private static boolean includePolicy(RoutingContext ctx) {
    return ListRequest.include(query(ctx).all("include"));
  }

  static JsonObject jsonBody(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw GatewayException.invalid("the body must be a JSON object; it was empty");
    }
    Object value;
    try {
      value = Json.decodeValue(body);
    } catch (RuntimeException e) {
      throw GatewayException.invalid("the body is not valid JSON: " + e.getMessage());
    }
    if (!(value instanceof JsonObject o)) {
      throw GatewayException.invalid("the body must be a JSON object");
    }
    return o;
  }

  /** Runs an operation, turning synchronous throws and failed futures alike into ctx.fail. */
  private static void run(RoutingContext ctx, Supplier<Future<Void>> op) {
    Future<Void> result;
    try {
      result = op.get();
    } catch (RuntimeException e) {
      ctx.fail(e);
      return;
    }
    result.onFailure(ctx::fail);
  }
}
