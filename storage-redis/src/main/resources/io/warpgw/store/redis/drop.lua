-- ARGV: further keys of this account to remove (reset passes those its scan found). Removes the
-- whole account in one step: every record its id indexes list, then every index and filter set, so
-- a reader sees the account whole or not at all. Work is linear in the account's size (about a
-- second of Redis time per million registrations); records go by UNLINK in chunks of CHUNK keys,
-- so no Lua table ever holds the whole account. Returns how many registrations it removed.
local CHUNK = 1000
local function unlinkAll(keys, first, last)
  for from = first, last, CHUNK do
    redis.call('UNLINK', unpack(keys, from, math.min(last, from + CHUNK - 1)))
  end
end
local removed = 0
for _, st in ipairs({ACTIVE, REVOKED}) do
  local key = ikey('id', st)
  local n = redis.call('ZCARD', key)
  -- Ranks stay put: the index itself is only removed below.
  for from = 0, n - 1, CHUNK do
    local records = {}
    for i, id in ipairs(redis.call('ZRANGE', key, from, from + CHUNK - 1)) do records[i] = rkey(id) end
    unlinkAll(records, 1, #records)
  end
  removed = removed + n
end
local sets = {BASE .. DEVICE, BASE .. USER, BASE .. POLICY}
for _, st in ipairs({ACTIVE, REVOKED}) do
  for _, sort in ipairs(SORTS) do sets[#sets + 1] = ikey(sort, st) end
end
unlinkAll(sets, 1, #sets)
unlinkAll(ARGV, 1, #ARGV)
return removed
