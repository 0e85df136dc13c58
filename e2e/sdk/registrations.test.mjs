// End-to-end test: Cloudflare's official TypeScript SDK (npm `cloudflare`) against the gateway.
//
// Run:   GATEWAY_BASE_URL=http://127.0.0.1:8080/client/v4 GATEWAY_TOKEN=... ./run.sh
// Env:   GATEWAY_BASE_URL    base URL incl. the API prefix (required)
//        GATEWAY_TOKEN       write token valid for every account this test makes (i.e. accounts `*`) (required)
//        GATEWAY_READ_TOKEN  read-only token, accounts `*` (optional; the read-token checks are skipped without it)
//        GATEWAY_ADMIN_TOKEN admin token (optional; the retry tests, which use /__admin/faults and the journal, are skipped without it)
//        GATEWAY_LIMITED_TOKEN token with a small rate limit of its own (optional; the rate-limit test is skipped without it)
//        GATEWAY_ACCOUNT     account id prefix (default `e2e-sdk`); each run appends a random suffix, so the
//                            test can be re-run against the same server. Sub-accounts `<acct>-mut`, `-churn`,
//                            `-other` are used for mutations, pagination under churn and isolation checks.
//
// See SDK-NOTES.md for what the SDK actually sends and expects.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

// The SDK reads these from the environment on its own; make sure nothing leaks in from the caller.
for (const k of [
  'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_API_KEY', 'CLOUDFLARE_EMAIL', 'CLOUDFLARE_API_USER_SERVICE_KEY',
  'CLOUDFLARE_BASE_URL', 'CLOUDFLARE_CUSTOM_HEADERS',
]) delete process.env[k];

const {
  default: Cloudflare, APIError, BadRequestError, AuthenticationError, PermissionDeniedError, NotFoundError,
  ConflictError,
} = await import('cloudflare');

// ---------------------------------------------------------------------------------------------------------
// configuration
// ---------------------------------------------------------------------------------------------------------
const env = process.env;
if (!env.GATEWAY_BASE_URL || !env.GATEWAY_TOKEN) {
  throw new Error('GATEWAY_BASE_URL and GATEWAY_TOKEN must be set (see the header of registrations.test.mjs)');
}
const BASE = env.GATEWAY_BASE_URL.replace(/\/+$/, '');
const TOKEN = env.GATEWAY_TOKEN;
const READ_TOKEN = env.GATEWAY_READ_TOKEN || null;
const PREFIX = (env.GATEWAY_ACCOUNT || 'e2e-sdk').slice(0, 40);
assert.match(PREFIX, /^[A-Za-z0-9_-]+$/, 'GATEWAY_ACCOUNT must be [A-Za-z0-9_-]');
const RUN = randomBytes(4).toString('hex');
const ACCT = `${PREFIX}-${RUN}`;
const ACCT_MUT = `${ACCT}-mut`;
const ACCT_CHURN = `${ACCT}-churn`;
const ACCT_OTHER = `${ACCT}-other`;
const T = { timeout: 60_000 };
console.log(`# gateway ${BASE}, account ${ACCT}`);

// ---------------------------------------------------------------------------------------------------------
// SDK clients; every request the SDK makes goes through `recordingFetch` so tests can count requests
// (e.g. "not retried", "no empty last page") and check cf-ray on every response.
// ---------------------------------------------------------------------------------------------------------
const calls = [];
async function recordingFetch(url, init = {}) {
  const h = new Headers(init.headers);
  const res = await fetch(url, init);
  calls.push({
    method: (init.method || 'GET').toUpperCase(), url: String(url), retry: h.get('x-stainless-retry-count'),
    status: res.status, ray: res.headers.get('cf-ray'),
  });
  return res;
}
function makeClient(opts) {
  return new Cloudflare({
    baseURL: BASE, apiKey: null, apiEmail: null, userServiceKey: null,
    timeout: 20_000, fetch: recordingFetch, ...opts,
  });
}
const cf = makeClient({ apiToken: TOKEN });
const regs = cf.zeroTrust.devices.registrations;

// ---------------------------------------------------------------------------------------------------------
// helpers: timestamps, code-point order, expected results
// ---------------------------------------------------------------------------------------------------------
const TS_RE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;
const ISO_INSTANT_US = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6})?Z$/; // Java ISO_INSTANT, micros
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** RFC3339 → microseconds since the epoch (truncating sub-micro digits). */
function micros(s) {
  const m = TS_RE.exec(s);
  assert.ok(m, `not an RFC3339 timestamp: ${JSON.stringify(s)}`);
  const ms = Date.parse(m[1] + m[3]);
  assert.ok(!Number.isNaN(ms), `unparseable timestamp ${s}`);
  return ms * 1000 + Number(((m[2] ?? '') + '000000').slice(0, 6));
}
/** How the gateway must write a timestamp: UTC, ISO_INSTANT, truncated to microseconds. */
function canonical(s) {
  const us = micros(s);
  const sec = Math.floor(us / 1e6);
  const f = us - sec * 1e6;
  const base = new Date(sec * 1000).toISOString().slice(0, 19);
  if (f === 0) return `${base}Z`;
  if (f % 1000 === 0) return `${base}.${String(f / 1000).padStart(3, '0')}Z`;
  return `${base}.${String(f).padStart(6, '0')}Z`;
}
const iso = (ms, us = 0) => canonical(new Date(ms).toISOString().replace(/\.\d+Z$/, `.${String(ms % 1000 * 1000 + us).padStart(6, '0')}Z`));

