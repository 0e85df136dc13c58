#!/usr/bin/env python3
"""The arithmetic of bench/run.sh, apart from its process plumbing.

  report.py wrk PREFIX RUNS CLK_TCK STORE CASE
      reads PREFIX.{1..RUNS}.wrk/.cpu/.times, prints one TSV line of medians:
      store case rps p50_ms p99_ms server_cores backend_cores wrk_cores machine_cores timeouts
  report.py ndjson COUNT SEED
      prints COUNT synthetic registrations as NDJSON (for the import case: POST …/import):
      the same shapes as the jar's SyntheticRegistrations (name lists, 1-3 devices per user, 1 in 10
      without a user, 1 in 30 revoked, 60 % default policy), not the same random stream
  report.py markdown WORK OUT FINDINGS
      writes the Markdown report OUT from WORK/results.tsv, WORK/notes.tsv, the JFR extracts
      (WORK/*.samples, WORK/*.gc) and the hand-written FINDINGS file.
"""
import collections
import glob
import os
import re
import statistics
import sys

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
STORES = ["memory", "redis", "postgres"]
CASES = [("get", "GET one registration"), ("list0", "list 50 items, depth 0"),
         ("list10k", "list 50 items, depth 10 000"), ("search", "search, 50 items"),
         ("revoke", "revoke 1000 ids (POST)")]
# ratio of the gateway's requests/s to nginx's (static 567-byte registration), per case kind and store
TARGETS = {("get", "memory"): 0.60, ("get", "redis"): 0.40, ("get", "postgres"): 0.25,
           ("list", "memory"): 0.15, ("list", "redis"): 0.08, ("list", "postgres"): 0.08}
P99_TARGET_MS = 15.0


def ms(value, unit):
    return float(value) * UNITS[unit]


def seconds(text):  # bash `times`: 0m1.234s
    m = re.match(r"(\d+)m([\d.]+)s", text)
    return int(m.group(1)) * 60 + float(m.group(2))


def parse_wrk(prefix, runs, clk_tck, store, case):
    rows = []
    for i in range(1, runs + 1):
        text = open(f"{prefix}.{i}.wrk").read()
        errs = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
        if errs:
            sys.exit(f"{prefix}.{i}: {errs.group(1)} non-2xx responses")
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
        p50 = ms(*re.search(r"50%\s+([\d.]+)(us|ms|s)", text).groups())
        p99 = ms(*re.search(r"99%\s+([\d.]+)(us|ms|s)", text).groups())
        timeouts = re.search(r"timeout (\d+)", text)
        secs = float(re.search(r"requests in ([\d.]+)(m?s)", text).group(1))
        g0, g1, s0, s1, busy0, total0, busy1, total1 = map(float, open(f"{prefix}.{i}.cpu").read().split())
        wall = (total1 - total0) / clk_tck / max(1, os.cpu_count() or 1)  # seconds of wall time
        wall = wall if wall > 0 else secs
        times = open(f"{prefix}.{i}.times").read().split("\n")[1].split()
        wrk_cpu = seconds(times[0]) + seconds(times[1])
        rows.append((rps, p50, p99, (g1 - g0) / clk_tck / wall, (s1 - s0) / clk_tck / wall,
                     wrk_cpu / wall, (busy1 - busy0) / clk_tck / wall, int(timeouts.group(1)) if timeouts else 0))
    med = [statistics.median(r[k] for r in rows) for k in range(7)]
    print("\t".join([store, case, f"{med[0]:.0f}", f"{med[1]:.2f}", f"{med[2]:.2f}",
                     f"{med[3]:.2f}", f"{med[4]:.2f}", f"{med[5]:.2f}", f"{med[6]:.2f}",
                     str(sum(r[7] for r in rows))]))


def load(work):
    results = {}
    for line in open(os.path.join(work, "results.tsv")):
        f = line.rstrip("\n").split("\t")
        results[(f[0], f[1])] = dict(rps=float(f[2]), p50=float(f[3]), p99=float(f[4]), server=float(f[5]),
                                      backend=float(f[6]), wrk=float(f[7]), machine=float(f[8]),
                                      timeouts=int(f[9]))
    notes = {}
    for line in open(os.path.join(work, "notes.tsv")):
        k, _, v = line.rstrip("\n").partition("\t")
        notes[k] = v
    return results, notes


def frame_name(line):
    # "    io.warpgw.http.Envelope.success(HttpServerResponse, int, Object, JsonObject) line: 26"
    name = line.strip()
    name = re.sub(r"\(.*$", "", name)
    return name


