-- One page, or part of one. ARGV:
--  1 sort index (id|c|l|n|e)   2 asc|desc   3 statuses (a|r|ar)   4 how many more items are wanted
--  5 budget: index entries this call may examine   6 lower bound, 7 upper bound (ZRANGEBYLEX syntax)
--  8 registration type   9 last seen strictly after   10 strictly before (time sort keys)
--  11 search term   12 device id   13 policy id   (8-13: ABSENT when not filtered)
--  14 candidate sets up to this size are read whole instead of walking the index (up to ten times
--     it, when the walk would examine more entries than the set holds)
--  15 n, then n ids   then m, then m user ids
-- Returns {resume, record, record...}: resume is '' when the page is complete or
-- nothing further matches, else the last index member examined, to continue strictly after.
local sort, order, statuses = ARGV[1], ARGV[2], ARGV[3]
local want, budget = tonumber(ARGV[4]), tonumber(ARGV[5])
local lo, hi = ARGV[6], ARGV[7]
local function opt(v) if v == ABSENT then return nil end return v end
local ftype, fafter, fbefore = opt(ARGV[8]), opt(ARGV[9]), opt(ARGV[10])
local search, fdev, fpol = opt(ARGV[11]), opt(ARGV[12]), opt(ARGV[13])
local climit = tonumber(ARGV[14])
local at = 15
local ids, users = {}, {}
for i = 1, tonumber(ARGV[at]) do ids[i] = ARGV[at + i] end
at = at + #ids + 1
for i = 1, tonumber(ARGV[at]) do users[i] = ARGV[at + i] end
local idset, userset
if #ids > 0 then idset = {} for _, v in ipairs(ids) do idset[v] = true end end
if #users > 0 then userset = {} for _, v in ipairs(users) do userset[v] = true end end
local filtered = idset or userset or ftype or fafter or fbefore or search or fdev or fpol
-- How many leading record fields the filters read (their positions in FIELDS).
local needed = 0
local function need(name, on)
  if on then
    for k, f in ipairs(FIELDS) do
      if f == name and k > needed then needed = k end
    end
  end
end
need('s', search) need('t', ftype) need('l', fafter or fbefore) need('d', fdev) need('u', userset)
need('p', fpol)

local function passes(id, f)
  if idset and not idset[id] then return false end
  if ftype and f.t ~= ftype then return false end
  if fdev and f.d ~= fdev then return false end
  if fpol and f.p ~= fpol then return false end
  if userset and not (f.u and userset[userOf(f)]) then return false end
  if fafter and not lt(fafter, f.l) then return false end
  if fbefore and not lt(f.l, fbefore) then return false end
  if search and not string.find(f.s, search, 1, true) then return false end
  return true
end

