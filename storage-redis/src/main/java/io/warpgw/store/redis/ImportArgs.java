package io.warpgw.store.redis;

import io.warpgw.model.Registration;
import java.util.List;

/**
 * The arguments of the insert script for one registration: its id, stored value, status and every
 * index member, built here so that the script, which runs inside single-threaded Redis, only stores.
 * The members are the ones the other scripts derive from the stored value (common.lua, member and
 * entries); the consistency tests check that both agree.
 */
final class ImportArgs {
  static final int PER_REGISTRATION = 10;

  private ImportArgs() {}

  static void append(Registration r, List<String> args) {
    String id = r.id();
    String created = SortKeys.time(r.createdAt());
    String lastSeen = SortKeys.time(r.lastSeenAt());
    String name = SortKeys.text(r.userName());
    String email = SortKeys.text(r.userEmail());
    args.add(id);
    args.add(RecordFields.pack(r, created, lastSeen, name, email));
    args.add(r.revoked() ? Keys.REVOKED : Keys.ACTIVE);
    args.add(created + id);
    args.add(lastSeen + id);
    args.add(name + SortKeys.END + id);
    args.add(email + SortKeys.END + id);
    args.add(r.device().id() + SortKeys.END + id);
    args.add(r.userId() == null ? "" : r.userId() + SortKeys.END + id);
    args.add(r.policy() == null ? "" : r.policy().id() + SortKeys.END + id);
  }
}
