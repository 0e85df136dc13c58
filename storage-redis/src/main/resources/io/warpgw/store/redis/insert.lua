-- ARGV, as ImportArgs writes it: n; the n ids; their n stored records; then for each of the 13
-- index keys (the five sort indexes of active, then of revoked registrations, then device, user,
-- policy) a member count followed by that many score-member pairs, sorted. Stores the
-- registrations whose id is new; returns the others.
-- An import batch is the hot path of seeding millions, hence the shape: one MSETNX for all the
-- records and one ZADD per index key, each taking a slice of ARGV as it is (no decoding, no string
-- building, no per-registration call). Only a batch that meets an existing id goes the slow way,
-- one SET NX per registration, and leaves the existing ones' members out.
local n = tonumber(ARGV[1])
local keys = {}
for _, st in ipairs({ACTIVE, REVOKED}) do
  for _, sort in ipairs(SORTS) do keys[#keys + 1] = ikey(sort, st) end
end
keys[#keys + 1] = BASE .. DEVICE
keys[#keys + 1] = BASE .. USER
keys[#keys + 1] = BASE .. POLICY

local records = {}
for i = 1, n do
  records[2 * i - 1] = rkey(ARGV[1 + i])
  records[2 * i] = ARGV[1 + n + i]
end
local existing, old = {}, nil
if n > 0 and redis.call('MSETNX', unpack(records)) == 0 then
  -- NX makes the existence check and the write one step.
  old = {}
  for i = 1, n do
    if not redis.call('SET', records[2 * i - 1], records[2 * i], 'NX') then
      local id = ARGV[1 + i]
      existing[#existing + 1] = id
      old[id] = true
    end
  end
end

-- The registration id inside a member of the k-th key (see common.lua, member and entries).
local function idOf(k, m)
  local sort = SORTS[(k - 1) % 5 + 1]
  if k <= 10 and sort == 'id' then return m end
  if k <= 10 and (sort == 'c' or sort == 'l') then return string.sub(m, 19) end
  return string.sub(m, string.find(m, '\0', 1, true) + 1)
end

local at = 2 + 2 * n
for k, key in ipairs(keys) do
  local count = tonumber(ARGV[at])
  local from, to = at + 1, at + 2 * count
  if count > 0 then
    if not old then
      redis.call('ZADD', key, unpack(ARGV, from, to))
    else
      local t = {'ZADD', key}
      for j = from + 1, to, 2 do
        local m = ARGV[j]
        if not old[idOf(k, m)] then
          t[#t + 1] = 0
          t[#t + 1] = m
        end
      end
      if #t > 2 then redis.call(unpack(t)) end
    end
  end
  at = to + 1
end
return existing
