-- ARGV: records, each an id and #FIELDS values. Stores those whose id is new; returns the others.
local width = #FIELDS + 1
local existing = {}
for at = 1, #ARGV, width do
  local id = ARGV[at]
  if redis.call('EXISTS', rkey(id)) == 1 then
    existing[#existing + 1] = id
  else
    index(id, write(at))
  end
end
return existing
