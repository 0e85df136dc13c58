-- Shared by every script; Java prepends the constants (BASE, key segments, FIELDS, ABSENT).
local SORTS = {'id', 'c', 'l', 'n', 'e'}

local function rkey(id) return BASE .. RECORD .. id end
local function ikey(sort, status) return BASE .. INDEX .. sort .. ':' .. status end

-- A stored record: FIELDS joined by NUL, an absent value empty (RecordFields). With upTo, only the
-- first upTo fields are read: a search reads the record of every registration it passes.
local function decode(v, upTo)
  local f, i = {}, 1
  for k = 1, upTo or #FIELDS do
    local name = FIELDS[k]
    local j = string.find(v, '\0', i, true)
    local s
    if j then s = string.sub(v, i, j - 1) i = j + 1 else s = string.sub(v, i) end
    if s ~= '' then f[name] = s end
  end
  return f
end

local function encode(f)
  local parts = {}
  for k, name in ipairs(FIELDS) do parts[k] = f[name] or '' end
  return table.concat(parts, '\0')
end

local function load(id)
  local v = redis.call('GET', rkey(id))
  if not v then return nil end
  return decode(v)
end

local function userOf(f) if f.u then return string.sub(f.u, 2) end return nil end

local function member(sort, f, id)
  if sort == 'id' then return id end
  if sort == 'c' or sort == 'l' then return f[sort] .. id end
  return f[sort] .. '\0' .. id
end

-- Byte-wise a < b. Lua's own '<' goes through strcoll, i.e. the server's locale.
local function lt(a, b)
  if a == b then return false end
  local n = math.min(#a, #b)
  local i = 1
  while i <= n do
    local j = math.min(i + 31, n)
    local sa, sb = string.sub(a, i, j), string.sub(b, i, j)
    if sa ~= sb then
      for k = 1, j - i + 1 do
        local x, y = string.byte(sa, k), string.byte(sb, k)
        if x ~= y then return x < y end
      end
    end
    i = j + 1
  end
  return #a < #b
end

local function status(f) if f.rv then return REVOKED end return ACTIVE end

-- Every index entry of a registration: {key, member} pairs.
local function entries(id, f)
  local st = status(f)
  local e = {}
  for _, sort in ipairs(SORTS) do e[#e + 1] = {ikey(sort, st), member(sort, f, id)} end
  e[#e + 1] = {BASE .. DEVICE, f.d .. '\0' .. id}
  if f.u then e[#e + 1] = {BASE .. USER, userOf(f) .. '\0' .. id} end
  if f.p then e[#e + 1] = {BASE .. POLICY, f.p .. '\0' .. id} end
  return e
end

local function index(id, f)
  for _, e in ipairs(entries(id, f)) do redis.call('ZADD', e[1], 0, e[2]) end
end

local function unindex(id, f)
  for _, e in ipairs(entries(id, f)) do redis.call('ZREM', e[1], e[2]) end
end

-- Moves a registration between the active and revoked sort indexes; its sets do not change.
local function move(id, f, from, to)
  for _, sort in ipairs(SORTS) do
    local m = member(sort, f, id)
    redis.call('ZREM', ikey(sort, from), m)
    redis.call('ZADD', ikey(sort, to), 0, m)
  end
end

-- All or nothing: the ids (ARGV[first..]) that do not exist; empty when all do.
local function missing(first)
  local out = {}
  for i = first, #ARGV do
    if redis.call('EXISTS', rkey(ARGV[i])) == 0 then out[#out + 1] = ARGV[i] end
  end
  return out
end
