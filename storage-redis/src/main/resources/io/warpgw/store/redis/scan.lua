-- KEYS[1] is never read: it only routes the call to one master of a cluster. ARGV: cursor, MATCH
-- pattern, COUNT. One SCAN step of that master's keyspace: {next cursor, {keys...}}.
return redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', ARGV[3])