/** Compare strings by Unicode code point (Postgres COLLATE "C"), not UTF-16 units, not locale. */
function cmpCP(a, b) {
  const A = Array.from(a, (c) => c.codePointAt(0));
  const B = Array.from(b, (c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(A.length, B.length); i++) if (A[i] !== B[i]) return A[i] - B[i];
  return A.length - B.length;
}
function sortKey(r, by) {
  switch (by) {
    case 'id': return r.id;
    case 'user.name': return r.user?.name ?? null;
    case 'user.email': return r.user?.email ?? null;
    case 'last_seen_at': return micros(r.last_seen_at);
    case 'created_at': return micros(r.created_at);
    default: throw new Error(by);
  }
}
function comparator(by = 'created_at', order = 'asc') {
  const asc = (a, b) => {
    const ka = sortKey(a, by);
    const kb = sortKey(b, by);
    if (ka === null && kb !== null) return 1; // missing name/email: last in asc (first in desc)
    if (kb === null && ka !== null) return -1;
    if (ka !== null && kb !== null) {
      const c = typeof ka === 'number' ? ka - kb : cmpCP(ka, kb);
      if (c !== 0) return c;
    }
    return cmpCP(a.id, b.id); // tie-break by id, same direction
  };
  return order === 'desc' ? (a, b) => -asc(a, b) : asc;
}
const asciiLower = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** What the gateway must return for a list with these params (all pages concatenated). */
function expected(all, p = {}) {
  const status = p.status ?? 'active';
  let out = all.filter((r) => {
    if (status === 'active' && r.revoked_at !== null) return false;
    if (status === 'revoked' && r.revoked_at === null) return false;
    if (p.id && !p.id.includes(r.id)) return false;
    if (p.device?.id && r.device.id !== p.device.id) return false;
    if (p.user?.id && !p.user.id.includes(r.user?.id)) return false;
    if (p.policy?.id && r._policy?.id !== p.policy.id) return false;
    if (p.registration_type && r.registration_type !== p.registration_type) return false;
    if (p.seen_after && !(micros(r.last_seen_at) > micros(p.seen_after))) return false;
    if (p.seen_before && !(micros(r.last_seen_at) < micros(p.seen_before))) return false;
    if (p.search !== undefined) {
      const term = asciiLower(p.search);
      const fields = [r.id, r.device.id, r.device.name, r.user?.id, r.user?.email, r.user?.name];
      if (!fields.some((f) => typeof f === 'string' && asciiLower(f).includes(term))) return false;
    }
    return true;
  });
  out = out.slice().sort(comparator(p.sort_by, p.sort_order));
  return out;
}

const ids = (list) => list.map((r) => r.id);
function assertIdsEqual(actual, exp, what, sortBy) {
  const a = ids(actual);
  const e = ids(exp);
  if (a.length === e.length && a.every((x, i) => x === e[i])) return;
  const i = a.findIndex((x, k) => x !== e[k]);
  const key = (id) => { const r = byId.get(id); return r && sortBy ? ` (${sortBy}=${JSON.stringify(r[sortBy] ?? r.user?.[sortBy.slice(5)] ?? null)})` : ''; };
  const at = i >= 0 ? `; at ${i} got ${a[i]}${key(a[i])}, expected ${e[i]}${key(e[i])}` : '';
  const dup = a.filter((x, k) => a.indexOf(x) !== k);
  assert.fail(
    `${what}: got ${a.length} items, expected ${e.length}; first difference at index ${i}: ` +
    `got ${JSON.stringify(a.slice(Math.max(0, i - 2), i + 3))} expected ${JSON.stringify(e.slice(Math.max(0, i - 2), i + 3))}` +
    at + (dup.length ? `; duplicates: ${JSON.stringify(dup.slice(0, 10))}` : '') +
    `\n  got:      ${JSON.stringify(a)}\n  expected: ${JSON.stringify(e)}`,
  );
}

const REG_FIELDS = ['id', 'created_at', 'updated_at', 'last_seen_at', 'device', 'key', 'key_type', 'tunnel_type',
  'user', 'revoked_at', 'deleted_at', 'registration_type'];
/** Field-by-field equality with the stored registration; `policy` only when include=policy. */
function assertSameReg(actual, exp, { withPolicy = false } = {}) {
  for (const f of REG_FIELDS) {
    assert.deepStrictEqual(actual[f], exp[f], `registration ${exp.id}: field ${f}`);
  }
  for (const f of ['key_type', 'tunnel_type', 'revoked_at', 'deleted_at']) {
    assert.ok(f in actual, `registration ${exp.id}: nullable field ${f} must be present (null), not omitted`);
  }
  if (!exp.user) assert.ok(!('user' in actual), `registration ${exp.id}: user must be absent, got ${JSON.stringify(actual.user)}`);
  if (withPolicy && exp._policy) {
    assert.deepStrictEqual(actual.policy, exp._policy, `registration ${exp.id}: policy with include=policy`);
  } else {
    assert.ok(!('policy' in actual) || actual.policy === undefined,
      `registration ${exp.id}: policy must be absent ${withPolicy ? '(it has none)' : 'without include=policy'}, got ${JSON.stringify(actual.policy)}`);
  }
}

/** Auto-paginate with `for await` (the SDK's CursorPagination). */
async function listAll(client, params) {
  const out = [];
  for await (const r of client.zeroTrust.devices.registrations.list(params)) {
    out.push(r);
    if (out.length > 5000) assert.fail('pagination does not terminate (more than 5000 items)');
  }
  return out;
}
/** Walk pages by hand (hasNextPage/getNextPage), returning the page objects. */
async function listPages(client, params) {
  const pages = [];
  let page = await client.zeroTrust.devices.registrations.list(params);
  pages.push(page);
  while (page.hasNextPage()) {
    page = await page.getNextPage();
    pages.push(page);
    if (pages.length > 1000) assert.fail('pagination does not terminate (more than 1000 pages)');
  }
  return pages;
}

/** Expect the SDK to throw `Cls` with this status and Cloudflare error code, after exactly one request. */
async function expectApiError(fn, Cls, status, code, { mentions = [], requests = 1 } = {}) {
  const before = calls.length;
  let err;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected ${Cls.name} (${status}/${code}) but the call succeeded`);
  assert.ok(err instanceof Cls, `expected ${Cls.name} (${status}/${code}), got ${err?.constructor?.name}: ${err?.message}`);
  assert.equal(err.status, status, `HTTP status (${err.message})`);
  assert.ok(err.error && typeof err.error === 'object', `error body must be the JSON envelope, got ${err.message}`);
  assert.equal(err.error.success, false, 'envelope success');
  assert.equal(err.error.result, null, 'envelope result');
  assert.ok(Array.isArray(err.errors) && err.errors.length >= 1, 'errors[] must hold at least one entry');
  assert.equal(err.errors[0].code, code, `errors[0].code (message: ${err.errors[0].message})`);
  assert.equal(typeof err.errors[0].message, 'string');
  assert.ok(err.errors[0].message.length > 0, 'errors[0].message must say what was wrong');
  const text = err.errors.map((e) => e.message).join(' ');
  for (const m of [].concat(mentions)) assert.ok(text.includes(m), `error message should mention ${m}: ${text}`);
  assert.match(err.headers.get('content-type') ?? '', /^application\/json/, 'content-type');
  assert.ok(err.headers.get('cf-ray'), 'cf-ray header on error');
  if (status >= 400 && status < 500) {
    assert.equal(err.headers.get('x-should-retry'), 'false', 'every 4xx must carry x-should-retry: false');
  }
  assert.equal(calls.length - before, requests, `SDK requests for this call (retries?): ${JSON.stringify(calls.slice(before))}`);
  return err;
}

// ---------------------------------------------------------------------------------------------------------
// seeding through the Create extension (plain fetch)
// ---------------------------------------------------------------------------------------------------------
async function createRaw(account, body, token = TOKEN) {
  const res = await fetch(`${BASE}/accounts/${account}/devices/registrations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    assert.fail(`Create ${account}/${body.id ?? '(generated)'}: HTTP ${res.status}, non-JSON body: ${text.slice(0, 300)}`);
  }
  return { status: res.status, json, headers: res.headers };
}
async function create(account, body) {
  const { status, json } = await createRaw(account, body);
  assert.equal(status, 201, `Create ${account}/${body.id ?? '(generated)'}: HTTP ${status} ${JSON.stringify(json)}`);
  assert.equal(json.success, true);
  assert.ok(json.result && typeof json.result === 'object');
  return json.result;
}
async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  }));
  return out;
}

const T0 = Date.UTC(2025, 2, 1); // 2025-03-01T00:00:00Z: last_seen_at base
const T1 = Date.UTC(2025, 0, 1); // 2025-01-01T00:00:00Z: created_at base
const POLICIES = {
  def: { id: 'pol-default', default: true, deleted: false, name: 'Default', updated_at: '2025-02-01T10:00:00Z' },
  eng: { id: 'pol-eng', default: false, deleted: false, name: 'Engineering ⚙', updated_at: '2025-02-02T10:00:00.250Z' },
  old: { id: 'pol-old', default: false, deleted: true, name: 'Old profile', updated_at: '2025-02-03T10:00:00.000001Z' },
};
const USERS = [
  { id: 'u-alice', email: 'alice@example.com', name: 'alice' },
  { id: 'u-Alice', email: 'Alice@example.com', name: 'Alice' },
  { id: 'u-zoe', email: 'zoe@example.com', name: 'Zoë' },
  { id: 'u-emile', email: 'emile@example.fr', name: 'Émile' },
  { id: 'u-emile2', email: 'emile2@example.fr', name: 'émile' },
  { id: 'u-li', email: 'li@example.cn', name: '李雷' },
  { id: 'u-fw', email: 'fw@example.jp', name: 'ｚｅｎ' }, // U+FF5A..: above the BMP's CJK but below astral
  { id: 'u-emoji', email: 'smile@example.com', name: '😀 smile' }, // U+1F600: UTF-16 order ≠ code-point order
  { id: 'u-noname', email: 'noname@example.com' },
  { id: 'u-noemail', name: 'Bob' },
  { id: 'u-idonly' },
  { id: 'u-bob', email: 'Bob@Example.com', name: 'Bob' }, // same name as u-noemail: tie broken by id
  { id: 'u-ang', email: 'angstrom@example.se', name: 'Ångström' },
  null, // no user at all
];
const DEVICE_NAMES = ['MacBook Pro', "Søren's Laptop", 'ThinkPad_X1', 'pixel 8', '東京-PC', '100% uptime box',
  'Zürich kiosk', 'ubuntu-desktop'];