# What a sample is spent on: the first frame from the top of the stack that is not a JDK frame decides
# (JDK frames - String, regex, MessageDigest, NIO - are charged to the library or project code calling them).
CATEGORIES = [
    ("auth: SHA-256 of the presented secret", r"^io\.warpgw\.auth\."),
    ("cursor: encode/decode + HMAC", r"^io\.warpgw\.cursor\."),
    ("store: memory indexes", r"^io\.warpgw\.store\.memory\."),
    ("store: PostgreSQL store code", r"^io\.warpgw\.store\.postgres\."),
    ("store: Redis store code", r"^io\.warpgw\.store\.redis\."),
    ("driver: vertx-pg-client / sql-client", r"^io\.vertx\.(pgclient|sqlclient)\."),
    ("driver: vertx-redis-client", r"^io\.vertx\.redis\."),
    ("JSON: model to JSON, Jackson", r"^(io\.warpgw\.json\.|com\.fasterxml\.jackson\.|io\.vertx\.core\.json\.)"),
    ("router: vertx-web route matching", r"^io\.vertx\.ext\.web\."),
    ("metrics: Micrometer", r"^io\.micrometer\."),
    ("logging: SLF4J/Logback", r"^(ch\.qos\.logback|org\.slf4j)\."),
    ("gateway: handlers, parsing, envelope", r"^io\.warpgw\."),
    ("HTTP server: vertx-core HTTP/1.1", r"^io\.vertx\.core\."),
    ("network: Netty, NIO", r"^io\.netty\."),
]
JDK = re.compile(r"^(java|javax|jdk|sun|com\.sun)\.")


def category(stack):
    for frame in stack:
        if JDK.match(frame):
            continue
        for name, pattern in CATEGORIES:
            if re.match(pattern, frame):
                return name
        return "other: " + ".".join(frame.split(".")[:3])
    return "JDK only (" + (stack[0] if stack else "?") + ")"


def profile(path):
    """Self (top-of-stack) counts, categories, threads, from `jfr print` output."""
    self_counts = collections.Counter()
    cats = collections.Counter()
    threads = collections.Counter()
    total = 0
    stack, thread, in_stack = [], None, False
    for line in open(path, errors="replace"):
        s = line.strip()
        if s.startswith("sampledThread"):
            m = re.search(r'"([^"]*)"', s)
            thread = re.sub(r"-\d+$", "-N", m.group(1)) if m else "?"
        elif s.startswith("stackTrace = ["):
            in_stack, stack = True, []
        elif in_stack and s == "]":
            in_stack = False
            if stack:
                total += 1
                threads[thread] += 1
                self_counts[stack[0]] += 1
                cats[category(stack)] += 1
        elif in_stack and s and s != "...":
            stack.append(frame_name(s))
    return total, self_counts, cats, threads


def gc(path):
    pauses = [ms(v, u) for v, u in re.findall(r"sumOfPauses = ([\d.]+) (us|ms|s)", open(path).read())]
    return len(pauses), sum(pauses), max(pauses) if pauses else 0.0


