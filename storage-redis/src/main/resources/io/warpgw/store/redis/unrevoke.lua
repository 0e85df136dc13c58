-- ARGV: now, ids. Unrevokes all of them or, when some do not exist, nothing; returns those.
local now = ARGV[1]
local absent = missing(2)
if #absent > 0 then return absent end
for i = 2, #ARGV do
  local id = ARGV[i]
  local f = load(id)
  if f.rv then
    move(id, f, REVOKED, ACTIVE)
    f.rv, f.up = nil, now
    redis.call('SET', rkey(id), encode(f))
  end
end
return absent
