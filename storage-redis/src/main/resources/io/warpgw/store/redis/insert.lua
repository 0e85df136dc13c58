-- ARGV: per registration 10 values: id, record, status (a|r), then its index members as
-- ImportArgs writes them: created, last seen, user name, user email, device, user ('' if none),
-- policy ('' if none). Stores those whose id is new; returns the others.
-- An import batch is the hot path of seeding millions, hence the shape: members come precomputed
-- (no decoding, no string building here) and are gathered per key and added with one ZADD each,
-- thirteen calls for a whole batch instead of eight per registration.
local W = 10
local zadds = {}
local function zadd(key)
  local t = {'ZADD', key}
  zadds[#zadds + 1] = t
  return t
end
local sorted = {}
for _, st in ipairs({ACTIVE, REVOKED}) do
  sorted[st] = {}
  for k, sort in ipairs(SORTS) do sorted[st][k] = zadd(ikey(sort, st)) end
end
local filters = {zadd(BASE .. DEVICE), zadd(BASE .. USER), zadd(BASE .. POLICY)}
local function add(t, m)
  t[#t + 1] = 0
  t[#t + 1] = m
end
local existing = {}
for at = 1, #ARGV, W do
  local id = ARGV[at]
  -- NX makes the existence check and the write one step.
  if redis.call('SET', rkey(id), ARGV[at + 1], 'NX') then
    local s = sorted[ARGV[at + 2]]
    add(s[1], id)
    for k = 2, 5 do add(s[k], ARGV[at + k + 1]) end
    for k = 1, 3 do
      local m = ARGV[at + k + 6]
      if m ~= '' then add(filters[k], m) end
    end
  else
    existing[#existing + 1] = id
  end
end
for _, t in ipairs(zadds) do
  if #t > 2 then redis.call(unpack(t)) end
end
return existing