def markdown(work, out, findings):
    results, notes = load(work)
    size = int(notes["size"])
    ngx = [results[k] for k in (("nginx", "static"), ("nginx", "static_end")) if k in results]
    ceiling = statistics.median([r["rps"] for r in ngx])
    ngx_list = ", ".join("%.0f" % r["rps"] for r in ngx)
    L = []
    w = L.append
    w("# Benchmarks")
    w("")
    w("Generated by `bench/run.sh`; do not edit by hand (the findings at the end come from")
    w("`bench/FINDINGS.md`). Figures are measured, never asserted in tests.")
    w("")
    w("```sh")
    w("bench/run.sh                     # full size: 1 000 000 registrations per store")
    w("BENCH_SIZE=100000 bench/run.sh   # quick run")
    w("```")
    w("")
    others, other_size = int(notes.get("others", "0")), int(notes.get("other_size", "0"))
    w(f"Measured {notes['date']} at commit {notes['commit']}, **{size:,} registrations** in `account-1` of ".replace(",", " ")
      + "each store"
      + (f", and {other_size:,} in each of {others} other accounts (`account-2` … `account-{others + 1}`)".replace(",", " ")
         if others and other_size else "") + "; every case reads or writes `account-1`."
      + (f" Gateway jar: `{notes['jar']}` (stores: {notes['stores_in_jar'].strip()})." if notes.get("jar") else ""))
    w(f"Machine: {notes['cores']} cores, {notes['java']}, nginx {notes['nginx']}, wrk and every server on the "
      f"same cores. Load average before / after the run: {notes['load_before']} / {notes.get('load_after', '?')} "
      "(other work on the machine shows up in the *other* column below).")
    w("")
    w(f"Each case: `wrk -t{notes['threads']} -c{notes['connections']} -d{notes['duration']}s --latency` "
      f"{notes['runs']} times after a 3 s warm-up; the table gives the median requests/s, p50 and p99 of the "
      "runs. **Ratio** is the gateway's requests/s over the ceiling: nginx serving a static 567-byte "
      "registration envelope (`bench/registration.json`, the size of a GET response) on one keep-alive "
      f"connection per client, measured at the start and at the end of the same run "
      f"({ngx_list} requests/s; ceiling = {ceiling:.0f}).")
    w("The CPU columns are cores used during the runs (medians): the server process (gateway JVM or the "
      "nginx processes), its backend (redis-server or the PostgreSQL processes), wrk, and *other*: the rest "
      "of the machine's busy time.")
    w("")
    w("| case | store | requests/s | ratio | target | p50 ms | p99 ms | p99 ≤ 15 ms | server | backend | wrk | other |")
    w("|---|---|---:|---:|---|---:|---:|---|---:|---:|---:|---:|")

    def cpu_cells(r):
        other = max(0.0, r["machine"] - r["server"] - r["backend"] - r["wrk"])
        return f"{r['server']:.2f} | {r['backend']:.2f} | {r['wrk']:.2f} | {other:.2f}"

    for k in (("nginx", "static"), ("nginx", "static_end")):
        if k in results:
            r = results[k]
            label = "static 567 B (start)" if k[1] == "static" else "static 567 B (end)"
            w(f"| {label} | nginx | {r['rps']:.0f} | {r['rps'] / ceiling:.2f} | ceiling | {r['p50']:.2f} | "
              f"{r['p99']:.2f} | {'yes' if r['p99'] <= P99_TARGET_MS else 'no'} | {cpu_cells(r)} |")
    verdicts = []
    for case, label in CASES:
        for store in STORES:
            r = results.get((store, case))
            if not r:
                continue
            ratio = r["rps"] / ceiling
            p99ok = r["p99"] <= P99_TARGET_MS
            if case == "revoke":  # a write, no ratio target: the ratio is given for comparison only
                w(f"| {label} | {store} | {r['rps']:.0f} | {ratio:.2f} | none (write) "
                  f"| {r['p50']:.2f} | {r['p99']:.2f} | {'yes' if p99ok else '**no**'} | {cpu_cells(r)} |")
                continue
            target = TARGETS[("get" if case == "get" else "list", store)]
            met = ratio >= target
            verdicts.append((label, store, ratio, target, met, r["p99"], p99ok))
            w(f"| {label} | {store} | {r['rps']:.0f} | {ratio:.2f} | ≥ {target:.2f} {'met' if met else '**not met**'} "
              f"| {r['p50']:.2f} | {r['p99']:.2f} | {'yes' if p99ok else '**no**'} | {cpu_cells(r)} |")
    w("")
    if ("revoke" in {k[1] for k in results}) or notes.get("search"):
        w(f"*search*: `?search={notes.get('search', '?')}&per_page=50` (a last name of the synthetic users; "
          "case-insensitive substring of id, device id and name, user id, email and name); the first "
          "1000-item page of that search held "
          + ", ".join(f"{s}: {notes[f'search_count_{s}']}" for s in STORES if f"search_count_{s}" in notes)
          + " items (1000 = at least that many). "
          f"*revoke*: `POST …/revoke?id=…` with 1000 ids of `account-1` (a ~45 KB request line), measured with "
          f"`-c{notes.get('revoke_connections', '?')}` instead of `-c{notes['connections']}`. wrk repeats the same "
          "request: the first one revokes the 1000, every later one finds them all already revoked, which the "
          "API counts as success and leaves them as they are, so the figure is mostly the all-or-nothing "
          "existence check and the no-op write of 1000 ids, not 1000 state changes per request. It runs last, "
          "after the read cases.")
        w("")
    timeouts = [(k, r["timeouts"]) for k, r in results.items() if r["timeouts"]]
    if timeouts:
        w("wrk socket timeouts (2 s): " + ", ".join(f"{k[0]} {k[1]}: {n}" for k, n in timeouts) + ".")
        w("")
    w("Seeding (the `seeded …` line: memory: `serve --accounts A --per-account SIZE,OTHER`; PostgreSQL and Redis: "
      "the jar's `seed` command with the same options; each one run, through the store's bulk load). "
      "*Import*: after seeding, `POST …/import` of synthetic registrations (NDJSON from `bench/report.py ndjson`, "
      "the seed command's shapes, written to a file first) into the new account `account-import`, timed by curl: "
      "the gateway's NDJSON parsing, validation and batched inserts. "
      "*Bytes / registration*: memory: JVM heap used after a full GC (the gateway's own few MB included); "
      "Redis: `INFO memory` `used_memory` after seeding minus before; PostgreSQL: `pg_total_relation_size` "
      "(table, indexes, TOAST) of the tables after `VACUUM ANALYZE`; each over the registrations seeded, "
      "before the import.")
    w("")
    w("| store | seeding | registrations | seed rate /s | import | bytes / registration | gateway RSS after seeding | GET body | 50-item page body |")
    w("|---|---|---:|---:|---|---:|---:|---:|---:|")
    for store in STORES:
        if f"seed_{store}" in notes:
            rss = int(notes.get(f"rss_{store}", "0") or 0) / 1024
            n = int(notes.get(f"seed_count_{store}", "0") or 0)
            secs = float(notes.get(f"seed_secs_{store}", "0") or 0)
            nbytes = int(notes.get(f"store_bytes_{store}", "0") or 0)
            w(f"| {store} | {notes[f'seed_{store}']} | {n} | {n / secs if secs else 0:.0f} | "
              f"{notes.get(f'import_{store}', '?')} | {nbytes / n if n else 0:.0f} | {rss:.0f} MiB | {notes.get(f'get_bytes_{store}', '?')} B | "
              f"{notes.get(f'list_bytes_{store}', '?').strip()} B |")
    for store in STORES:
        if f"skipped_{store}" in notes:
            w(f"\n{store}: skipped ({notes[f'skipped_{store}']}).")
    w("")
    w("## Targets")
    w("")
    met_all = [v for v in verdicts if v[4] and v[6]]
    w(f"{len(met_all)} of {len(verdicts)} cases meet both their ratio target and p99 ≤ {P99_TARGET_MS:.0f} ms.")
    w("")
    for label, store, ratio, target, met, p99, p99ok in verdicts:
        w(f"- {label}, {store}: ratio {ratio:.2f} vs ≥ {target:.2f} — {'met' if met else 'not met'}; "
          f"p99 {p99:.1f} ms — {'met' if p99ok else 'not met'}.")
    w("")
    samples = sorted(glob.glob(os.path.join(work, "*.samples")))
    if samples:
        w("## Profiles")
        w("")
        w("One more wrk run per case (same load, not counted above) under Java Flight Recorder "
          "(`jcmd PID JFR.start settings=profile`, Java samples every 10 ms per running thread), summarised "
          "from `jfr print --stack-depth 64 --events jdk.ExecutionSample`. *Self* counts the frame on top of "
          "the stack (where the CPU is); *where* charges each sample to the first non-JDK frame from the top (so `String.charAt` inside a regex "
          "called by vertx-web counts as route matching).")
        for path in samples:
            name = os.path.basename(path)[:-len(".samples")]
            store, _, case = name.partition(".")
            total, self_counts, cats, threads = profile(path)
            if total == 0:
                continue
            n, pause, longest = gc(os.path.join(work, name + ".gc")) if os.path.exists(
                os.path.join(work, name + ".gc")) else (0, 0.0, 0.0)
            label = dict(CASES).get(case, case)
            w("")
            w(f"### {store}: {label}")
            w("")
            w(f"{total} samples; threads: " + ", ".join(f"{t} {c}" for t, c in threads.most_common(4))
              + f". GC: {n} pauses, {pause:.0f} ms in total, longest {longest:.1f} ms "
              f"(over a {notes['duration']} s run).")
            w("")
            w("| self | % | frame |")
            w("|---:|---:|---|")
            for f, c in self_counts.most_common(12):
                w(f"| {c} | {100 * c / total:.1f} | `{f}` |")
            w("")
            w("| where | % | spent on |")
            w("|---:|---:|---|")
            for f, c in cats.most_common(10):
                w(f"| {c} | {100 * c / total:.1f} | {f} |")
    w("")
    if findings and os.path.exists(findings):
        w(open(findings).read().rstrip())
        w("")
    with open(out, "w") as fh:
        fh.write("\n".join(L))


