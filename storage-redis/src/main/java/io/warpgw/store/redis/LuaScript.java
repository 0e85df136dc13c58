package io.warpgw.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One of the store's Lua scripts, run by EVALSHA. A server that does not know it (restarted, flushed,
 * a cluster node that never ran it) answers NOSCRIPT; the script then goes once as EVAL, which also
 * caches it on exactly the node that owns the account's slot.
 */
final class LuaScript {
  private final String name;
  private final String source;
  private final String sha;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha = sha1(source);
  }

  static LuaScript load(String name) {
    String source = Keys.luaPrelude() + RecordFields.luaPrelude() + resource("common.lua")
        + "\n-- " + name + "\n" + resource(name + ".lua");
    return new LuaScript(name, source);
  }

  String name() {
    return name;
  }

  /** Runs the script with {@code key} as its only declared key (the account's base key). */
  Future<Response> run(SlotRouter router, String key, List<String> args) {
    return router.send(key, request(Command.EVALSHA, sha, key, args))
        .recover(e -> isNoScript(e)
            ? router.send(key, request(Command.EVAL, source, key, args))
            : Future.failedFuture(e));
  }

  private static Request request(Command command, String script, String key, List<String> args) {
    Request r = Request.cmd(command).arg(script).arg(1).arg(key);
    for (String a : args) {
      r.arg(a);
    }
    return r;
  }

  private static boolean isNoScript(Throwable e) {
    String m = e.getMessage();
    return m != null && m.startsWith("NOSCRIPT");
  }

  private static String resource(String file) {
    try (InputStream in = LuaScript.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException("missing Lua script " + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