local out = {''}
-- Records of an unfiltered walk are read in one MGET per chunk rather than one GET each: most of a
-- page's Redis time was the per-call overhead of 51 GETs.
local pending = {}
local function emit(id, v)
  if v then out[#out + 1] = v else pending[#pending + 1] = rkey(id) end
end
local function flush()
  if #pending > 0 then
    local vs = redis.call('MGET', unpack(pending))
    for i = 1, #pending do out[#out + 1] = vs[i] end
    pending = {}
  end
  return out
end

local function idOf(m)
  if sort == 'id' then return m end
  if sort == 'c' or sort == 'l' then return string.sub(m, 19) end
  return string.sub(m, string.find(m, '\0', 1, true) + 1)
end

local function within(m)
  if lo ~= '-' then
    local b = string.sub(lo, 2)
    if string.sub(lo, 1, 1) == '(' then
      if not lt(b, m) then return false end
    elseif lt(m, b) then return false end
  end
  if hi ~= '+' then
    local b = string.sub(hi, 2)
    if string.sub(hi, 1, 1) == '(' then
      if not lt(m, b) then return false end
    elseif lt(b, m) then return false end
  end
  return true
end

-- The smallest set of ids an equality filter narrows the query to, or nil to walk the index.
local function candidates()
  if idset then return ids end
  local best, size
  local function consider(key, values)
    local n = 0
    for _, v in ipairs(values) do n = n + redis.call('ZLEXCOUNT', key, '[' .. v .. '\0', '(' .. v .. '\1') end
    if size == nil or n < size then best, size = {key, values}, n end
  end
  if fdev then consider(BASE .. DEVICE, {fdev}) end
  if fpol then consider(BASE .. POLICY, {fpol}) end
  if userset then consider(BASE .. USER, users) end
  if best == nil then return nil end
  if size > climit then
    -- Walking the index finds a page after about total/size entries per item; reading the whole
    -- candidate range costs size. Above ten times the limit, a page could block Redis too long.
    local total = 0
    for i = 1, #statuses do total = total + redis.call('ZCARD', ikey(sort, string.sub(statuses, i, i))) end
    if size > 10 * climit or size * size > total * want then return nil end
  end
  local list = {}
  for _, v in ipairs(best[2]) do
    local skip = #v + 2
    for _, m in ipairs(redis.call('ZRANGEBYLEX', best[1], '[' .. v .. '\0', '(' .. v .. '\1')) do
      list[#list + 1] = string.sub(m, skip)
    end
  end
  return list
end

local function before(a, b)
  if order == 'asc' then return lt(a, b) end
  return lt(b, a)
end

local function fromCandidates(list)
  local found, seen = {}, {}
  for _, id in ipairs(list) do
    if not seen[id] then
      seen[id] = true
      local v = redis.call('GET', rkey(id))
      if v then
        local f = decode(v)
        if string.find(statuses, status(f), 1, true) and passes(id, f) then
          local m = member(sort, f, id)
          if within(m) then found[#found + 1] = {m, v} end
        end
      end
    end
  end
  table.sort(found, function(x, y) return before(x[1], y[1]) end)
  for i = 1, math.min(want, #found) do emit(nil, found[i][2]) end
  return out
end

local function merge(a, b)
  local m, i, j = {}, 1, 1
  while i <= #a or j <= #b do
    if j > #b or (i <= #a and before(a[i], b[j])) then
      m[#m + 1] = a[i]
      i = i + 1
    else
      m[#m + 1] = b[j]
      j = j + 1
    end
  end
  return m
end

-- Walks the sort index (both status indexes merged for 'ar') in chunks, filtering as it goes.
local function walk()
  local keys = {}
  for i = 1, #statuses do keys[#keys + 1] = ikey(sort, string.sub(statuses, i, i)) end
  local start, stop, cmd = lo, hi, 'ZRANGEBYLEX'
  if order == 'desc' then start, stop, cmd = hi, lo, 'ZREVRANGEBYLEX' end
  local examined, found = 0, 0
  while true do
    local n = want - found
    if filtered then n = math.min(256, budget - examined) end
    local lists, boundary = {}, nil
    for i, k in ipairs(keys) do
      local l = redis.call(cmd, k, start, stop, 'LIMIT', 0, n)
      lists[i] = l
      -- A full chunk may continue: beyond its last member, the merge knows nothing.
      if #l == n and (boundary == nil or before(l[#l], boundary)) then boundary = l[#l] end
    end
    local merged = lists[1]
    -- Only a merge of two indexes can go past what both chunks cover; one index never does.
    local cut = nil
    if #lists == 2 then merged, cut = merge(lists[1], lists[2]), boundary end
    local last
    for _, m in ipairs(merged) do
      if cut and before(cut, m) then break end
      last = m
      examined = examined + 1
      local id = idOf(m)
      local v = nil
      if filtered then v = redis.call('GET', rkey(id)) end
      if not filtered or passes(id, decode(v, needed)) then
        emit(id, v)
        found = found + 1
        if found == want then return flush() end
      end
    end
    if boundary == nil then return flush() end
    start = '(' .. last
    if examined >= budget then
      out[1] = last
      return flush()
    end
  end
end

local list = nil
if idset or fdev or fpol or userset then list = candidates() end
if list then return fromCandidates(list) end
return walk()
