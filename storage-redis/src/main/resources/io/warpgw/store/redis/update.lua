-- ARGV: expected json, updated_at, revoked_at (ABSENT when not revoked) as read, then the new record.
-- Compare-and-set: the caller re-reads and retries when the record changed since it read it.
-- Returns 0 when the registration is gone, 1 when it changed meanwhile, 2 when written.
local id = ARGV[4]
local cur = redis.call('HMGET', rkey(id), 'j', 'up', 'rv')
if not cur[1] then return 0 end
if cur[1] ~= ARGV[1] or cur[2] ~= ARGV[2] or (cur[3] or ABSENT) ~= ARGV[3] then return 1 end
unindex(id, load(id))
index(id, write(4))
return 2
