-- Shared by every script; Java prepends the constants (BASE, key segments, FIELDS, ABSENT).
local SORTS = {'id', 'c', 'l', 'n', 'e'}
local INDEXED = {'c', 'l', 'n', 'e', 'rv', 'd', 'u', 'p'}

local function rkey(id) return BASE .. RECORD .. id end
local function ikey(sort, status) return BASE .. INDEX .. sort .. ':' .. status end

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

-- The fields that place a registration in the indexes, or nil when it does not exist.
local function load(id)
  local v = redis.call('HMGET', rkey(id), unpack(INDEXED))
  if not v[1] then return nil end
  local f = {}
  for i, name in ipairs(INDEXED) do f[name] = v[i] end
  return f
end

local function status(f) if f.rv then return REVOKED end return ACTIVE end

local function sets(f)
  local s = {}
  s[#s + 1] = BASE .. DEVICE .. f.d
  if f.u then s[#s + 1] = BASE .. USER .. f.u end
  if f.p then s[#s + 1] = BASE .. POLICY .. f.p end
  return s
end

local function index(id, f)
  local st = status(f)
  for _, sort in ipairs(SORTS) do redis.call('ZADD', ikey(sort, st), 0, member(sort, f, id)) end
  for _, k in ipairs(sets(f)) do redis.call('ZADD', k, 0, id) end
end

local function unindex(id, f)
  local st = status(f)
  for _, sort in ipairs(SORTS) do redis.call('ZREM', ikey(sort, st), member(sort, f, id)) end
  for _, k in ipairs(sets(f)) do redis.call('ZREM', k, id) end
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

-- Writes a record from ARGV[at] (id) and the values after it; returns its index fields.
local function write(at)
  local id = ARGV[at]
  local r = rkey(id)
  local hset, hdel = {}, {}
  local f = {}
  for k, name in ipairs(FIELDS) do
    local v = ARGV[at + k]
    if v == ABSENT then
      hdel[#hdel + 1] = name
    else
      hset[#hset + 1] = name
      hset[#hset + 1] = v
      f[name] = v
    end
  end
  redis.call('HSET', r, unpack(hset))
  if #hdel > 0 then redis.call('HDEL', r, unpack(hdel)) end
  return f
end
