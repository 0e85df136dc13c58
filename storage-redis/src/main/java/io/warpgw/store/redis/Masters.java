package io.warpgw.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How whole-store work reaches every master. A SCAN cursor belongs to one server, but the cluster
 * client sends a command without keys to any node. So a scan step runs as a script whose only key
 * hashes to a slot of the wanted master: one route key per master, found from CLUSTER SLOTS. A
 * standalone or sentinel store has a single master, and any key routes there.
 *
 * <p>A resharding while a scan runs may move a route key's slot to another master; the scan then
 * misses or repeats keys, as any cluster-wide SCAN would.
 */
final class Masters {
  static final int SLOTS = 16384;

  private Masters() {}

  /** One route key per master: {@code send} runs CLUSTER SLOTS when {@code cluster}. */
  static Future<List<String>> routes(boolean cluster, Keys keys,
      Function<Request, Future<Response>> send) {
    if (!cluster) {
      return Future.succeededFuture(List.of(keys.route(0)));
    }
    return send.apply(Request.cmd(Command.CLUSTER).arg("SLOTS")).map(slots -> {
      // master "host:port" -> its slot ranges
      Map<String, List<int[]>> masters = new LinkedHashMap<>();
      for (Response range : slots) {
        Response master = range.get(2);
        masters.computeIfAbsent(master.get(0) + ":" + master.get(1), m -> new ArrayList<>())
            .add(new int[] {range.get(0).toInteger(), range.get(1).toInteger()});
      }
      List<String> routes = new ArrayList<>(masters.size());
      for (List<int[]> ranges : masters.values()) {
        routes.add(routeInto(keys, ranges));
      }
      return routes;
    });
  }

  /** The first route key whose slot lies in one of the ranges. */
  private static String routeInto(Keys keys, List<int[]> ranges) {
    // A master owns at least one slot, and about one key in 16384 hashes to any given slot.
    for (int n = 0; n < 100 * SLOTS; n++) {
      String key = keys.route(n);
      int slot = slot(key);
      for (int[] r : ranges) {
        if (r[0] <= slot && slot <= r[1]) {
          return key;
        }
      }
    }
    throw new IllegalStateException("no route key hashes to the slots " + ranges.stream()
        .map(r -> r[0] + "-" + r[1]).toList());
  }

  /** The cluster slot of a key without a hash tag: CRC16 (XMODEM) of its bytes, mod 16384. */
  static int slot(String key) {
    int crc = 0;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      crc ^= (b & 0xff) << 8;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      crc &= 0xffff;
    }
    return crc % SLOTS;
  }
}