/** 120 registrations for the main account: varied ids, users, devices, policies, timestamps. */
function mainSpecs() {
  const specs = [];
  for (let i = 0; i < 120; i++) {
    const p = String((i * 37) % 120).padStart(3, '0'); // id order ≠ creation order
    const forms = [`reg-${p}`, `REG_${p}`, `Reg-${p}`, `_r${p}`, `${p}-x`, `a${p}`, `Z${p}`];
    const d = i % 40;
    const s = {
      device: { id: `dev-${String(d).padStart(2, '0')}`, name: `${DEVICE_NAMES[d % DEVICE_NAMES.length]} ${d}` },
      key: `key-${i}-${randomBytes(12).toString('base64')}`,
    };
    if (d % 3 !== 0) s.device.client_version = `2025.${d % 9}.${d}`;
    if (i < 110) s.id = forms[i % forms.length]; // the last 10 get a generated UUID
    if (i % 3 === 0) Object.assign(s, { key_type: 'curve25519', tunnel_type: 'wireguard' });
    if (i % 3 === 1) Object.assign(s, { key_type: 'secp256r1', tunnel_type: 'masque' });
    const u = USERS[i % USERS.length];
    if (u) s.user = { ...u };
    const pol = [null, POLICIES.def, POLICIES.eng, POLICIES.old][i % 4];
    if (pol) s.policy = { ...pol };
    if (i < 118) {
      const frac = [0, 500_000, 123_456, 1_000][i % 4];
      s.last_seen_at = iso(T0 + ((i * 7919) % 50) * 60_000 + Math.floor(frac / 1000), frac % 1000);
    }
    if (i === 5) s.last_seen_at = '2025-03-01T00:35:00.123456789Z'; // nanos: must be truncated to micros
    if (i === 6) s.last_seen_at = '2025-03-01T02:05:00.5+02:00'; // offset: must come back as UTC
    if (i < 100) s.created_at = iso(T1 + (i % 30) * 3_600_000); // 30 distinct values: ties broken by id
    if (i % 11 === 3) s.revoked_at = iso(T0 + i * 3_600_000);
    if (i % 8 === 7) s.registration_type = 'browser_extension';
    if (i % 8 === 6) s.registration_type = 'warp';
    specs.push(s);
  }
  return specs;
}

/** Check the 201 body against what was sent; keep the spec's policy alongside as `_policy`. */
function checkCreated(spec, got) {
  const ctx = `Create ${spec.id ?? '(generated)'}`;
  if (spec.id) assert.equal(got.id, spec.id, ctx);
  else assert.match(got.id, UUID_RE, `${ctx}: generated id should be a UUID`);
  for (const f of ['created_at', 'updated_at', 'last_seen_at']) {
    assert.match(got[f] ?? '', ISO_INSTANT_US, `${ctx}: ${f} must be ISO_INSTANT (micros), got ${got[f]}`);
    if (spec[f]) assert.equal(got[f], canonical(spec[f]), `${ctx}: ${f}`);
  }
  assert.equal(got.device?.id, spec.device.id, ctx);
  assert.equal(got.device?.name, spec.device.name, ctx);
  assert.equal(got.device?.client_version ?? undefined, spec.device.client_version, `${ctx}: device.client_version`);
  assert.equal(got.key, spec.key, ctx);
  assert.equal(got.key_type, spec.key_type ?? null, `${ctx}: key_type`);
  assert.equal(got.tunnel_type, spec.tunnel_type ?? null, `${ctx}: tunnel_type`);
  assert.equal(got.revoked_at, spec.revoked_at ? canonical(spec.revoked_at) : null, `${ctx}: revoked_at`);
  assert.equal(got.deleted_at, null, `${ctx}: deleted_at`);
  assert.equal(got.registration_type, spec.registration_type ?? 'warp', `${ctx}: registration_type`);
  if (spec.user) {
    for (const k of ['id', 'email', 'name']) assert.equal(got.user?.[k] ?? undefined, spec.user[k], `${ctx}: user.${k}`);
  } else {
    assert.ok(!('user' in got), `${ctx}: user must be absent`);
  }
  const _policy = spec.policy ? { ...spec.policy, updated_at: canonical(spec.policy.updated_at) } : undefined;
  const { policy, ...rest } = got;
  return { ...rest, _policy };
}

// Strip our bookkeeping before comparing with server output.
const stored = { main: [], mut: [], churn: [], other: [] };
const byId = new Map();

