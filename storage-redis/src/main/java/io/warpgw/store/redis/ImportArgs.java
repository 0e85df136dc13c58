package io.warpgw.store.redis;

import io.warpgw.model.CodePoints;
import io.warpgw.model.Registration;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of the insert script for one batch, built here so that the script, which runs
 * inside single-threaded Redis, only stores: the count, the ids, their stored values, then every
 * index key's members (in {@link #KEYS}' order: the five sort indexes of active registrations, the
 * five of revoked ones, device, user, policy), each list a count and then score-member pairs the
 * script hands to one ZADD untouched. The members are the ones the other scripts derive from the
 * stored value (common.lua, member and entries); the consistency tests check that both agree.
 *
 * <p>Each list is sorted byte-wise (code-point order is UTF-8 byte order), which is the order Redis
 * keeps the members in: inserting them in that order walks nearly the same skip-list path each
 * time, which the CPU cache already holds, instead of a random one.
 */
final class ImportArgs {
  /** Sort indexes per status, then device, user and policy. */
  static final int KEYS = 13;
  private static final String SCORE = "0";

  private ImportArgs() {}

  static List<String> of(List<Registration> batch) {
    int n = batch.size();
    List<String> ids = new ArrayList<>(n);
    List<String> values = new ArrayList<>(n);
    List<List<String>> members = new ArrayList<>(KEYS);
    for (int k = 0; k < KEYS; k++) {
      members.add(new ArrayList<>(k < 10 && k >= 5 ? 16 : n));
    }
    for (Registration r : batch) {
      String id = r.id();
      String created = SortKeys.time(r.createdAt());
      String lastSeen = SortKeys.time(r.lastSeenAt());
      String name = SortKeys.text(r.userName());
      String email = SortKeys.text(r.userEmail());
      ids.add(id);
      values.add(RecordFields.pack(r, created, lastSeen, name, email));
      int sorts = r.revoked() ? 5 : 0;
      // The order of common.lua's SORTS: id, c, l, n, e.
      members.get(sorts).add(id);
      members.get(sorts + 1).add(created + id);
      members.get(sorts + 2).add(lastSeen + id);
      members.get(sorts + 3).add(name + SortKeys.END + id);
      members.get(sorts + 4).add(email + SortKeys.END + id);
      members.get(10).add(r.device().id() + SortKeys.END + id);
      if (r.userId() != null) {
        members.get(11).add(r.userId() + SortKeys.END + id);
      }
      if (r.policy() != null) {
        members.get(12).add(r.policy().id() + SortKeys.END + id);
      }
    }
    int size = 1 + 2 * n + KEYS;
    for (List<String> m : members) {
      size += 2 * m.size();
    }
    List<String> args = new ArrayList<>(size);
    args.add(Integer.toString(n));
    args.addAll(ids);
    args.addAll(values);
    for (List<String> m : members) {
      m.sort(CodePoints.ORDER);
      args.add(Integer.toString(m.size()));
      for (String member : m) {
        args.add(SCORE);
        args.add(member);
      }
    }
    return args;
  }
}
