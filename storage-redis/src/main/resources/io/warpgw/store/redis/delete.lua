-- ARGV: ids. Deletes all of them, or none when some do not exist; returns those.
local absent = missing(1)
if #absent > 0 then return absent end
for i = 1, #ARGV do
  local id = ARGV[i]
  unindex(id, load(id))
  redis.call('DEL', rkey(id))
end
return absent