FIRST = ["Alice", "Bob", "Chloé", "Dmitri", "Émile", "Fatima", "Göran", "Hiroshi", "Inés", "Jürgen", "Kwame",
         "Léa", "Mateo", "Nadia", "Oskar", "Priya", "Quinn", "Rafael", "Saoirse", "Tomás", "Ugo", "Valentina",
         "Wei", "Xóchitl", "Yusuf", "Zoë", "山田", "Ólafur"]
LAST = ["Smith", "García", "Müller", "Nakamura", "Okafor", "Rossi", "Novák", "Larsen", "Kowalski", "Haddad",
        "Silva", "Dubois", "Andersson", "Ivanova", "Chen"]
MODELS = ["MacBook Pro", "MacBook Air", "ThinkPad X1", "Surface Laptop", "Dell XPS 13", "iPhone 15", "Pixel 8",
          "Galaxy S24", "iPad Pro", "Framework 13"]
VERSIONS = ["2024.12.554.0", "2025.1.861.0", "2025.2.600.0", "2025.4.943.0", "2025.5.735.1"]
DOMAINS = ["example.com", "corp.example", "example.org"]
POLICIES = [("policy-default", True, False, "Default", "2025-06-01T09:00:00Z"),
            ("policy-engineering", False, False, "Engineering", "2025-06-02T09:00:00Z"),
            ("policy-contractors", False, False, "Contractors", "2025-06-03T09:00:00Z"),
            ("policy-legacy", False, True, "Legacy", "2025-05-31T09:00:00Z")]


