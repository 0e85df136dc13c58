-- KEYS[1]: one credential's rate counter (Keys.rateCounter). ARGV: window in ms, the count at which
-- the window restarts (lockout; 0 = never). One hit on a fixed window, as io.warpgw.spi.RateCounters
-- describes it: {count, ms left in the window}. A single key, so one script in any cluster slot.
local n = redis.call('INCR', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
local window = tonumber(ARGV[1])
if n == 1 or left < 0 or n == tonumber(ARGV[2]) then
  redis.call('PEXPIRE', KEYS[1], window)
  left = window
end
return {n, left}