// ---------------------------------------------------------------------------------------------------------
describe('registrations API via the official Cloudflare TypeScript SDK', { timeout: 15 * 60_000 }, () => {
  let mainSpecList;
  let createdCheck;

  before(async () => {
    mainSpecList = mainSpecs();
    const results = await pool(mainSpecList, 8, async (s) => {
      const got = await create(ACCT, s);
      return { s, got };
    });
    createdCheck = results;
    stored.main = results.map(({ s, got }) => checkCreated(s, got));
    for (const r of stored.main) byId.set(r.id, r);

    // mutations happen in their own account, so the main account's data stays as created
    const mutId = (k) => `mut-${String(k).padStart(2, '0')}-${RUN}-`.padEnd(40, 'x');
    stored.mut = await pool(Array.from({ length: 12 }, (_, k) => k), 6, async (k) => {
      const s = {
        id: mutId(k), device: { id: `mdev-${k}`, name: `mut device ${k}` }, key: `mkey-${k}`,
        user: { id: `mu-${k}`, email: `m${k}@example.com`, name: `Mut ${k}` },
        created_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-01T00:00:00Z', last_seen_at: '2025-01-02T00:00:00Z',
      };
      return checkCreated(s, await create(ACCT_MUT, s));
    });

    stored.churn = await pool(Array.from({ length: 30 }, (_, k) => k), 6, async (k) => {
      const s = { id: `c-${String(k).padStart(2, '0')}`, device: { id: `cdev-${k}`, name: `churn ${k}` }, key: `ck-${k}` };
      return checkCreated(s, await create(ACCT_CHURN, s));
    });

    // same id as a main-account registration, different data; plus one id that only exists here
    const shared = stored.main[0].id;
    stored.other = [
      checkCreated({ id: shared, device: { id: 'odev', name: 'other account device' }, key: 'okey' },
        await create(ACCT_OTHER, { id: shared, device: { id: 'odev', name: 'other account device' }, key: 'okey' })),
      checkCreated({ id: `only-other-${RUN}`, device: { id: 'odev2', name: 'other 2' }, key: 'okey2' },
        await create(ACCT_OTHER, { id: `only-other-${RUN}`, device: { id: 'odev2', name: 'other 2' }, key: 'okey2' })),
    ];
  }, { timeout: 180_000 });

  // -------------------------------------------------------------------------------------------------------
  it('Create stored exactly what was sent (timestamps normalised to UTC micros)', T, () => {
    assert.equal(createdCheck.length, 120);
    const nanos = stored.main[5];
    assert.equal(nanos.last_seen_at, '2025-03-01T00:35:00.123456Z', 'nanoseconds are truncated, not rounded');
    assert.equal(stored.main[6].last_seen_at, '2025-03-01T00:05:00.500Z', 'offsets are converted to UTC');
    assert.equal(new Set(stored.main.map((r) => r.id)).size, 120, 'ids are unique');
    assert.ok(stored.main.filter((r) => !r.user).length >= 8, 'some registrations have no user');
  });

  it('list: first page has the defaults (active, created_at asc, per_page 20) and the envelope', T, async () => {
    const { data: page, response } = await regs.list({ account_id: ACCT }).withResponse();
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.ok(response.headers.get('cf-ray'), 'cf-ray header');
    const exp = expected(stored.main);
    assert.ok(exp.length > 20);
    assertIdsEqual(page.result, exp.slice(0, 20), 'default first page');
    assert.deepStrictEqual({ count: page.result_info.count, per_page: page.result_info.per_page }, { count: 20, per_page: 20 });
    assert.equal(typeof page.result_info.cursor, 'string');
    assert.ok(page.result_info.cursor.length > 0, 'cursor must be non-empty while more items match');
    assert.match(page.result_info.cursor, /^[A-Za-z0-9_~.=-]+$/, 'cursor should be URL-safe');
    assert.equal(page.hasNextPage(), true);
    for (const r of page.result) assertSameReg(r, byId.get(r.id));
  });

  it('list: for-await auto-pagination returns every active registration once, fields intact', T, async () => {
    const before = calls.length;
    const all = await listAll(cf, { account_id: ACCT, per_page: 9 });
    const exp = expected(stored.main);
    assertIdsEqual(all, exp, 'auto-pagination (per_page 9)');
    for (const r of all) assertSameReg(r, byId.get(r.id));
    assert.equal(calls.length - before, Math.ceil(exp.length / 9), 'one request per page, no empty last page');
  });

  it('list: result_info per page; cursor "" exactly at the end; explicit cursor param', T, async () => {
    const exp = expected(stored.main, { status: 'all' });
    assert.equal(exp.length, 120);
    for (const perPage of [10, 120, 119, 1000, 1]) {
      const before = calls.length;
      const pages = await listPages(cf, { account_id: ACCT, status: 'all', per_page: perPage });
      const want = Math.ceil(120 / perPage);
      assert.equal(pages.length, want, `per_page ${perPage}: pages`);
      assert.equal(calls.length - before, want, `per_page ${perPage}: requests (an empty last page is one too many)`);
      pages.forEach((p, k) => {
        assert.equal(p.result_info.count, p.result.length, `per_page ${perPage}, page ${k}: count`);
        assert.equal(p.result_info.per_page, perPage, `per_page ${perPage}, page ${k}: per_page`);
        const last = k === pages.length - 1;
        assert.equal(p.result.length, last ? 120 - perPage * k : perPage, `per_page ${perPage}, page ${k}: size`);
        if (last) assert.equal(p.result_info.cursor, '', 'cursor is "" on the last page');
        else assert.ok(p.result_info.cursor, 'cursor is non-empty before the last page');
      });
      assertIdsEqual(pages.flatMap((p) => p.result), exp, `per_page ${perPage}`);
    }
    // a cursor handed back explicitly through the SDK's `cursor` param continues where the page ended
    const p1 = await regs.list({ account_id: ACCT, status: 'all', per_page: 25 });
    const p2 = await regs.list({ account_id: ACCT, status: 'all', per_page: 25, cursor: p1.result_info.cursor });
    assertIdsEqual(p2.result, exp.slice(25, 50), 'explicit cursor');
    const p2b = await p1.getNextPage();
    assertIdsEqual(p2b.result, exp.slice(25, 50), 'getNextPage');
  });

  for (const sortBy of ['id', 'user.name', 'user.email', 'last_seen_at', 'created_at']) {
    for (const sortOrder of ['asc', 'desc']) {
      it(`list: sort_by=${sortBy} sort_order=${sortOrder} (code-point order, id tie-break, every item once)`, T, async () => {
        const params = { account_id: ACCT, status: 'all', per_page: 7, sort_by: sortBy, sort_order: sortOrder };
        const all = await listAll(cf, params);
        assertIdsEqual(all, expected(stored.main, params), `sort_by=${sortBy} ${sortOrder}`, sortBy);
        assert.equal(new Set(ids(all)).size, all.length, 'no duplicates across pages');
      });
    }
  }

  it('list: sort defaults (sort_order alone → created_at; sort_by alone → asc)', T, async () => {
    assertIdsEqual(await listAll(cf, { account_id: ACCT, per_page: 50, sort_order: 'desc' }),
      expected(stored.main, { sort_order: 'desc' }), 'sort_order=desc');
    assertIdsEqual(await listAll(cf, { account_id: ACCT, per_page: 50, sort_by: 'user.name' }),
      expected(stored.main, { sort_by: 'user.name' }), 'sort_by=user.name');
    // the code-point order is what it claims: a few spot checks of the user.name order
    const names = expected(stored.main, { sort_by: 'user.name', status: 'all' }).map((r) => r.user?.name ?? null);
    const distinct = names.filter((n, k) => n !== null && names.indexOf(n) === k);
    assert.deepStrictEqual(distinct, ['Alice', 'Bob', 'Zoë', 'alice', 'Ångström', 'Émile', 'émile', '李雷', 'ｚｅｎ', '😀 smile']);
  });

  it('list: id filter (array, one value, unknown, with status, 1000 values ≈ 45 KB request line)', T, async () => {
    const all = expected(stored.main, { status: 'all' });
    const revoked = all.filter((r) => r.revoked_at);
    const pick = [all[3].id, all[50].id, revoked[0].id, all[77].id, revoked[1].id];
    for (const status of [undefined, 'all', 'revoked']) {
      const p = { account_id: ACCT, id: pick, status };
      assertIdsEqual(await listAll(cf, p), expected(stored.main, p), `id filter, status ${status}`);
    }
    const one = all.find((r) => !r.revoked_at);
    const single = await listAll(cf, { account_id: ACCT, id: [one.id] });
    assertIdsEqual(single, [one], 'one-element id array');
    const none = await regs.list({ account_id: ACCT, id: [`nope-${RUN}`] });
    assert.deepStrictEqual(none.result, []);
    assert.equal(none.result_info.count, 0);
    assert.equal(none.result_info.cursor, '');

    const many = [...all.map((r) => r.id)];
    for (let k = 0; many.length < 1000; k++) many.push(`missing-${RUN}-${k}-`.padEnd(40, 'y'));
    const p = { account_id: ACCT, id: many, status: 'all', per_page: 1000 };
    const page = await regs.list(p);
    assertIdsEqual(page.result, expected(stored.main, p), '1000 ids');
    assert.equal(page.result_info.cursor, '');
  });

  it('list: device.id, user.id (array), policy.id, combined with AND', T, async () => {
    const combo = stored.main.find((r) => r._policy?.id === 'pol-eng' && r.user?.id === 'u-emile2');
    const cases = [
      { device: { id: 'dev-07' } },
      { device: { id: 'dev-07' }, status: 'all' },
      { device: { id: 'dev-nope' } },
      { user: { id: ['u-alice'] } },
      { user: { id: ['u-alice', 'u-li', 'u-emoji'] }, sort_by: 'user.name' },
      { user: { id: ['u-idonly', 'u-noname'] }, status: 'all' },
      { policy: { id: 'pol-eng' } },
      { policy: { id: 'pol-old' }, status: 'revoked' },
      { policy: { id: 'pol-default' }, user: { id: ['u-zoe', 'u-bob', 'u-fw'] }, status: 'all' },
      { policy: { id: 'pol-eng' }, device: { id: combo.device.id }, user: { id: ['u-emile2'] }, status: 'all' },
      { policy: { id: 'pol-old' }, device: { id: combo.device.id }, user: { id: ['u-emile2'] }, status: 'all', none: true },
    ];
    for (const { none, ...c } of cases) {
      const p = { account_id: ACCT, per_page: 11, ...c };
      const exp = expected(stored.main, p);
      if (!none && !c.device?.id?.endsWith('nope')) assert.ok(exp.length > 0, `case ${JSON.stringify(c)} should match something`);
      if (none) assert.equal(exp.length, 0, 'AND of filters that never meet');
      assertIdsEqual(await listAll(cf, p), exp, `filter ${JSON.stringify(c)}`);
    }
  });

  it('list: search is a case-insensitive literal substring of id/device/user fields', T, async () => {
    const terms = ['thinkpad', 'EXAMPLE.FR', 'u-ali', 'DEV-07', 'reg-0', '李雷', '東京', 'Ångström', 'ｚｅｎ', '😀',
      '%', '_', 'zz-no-match', "søren's", 'Zürich'];
    for (const term of terms) {
      for (const status of [undefined, 'all']) {
        const p = { account_id: ACCT, search: term, status, per_page: 50 };
        const exp = expected(stored.main, p);
        if (term !== 'zz-no-match' && status === 'all') assert.ok(exp.length > 0, `search ${term} should match`);
        assertIdsEqual(await listAll(cf, p), exp, `search=${JSON.stringify(term)} status=${status}`);
      }
    }
  });

  it('list: seen_after / seen_before are strict bounds and accept any RFC3339 offset', T, async () => {
    const seen = [...new Set(stored.main.map((r) => micros(r.last_seen_at)))].sort((a, b) => a - b);
    const b1 = stored.main.find((r) => micros(r.last_seen_at) === seen[Math.floor(seen.length / 3)]).last_seen_at;
    const b2 = stored.main.find((r) => micros(r.last_seen_at) === seen[Math.floor((2 * seen.length) / 3)]).last_seen_at;
    const withOffset = (s) => { // same instant written as +01:00
      const us = micros(s);
      const d = new Date(Math.floor(us / 1000) + 3_600_000).toISOString().slice(0, 19);
      return `${d}.${String(us % 1_000_000).padStart(6, '0')}+01:00`;
    };
    const cases = [
      { seen_after: b1 }, { seen_before: b1 }, { seen_after: b1, seen_before: b2 },
      { seen_after: withOffset(b1), seen_before: withOffset(b2), status: 'all' },
      { seen_after: b2, sort_by: 'last_seen_at', sort_order: 'desc' },
      { seen_before: '2000-01-01T00:00:00Z' },
    ];
    for (const c of cases) {
      const p = { account_id: ACCT, per_page: 13, ...c };
      assertIdsEqual(await listAll(cf, p), expected(stored.main, p), `seen ${JSON.stringify(c)}`);
    }
    const exact = await listAll(cf, { account_id: ACCT, seen_after: b1, seen_before: b1, status: 'all' });
    assert.deepStrictEqual(exact, [], 'after X and before X is empty (strict)');
  });

  it('list: status active (default) / revoked / all; registration_type', T, async () => {
    for (const status of ['active', 'revoked', 'all']) {
      const p = { account_id: ACCT, status, per_page: 30 };
      const exp = expected(stored.main, p);
      assert.ok(exp.length > 0);
      assertIdsEqual(await listAll(cf, p), exp, `status=${status}`);
    }
    for (const rt of ['warp', 'browser_extension']) {
      for (const status of [undefined, 'all']) {
        const p = { account_id: ACCT, registration_type: rt, status, per_page: 30 };
        const exp = expected(stored.main, p);
        assert.ok(exp.length > 0);
        assertIdsEqual(await listAll(cf, p), exp, `registration_type=${rt} status=${status}`);
      }
    }
  });

  it('list + get: include=policy adds the policy, only then', T, async () => {
    const p = { account_id: ACCT, include: 'policy', status: 'all', per_page: 40 };
    const all = await listAll(cf, p);
    assertIdsEqual(all, expected(stored.main, p), 'include=policy list');
    for (const r of all) assertSameReg(r, byId.get(r.id), { withPolicy: true });
    const withPol = stored.main.find((r) => r._policy?.id === 'pol-eng');
    const noPol = stored.main.find((r) => !r._policy);
    assertSameReg(await regs.get(withPol.id, { account_id: ACCT, include: 'policy' }), withPol, { withPolicy: true });
    assertSameReg(await regs.get(withPol.id, { account_id: ACCT }), withPol);
    assertSameReg(await regs.get(noPol.id, { account_id: ACCT, include: 'policy' }), noPol, { withPolicy: true });
  });

  it('get: every registration reads back identical, revoked ones included', T, async () => {
    await pool(stored.main, 8, async (r) => assertSameReg(await regs.get(r.id, { account_id: ACCT }), r));
    const rev = stored.main.find((r) => r.revoked_at);
    assert.ok((await regs.get(rev.id, { account_id: ACCT })).revoked_at);
  });

  it('get: NotFoundError 404/1004 for unknown ids and ids of another account; 400/1001 for invalid ids', T, async () => {
    await expectApiError(() => regs.get(`unknown-${RUN}`, { account_id: ACCT }), NotFoundError, 404, 1004);
    const onlyOther = stored.other[1].id;
    await expectApiError(() => regs.get(onlyOther, { account_id: ACCT }), NotFoundError, 404, 1004);
    // the same id exists in both accounts: each account sees its own
    const shared = stored.other[0].id;
    assertSameReg(await regs.get(shared, { account_id: ACCT }), byId.get(shared));
    assertSameReg(await regs.get(shared, { account_id: ACCT_OTHER }), stored.other[0]);
    await expectApiError(() => regs.get('bad id!', { account_id: ACCT }), BadRequestError, 400, 1001);
    await expectApiError(() => regs.get('x'.repeat(65), { account_id: ACCT }), BadRequestError, 400, 1001);
    await expectApiError(() => regs.list({ account_id: 'bad.account!' }), BadRequestError, 400, 1001);
    await expectApiError(() => regs.list({ account_id: 'a'.repeat(65) }), BadRequestError, 400, 1001);
  });

  it('list: invalid parameters → BadRequestError 400 (1001 / 1003)', T, async () => {
    const bad = [
      [{ per_page: 0 }, 1001], [{ per_page: 1001 }, 1001], [{ per_page: -1 }, 1001], [{ per_page: 'abc' }, 1001],
      [{ sort_by: 'name' }, 1001], [{ sort_order: 'up' }, 1001], [{ status: 'deleted' }, 1001],
      [{ include: 'bogus' }, 1001], [{ include: 'policy,bogus' }, 1001], [{ seen_after: 'yesterday' }, 1001],
      [{ seen_before: '2025-13-01T00:00:00Z' }, 1001], [{ registration_type: 'toaster' }, 1001],
      [{ search: 's'.repeat(257) }, 1001],
      [{ id: Array.from({ length: 1001 }, (_, k) => `i${k}`) }, 1003],
      [{ user: { id: Array.from({ length: 1001 }, (_, k) => `u${k}`) } }, 1003],
    ];
    for (const [p, code] of bad) {
      const err = await expectApiError(() => regs.list({ account_id: ACCT, ...p }), BadRequestError, 400, code);
      assert.ok(err.errors[0].message.length > 5, `message for ${JSON.stringify(p).slice(0, 80)}`);
    }
    await expectApiError(() => regs.get(stored.main[0].id, { account_id: ACCT, include: 'bogus' }), BadRequestError, 400, 1001);
    // limits themselves are fine; unknown parameters are ignored like Cloudflare does
    assert.equal((await regs.list({ account_id: ACCT, per_page: 1000, status: 'all' })).result.length, 120);
    assert.equal((await regs.list({ account_id: ACCT, search: 's'.repeat(256) })).result.length, 0);
    const ignored = await regs.list({ account_id: ACCT, per_page: 5, frobnicate: 'yes' });
    assertIdsEqual(ignored.result, expected(stored.main).slice(0, 5), 'unknown parameter ignored');
  });

  it('list: bad cursors → BadRequestError 400/1002 (garbage, tampered, other sort/filter/account)', T, async () => {
    const base = { account_id: ACCT, per_page: 5, sort_by: 'id' };
    const page = await regs.list(base);
    const cur = page.result_info.cursor;
    assert.ok(cur);
    await expectApiError(() => regs.list({ ...base, cursor: 'not-a-cursor' }), BadRequestError, 400, 1002);
    const k = Math.floor(cur.length / 2);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const swap = alphabet[(alphabet.indexOf(cur[k]) + 1) % alphabet.length];
    await expectApiError(() => regs.list({ ...base, cursor: cur.slice(0, k) + swap + cur.slice(k + 1) }),
      BadRequestError, 400, 1002);
    await expectApiError(() => regs.list({ ...base, cursor: cur.slice(0, -2) }), BadRequestError, 400, 1002);
    await expectApiError(() => regs.list({ ...base, sort_by: 'user.name', cursor: cur }), BadRequestError, 400, 1002);
    await expectApiError(() => regs.list({ ...base, sort_order: 'desc', cursor: cur }), BadRequestError, 400, 1002);
    await expectApiError(() => regs.list({ ...base, policy: { id: 'pol-eng' }, cursor: cur }), BadRequestError, 400, 1002);
    await expectApiError(() => regs.list({ ...base, status: 'all', cursor: cur }), BadRequestError, 400, 1002);
    await expectApiError(() => regs.list({ ...base, account_id: ACCT_OTHER, cursor: cur }), BadRequestError, 400, 1002);
    // the untouched cursor still works
    assertIdsEqual((await regs.list({ ...base, cursor: cur })).result, expected(stored.main, base).slice(5, 10), 'valid cursor');
  });

  it('delete: removes the registration; later reads 404; second delete 404', T, async () => {
    const [m] = stored.mut.slice(5, 6);
    assert.equal(await regs.delete(m.id, { account_id: ACCT_MUT }), null, 'delete result is null');
    await expectApiError(() => regs.get(m.id, { account_id: ACCT_MUT }), NotFoundError, 404, 1004);
    for (const status of ['all', 'active', 'revoked']) {
      assert.deepStrictEqual(await listAll(cf, { account_id: ACCT_MUT, id: [m.id], status }), [], `list status=${status}`);
    }
    assert.ok(!ids(await listAll(cf, { account_id: ACCT_MUT, status: 'all' })).includes(m.id));
    await expectApiError(() => regs.delete(m.id, { account_id: ACCT_MUT }), NotFoundError, 404, 1004, { mentions: m.id });
    await expectApiError(() => regs.revoke({ account_id: ACCT_MUT, id: [m.id] }), NotFoundError, 404, 1004);
    await expectApiError(() => regs.delete(stored.other[1].id, { account_id: ACCT_MUT }), NotFoundError, 404, 1004);
  });

  it('revoke / unrevoke: set and clear revoked_at, idempotent, all-or-nothing on missing ids', T, async () => {
    const A = { account_id: ACCT_MUT };
    const [m0, m1, m2, m3, m4] = stored.mut;
    const get = (m) => regs.get(m.id, A);

    assert.equal(await regs.revoke({ ...A, id: [m0.id, m1.id] }), null, 'revoke result is null');
    const r0 = await get(m0);
    assert.match(r0.revoked_at ?? '', ISO_INSTANT_US, 'revoked_at set');
    assert.ok(micros(r0.updated_at) > micros(m0.updated_at), 'revoke sets updated_at');
    assert.ok(micros(r0.revoked_at) > micros(m0.updated_at), 'revoked_at is now');
    assertSameReg({ ...r0, revoked_at: null, updated_at: m0.updated_at }, m0); // nothing else changed
    assertIdsEqual(await listAll(cf, { ...A, status: 'revoked', id: [m0.id, m1.id, m2.id] }), [m0, m1].sort(comparator()), 'status=revoked');
    assert.deepStrictEqual(await listAll(cf, { ...A, id: [m0.id, m1.id] }), [], 'revoked ones are not active');

    // already-revoked ids are left as they are
    assert.equal(await regs.revoke({ ...A, id: [m0.id, m2.id, m2.id] }), null);
    assert.deepStrictEqual(await get(m0), r0, 'revoking a revoked registration changes nothing');
    assert.ok((await get(m2)).revoked_at, 'm2 revoked (duplicate ids count once)');

    // all or nothing: one missing id → 404 naming it, and nothing changes
    const missing = `missing-${RUN}`;
    await expectApiError(() => regs.revoke({ ...A, id: [m3.id, missing] }), NotFoundError, 404, 1004, { mentions: missing });
    assertSameReg(await get(m3), m3);
    await expectApiError(() => regs.unrevoke({ ...A, id: [m1.id, missing] }), NotFoundError, 404, 1004, { mentions: missing });
    const r1 = await get(m1);
    assert.ok(r1.revoked_at, 'm1 still revoked after the failed unrevoke');
    await expectApiError(() => regs.revoke({ ...A, id: [m3.id, stored.other[1].id] }), NotFoundError, 404, 1004);
    assertSameReg(await get(m3), m3);

    // unrevoke clears revoked_at and sets updated_at; active ones are left as they are
    assert.equal(await regs.unrevoke({ ...A, id: [m0.id, m3.id] }), null, 'unrevoke result is null');
    const u0 = await get(m0);
    assert.equal(u0.revoked_at, null);
    assert.ok(micros(u0.updated_at) > micros(r0.updated_at), 'unrevoke sets updated_at');
    assertSameReg(await get(m3), m3);
    assertIdsEqual(await listAll(cf, { ...A, id: [m0.id, m1.id, m3.id, m4.id] }), [m0, m3, m4].sort(comparator()), 'active after unrevoke');

    // deleting a revoked registration works, and it is gone from every status
    await regs.delete(m1.id, A);
    assert.deepStrictEqual(await listAll(cf, { ...A, status: 'revoked', id: [m1.id] }), []);
  });

  it('bulkDelete: all or nothing; none → 400; then every id is gone', T, async () => {
    const A = { account_id: ACCT_MUT };
    const [m6, m7] = stored.mut.slice(6, 8);
    const missing = `missing-${RUN}`;
    const count = async () => (await listAll(cf, { ...A, status: 'all', per_page: 100 })).length;
    const n0 = await count();
    await expectApiError(() => regs.bulkDelete({ ...A, id: [m6.id, missing] }), NotFoundError, 404, 1004, { mentions: missing });
    assertSameReg(await regs.get(m6.id, A), m6);
    // the SDK drops an empty array from the query: this is `DELETE .../registrations` with no ids at all
    await expectApiError(() => regs.bulkDelete({ ...A, id: [] }), BadRequestError, 400, 1001);
    await expectApiError(() => regs.revoke({ ...A, id: [] }), BadRequestError, 400, 1001);
    await expectApiError(() => regs.unrevoke({ ...A, id: [] }), BadRequestError, 400, 1001);
    assert.equal(await count(), n0, 'nothing deleted by the failed calls');
    assert.equal(await regs.bulkDelete({ ...A, id: [m6.id, m7.id, m7.id] }), null, 'bulkDelete result is null');
    await expectApiError(() => regs.get(m6.id, A), NotFoundError, 404, 1004);
    await expectApiError(() => regs.get(m7.id, A), NotFoundError, 404, 1004);
    assert.equal(await count(), n0 - 2);
  });

  it('revoke/unrevoke/bulkDelete: 1000 ids (≈45 KB request line) accepted; 1001 → 400/1003', T, async () => {
    const A = { account_id: ACCT_MUT };
    const four = stored.mut.slice(8, 12);
    const thousand = Array.from({ length: 1000 }, (_, k) => four[k % 4].id);
    assert.ok(new URLSearchParams(thousand.map((id) => ['id', id])).toString().length > 40_000);
    assert.equal(await regs.revoke({ ...A, id: thousand }), null);
    for (const m of four) assert.ok((await regs.get(m.id, A)).revoked_at, `${m.id} revoked`);
    assert.equal(await regs.unrevoke({ ...A, id: thousand }), null);
    for (const m of four) assert.equal((await regs.get(m.id, A)).revoked_at, null, `${m.id} unrevoked`);
    const tooMany = Array.from({ length: 1001 }, (_, k) => `x-${k}-`.padEnd(40, 'z'));
    await expectApiError(() => regs.revoke({ ...A, id: tooMany }), BadRequestError, 400, 1003);
    await expectApiError(() => regs.unrevoke({ ...A, id: tooMany }), BadRequestError, 400, 1003);
    await expectApiError(() => regs.bulkDelete({ ...A, id: tooMany }), BadRequestError, 400, 1003);
    // 1000 distinct ids, almost all missing → 404 and nothing changes
    const mostlyMissing = [four[0].id, ...tooMany.slice(0, 999)];
    await expectApiError(() => regs.bulkDelete({ ...A, id: mostlyMissing }), NotFoundError, 404, 1004);
    assert.equal((await regs.get(four[0].id, A)).id, four[0].id);
  });

  it('auth: wrong / missing token → AuthenticationError 401/10000; bearer decides over X-Auth-*', T, async () => {
    const wrong = makeClient({ apiToken: `wrong-${RUN}` });
    await expectApiError(() => wrong.zeroTrust.devices.registrations.list({ account_id: ACCT }), AuthenticationError, 401, 10000);
    await expectApiError(() => wrong.zeroTrust.devices.registrations.get(stored.main[0].id, { account_id: ACCT }),
      AuthenticationError, 401, 10000);
    await expectApiError(() => wrong.zeroTrust.devices.registrations.revoke({ account_id: ACCT, id: [stored.main[0].id] }),
      AuthenticationError, 401, 10000);
    // no credentials at all (the SDK insists on one unless the header is explicitly nulled)
    const anon = makeClient({ apiToken: null, defaultHeaders: { Authorization: null } });
    await expectApiError(() => anon.zeroTrust.devices.registrations.list({ account_id: ACCT }), AuthenticationError, 401, 10000);
    // the SDK sends every credential it was given: the bearer token decides
    const both = makeClient({ apiToken: TOKEN, apiEmail: 'nobody@example.com', apiKey: `junk-${RUN}` });
    assert.equal((await both.zeroTrust.devices.registrations.list({ account_id: ACCT, per_page: 1 })).result.length, 1);
    const bothWrong = makeClient({ apiToken: `wrong-${RUN}`, apiEmail: 'nobody@example.com', apiKey: TOKEN });
    await expectApiError(() => bothWrong.zeroTrust.devices.registrations.list({ account_id: ACCT }), AuthenticationError, 401, 10000);
    assertSameReg(await regs.get(stored.main[0].id, { account_id: ACCT }), stored.main[0]);
  });

  it('read token: list/get work; revoke/unrevoke/delete/bulkDelete/create → PermissionDeniedError 403/9109',
    { ...T, skip: READ_TOKEN ? false : 'GATEWAY_READ_TOKEN not set' }, async () => {
      const ro = makeClient({ apiToken: READ_TOKEN });
      const R = ro.zeroTrust.devices.registrations;
      const target = stored.main.find((r) => !r.revoked_at);
      assertIdsEqual(await listAll(ro, { account_id: ACCT, per_page: 50 }), expected(stored.main), 'read token list');
      assertSameReg(await R.get(target.id, { account_id: ACCT }), target);
      const A = { account_id: ACCT };
      await expectApiError(() => R.revoke({ ...A, id: [target.id] }), PermissionDeniedError, 403, 9109);
      await expectApiError(() => R.unrevoke({ ...A, id: [target.id] }), PermissionDeniedError, 403, 9109);
      await expectApiError(() => R.delete(target.id, A), PermissionDeniedError, 403, 9109);
      await expectApiError(() => R.bulkDelete({ ...A, id: [target.id] }), PermissionDeniedError, 403, 9109);
      await expectApiError(() => ro.post(`/accounts/${ACCT}/devices/registrations`, {
        body: { id: `ro-${RUN}`, device: { id: 'd', name: 'n' }, key: 'k' },
      }), PermissionDeniedError, 403, 9109);
      assertSameReg(await regs.get(target.id, A), target);
      await expectApiError(() => regs.get(`ro-${RUN}`, A), NotFoundError, 404, 1004);
    });

  it('pagination is keyset: deletes/inserts between pages skip or repeat nothing', T, async () => {
    const A = { account_id: ACCT_CHURN };
    const params = { ...A, per_page: 5, sort_by: 'id' };
    let page = await regs.list(params);
    const seen = [...page.result];
    assertIdsEqual(page.result, stored.churn.slice(0, 5), 'first page');
    // delete the very row the cursor points at, an already-seen row and a not-yet-seen row;
    // insert one row after the cursor position and one before it
    await regs.delete('c-04', A);
    await regs.bulkDelete({ ...A, id: ['c-02', 'c-17'] });
    await create(ACCT_CHURN, { id: 'c-15a', device: { id: 'cdev-x', name: 'late' }, key: 'ck-x' });
    await create(ACCT_CHURN, { id: 'c-01a', device: { id: 'cdev-y', name: 'early' }, key: 'ck-y' });
    while (page.hasNextPage()) {
      page = await page.getNextPage();
      seen.push(...page.result);
      if (seen.length === 15) await regs.delete('c-25', A); // delete ahead again mid-way
    }
    const want = [...stored.churn.map((r) => r.id).filter((id) => !['c-17', 'c-25'].includes(id)), 'c-15a']
      .sort(cmpCP);
    assert.deepStrictEqual(ids(seen), want);
  });

  it('Create extension and routing errors through the SDK transport: 409/1005 not retried, 400, 404/7000, 405/7001', T, async () => {
    const dup = stored.main[1];
    await expectApiError(() => cf.post(`/accounts/${ACCT}/devices/registrations`, {
      body: { id: dup.id, device: { id: 'd', name: 'n' }, key: 'k' },
    }), ConflictError, 409, 1005);
    assertSameReg(await regs.get(dup.id, { account_id: ACCT }), dup);
    await expectApiError(() => cf.post(`/accounts/${ACCT}/devices/registrations`, {
      body: { id: `nodev-${RUN}`, key: 'k' },
    }), BadRequestError, 400, 1001, { mentions: 'device' });
    await expectApiError(() => cf.get(`/accounts/${ACCT}/devices/no-such-thing`), NotFoundError, 404, 7000);
    await expectApiError(() => cf.put(`/accounts/${ACCT}/devices/registrations/revoke`), APIError, 405, 7001);
  });

  it('bracket query forms (id[]=, user[id]=, device[id]=, policy[id]=) mean the same as the SDK forms', T, async () => {
    const raw = async (qs) => {
      const res = await fetch(`${BASE}/accounts/${ACCT}/devices/registrations?${qs}`, {
        headers: { authorization: `Bearer ${TOKEN}` }, signal: AbortSignal.timeout(20_000),
      });
      const json = await res.json();
      assert.equal(res.status, 200, `${qs}: ${JSON.stringify(json)}`);
      return json.result;
    };
    const some = expected(stored.main, { status: 'all' }).slice(10, 16).map((r) => r.id);
    const e = (p) => ids(expected(stored.main, { status: 'all', ...p }));
    const q = (pairs) => new URLSearchParams([['status', 'all'], ['per_page', '1000'], ...pairs]).toString();
    assert.deepStrictEqual(ids(await raw(q(some.map((id) => ['id[]', id])))), e({ id: some }));
    assert.deepStrictEqual(ids(await raw(q([['user[id]', 'u-li'], ['user[id][]', 'u-zoe']]))), e({ user: { id: ['u-li', 'u-zoe'] } }));
    assert.deepStrictEqual(ids(await raw(q([['device[id]', 'dev-03']]))), e({ device: { id: 'dev-03' } }));
    assert.deepStrictEqual(ids(await raw(q([['policy[id]', 'pol-old']]))), e({ policy: { id: 'pol-old' } }));
  });

  it('every response carried a unique cf-ray; no request was retried', T, () => {
    assert.ok(calls.length > 100);
    const missing = calls.filter((c) => !c.ray);
    assert.deepStrictEqual(missing, [], 'responses without cf-ray');
    const rays = calls.map((c) => c.ray);
    assert.equal(new Set(rays).size, rays.length, 'cf-ray values must be unique per request');
    assert.deepStrictEqual(calls.filter((c) => c.retry !== '0'), [], 'retried requests');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Retries. The SDK retries 408, 409, 429 and 5xx unless `x-should-retry` says otherwise, waiting
// `retry-after-ms`, else `Retry-After`, else its own backoff (SDK-NOTES.md §5). Injected faults
// (/__admin/faults) make a call fail its first attempts; the gateway's journal shows each attempt with
// the SDK's X-Stainless-Retry-Count. Needs GATEWAY_ADMIN_TOKEN; the rate-limit case needs
// GATEWAY_LIMITED_TOKEN, a token with a small rate limit of its own (rate-limit.tokens).
// ---------------------------------------------------------------------------------------------------------
const ADMIN_TOKEN = env.GATEWAY_ADMIN_TOKEN || null;
const LIMITED_TOKEN = env.GATEWAY_LIMITED_TOKEN || null;
const ROOT = new URL(BASE).origin;
const { RateLimitError } = await import('cloudflare');

async function admin(method, path, body) {
  const res = await fetch(`${ROOT}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  const json = await res.json();
  assert.equal(res.status, 200, `${method} ${path}: ${JSON.stringify(json)}`);
  return json.result;
}
/**
 * The journal's entries for one account's list calls, oldest first, once there are `count` of them: the
 * gateway journals a request when its answer has been written, which may be just after the client read it.
 */
async function journal(account, count) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const entries = (await admin('GET', `/__admin/requests?path=${encodeURIComponent(`/accounts/${account}/`)}`))
      .filter((e) => e.path.endsWith(`/accounts/${account}/devices/registrations`));
    if (entries.length >= count || Date.now() > deadline) return entries;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the SDK with retries on (maxRetries 2) against injected faults and the rate limiter', {
  timeout: 5 * 60_000, skip: ADMIN_TOKEN ? false : 'GATEWAY_ADMIN_TOKEN not set',
}, () => {
  const attempts = [];
  async function countingFetch(url, init = {}) {
    const res = await fetch(url, init);
    attempts.push({ url: String(url), retry: new Headers(init.headers).get('x-stainless-retry-count'), status: res.status });
    return res;
  }
  const retrying = makeClient({ apiToken: TOKEN, maxRetries: 2, fetch: countingFetch });

  after(async () => {
    await admin('DELETE', '/__admin/faults');
  });

  it('recovers from two injected 503s (the gateway\'s own Retry-After: 1), retry counts 0, 1, 2 in the journal', T, async () => {
    const account = `${ACCT}-r503`;
    await admin('PUT', '/__admin/faults', {
      seed: 1, rules: [{ name: 'sdk-503', route: 'list', account, times: 2, error: { status: 503 } }],
    });
    const started = Date.now();
    const page = await retrying.zeroTrust.devices.registrations.list({ account_id: account });
    console.log(`# 503 x2 then 200: ${Date.now() - started} ms`);
    assert.deepStrictEqual(page.result, []);
    const seen = await journal(account, 3);
    assert.deepStrictEqual(seen.map((e) => [e.status, e.retry_count]), [[503, 0], [503, 1], [200, 2]]);
    assert.ok(seen.every((e) => e.query === seen[0].query && e.token === 'sdk-writer'), JSON.stringify(seen));
  });

  it('recovers from two injected 429s whose headers say retry (x-should-retry: true, retry-after-ms: 50)', T, async () => {
    const account = `${ACCT}-r429`;
    await admin('PUT', '/__admin/faults', {
      seed: 1,
      rules: [{
        name: 'sdk-429', route: 'list', account, times: 2,
        error: { status: 429, headers: { 'x-should-retry': 'true', 'retry-after-ms': '50' } },
      }],
    });
    const started = Date.now();
    const page = await retrying.zeroTrust.devices.registrations.list({ account_id: account });
    console.log(`# 429 x2 then 200: ${Date.now() - started} ms`);
    assert.deepStrictEqual(page.result, []);
    const seen = await journal(account, 3);
    assert.deepStrictEqual(seen.map((e) => [e.status, e.retry_count]), [[429, 0], [429, 1], [200, 2]]);
  });

  it('gives up after maxRetries: three injected 503s surface as InternalServerError after 3 attempts', T, async () => {
    const account = `${ACCT}-r503x3`;
    await admin('PUT', '/__admin/faults', {
      seed: 1,
      rules: [{ name: 'sdk-503-x3', route: 'list', account, times: 3, error: { status: 503, headers: { 'retry-after-ms': '50' } } }],
    });
    const { InternalServerError } = await import('cloudflare');
    await assert.rejects(retrying.zeroTrust.devices.registrations.list({ account_id: account }), (e) => {
      assert.ok(e instanceof InternalServerError, `${e?.constructor?.name}: ${e?.message}`);
      assert.equal(e.errors[0].code, 1100);
      return true;
    });
    const seen = await journal(account, 3);
    assert.deepStrictEqual(seen.map((e) => [e.status, e.retry_count]), [[503, 0], [503, 1], [503, 2]]);
  });

  it('the emulated rate limit\'s 429 (971) is not retried (x-should-retry: false, API.md) and surfaces as RateLimitError', {
    ...T, skip: LIMITED_TOKEN ? false : 'GATEWAY_LIMITED_TOKEN not set',
  }, async () => {
    await admin('DELETE', '/__admin/faults');
    const account = `${ACCT}-limited`;
    const limited = makeClient({ apiToken: LIMITED_TOKEN, maxRetries: 2, fetch: countingFetch });
    let err = null;
    let passed = 0;
    for (let i = 0; i < 50 && !err; i++) {
      try {
        const { response } = await limited.zeroTrust.devices.registrations.list({ account_id: account }).withResponse();
        assert.match(response.headers.get('ratelimit') ?? '', /^"default";r=\d+;t=\d+$/);
        passed++;
      } catch (e) {
        err = e;
      }
    }
    assert.ok(err, 'the limited token never hit its limit');
    assert.ok(err instanceof RateLimitError, `${err?.constructor?.name}: ${err?.message}`);
    assert.equal(err.status, 429);
    assert.equal(err.errors[0].code, 971);
    assert.equal(err.headers.get('x-should-retry'), 'false');
    assert.match(err.headers.get('retry-after') ?? '', /^\d+$/);
    assert.match(err.headers.get('ratelimit') ?? '', /^"default";r=0;t=\d+$/);
    const seen = await journal(account, passed + 1);
    const refusals = seen.filter((e) => e.status === 429);
    assert.equal(refusals.length, 1, `one 429, never retried: ${JSON.stringify(seen)}`);
    assert.equal(refusals[0].retry_count, 0);
    assert.equal(seen.length, passed + 1);
  });
});