def ndjson(count, seed):
    import base64
    import datetime
    import json
    import random
    import unicodedata
    import uuid
    rnd = random.Random(seed)
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    year, month = 365 * 86400 * 10**6, 30 * 86400 * 10**6
    now_us = int(now.timestamp()) * 10**6

    def ts(us):
        return datetime.datetime.fromtimestamp(us // 10**6, datetime.timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%S") + (".%06dZ" % (us % 10**6) if us % 10**6 else "Z")

    def ascii_(s):
        return "".join(c for c in unicodedata.normalize("NFD", s) if c.isascii() and c.isalpha())

    def uid():
        return str(uuid.UUID(int=rnd.getrandbits(128), version=4))

    out = sys.stdout
    left, user, user_no = 0, None, 0
    for _ in range(count):
        if left == 0:
            left = 1 + rnd.randrange(3)
            if rnd.randrange(10) == 0:
                user = None
            else:
                user_no += 1
                first, last = rnd.choice(FIRST), rnd.choice(LAST)
                email = f"{ascii_(first)}.{ascii_(last)}{user_no}".lower() + "@" + rnd.choice(DOMAINS)
                user = {"id": uid(), "email": email, "name": None if rnd.randrange(20) == 0 else f"{first} {last}"}
        left -= 1
        created = now_us - year + rnd.randrange(year - month)
        seen = created + rnd.randrange(now_us - created)
        masque = rnd.randrange(3) == 0
        owner = "shared" if user is None or user["name"] is None else user["name"].split(" ")[0]
        pol = POLICIES[0] if rnd.randrange(10) < 6 else POLICIES[1 + rnd.randrange(3)]
        revoked = ts(seen + 60 * 10**6) if rnd.randrange(30) == 0 else None
        r = {"id": uid(), "created_at": ts(created), "updated_at": revoked or ts(seen), "last_seen_at": ts(seen),
             "device": {"id": uid(), "name": f"{rnd.choice(MODELS)} ({owner})", "client_version": rnd.choice(VERSIONS)},
             "key": base64.b64encode(rnd.randbytes(32)).decode(),
             "key_type": "secp256r1" if masque else "curve25519", "tunnel_type": "masque" if masque else "wireguard",
             "policy": dict(zip(("id", "default", "deleted", "name", "updated_at"), pol)),
             "revoked_at": revoked, "registration_type": "browser_extension" if rnd.randrange(20) == 0 else "warp"}
        if user is not None:
            r["user"] = {k: v for k, v in user.items() if v is not None}
        out.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    if sys.argv[1] == "wrk":
        parse_wrk(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6])
    elif sys.argv[1] == "ndjson":
        ndjson(int(sys.argv[2]), int(sys.argv[3]))
    elif sys.argv[1] == "markdown":
        markdown(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
    else:
        sys.exit(__doc__)
