-- ARGV: the record as the caller read it, id, the new record. Compare-and-set: the caller re-reads
-- and retries when the record changed since it read it.
-- Returns 0 when the registration is gone, 1 when it changed meanwhile, 2 when written.
local id = ARGV[2]
local cur = redis.call('GET', rkey(id))
if not cur then return 0 end
if cur ~= ARGV[1] then return 1 end
unindex(id, decode(cur))
redis.call('SET', rkey(id), ARGV[3])
index(id, decode(ARGV[3]))
return 2
