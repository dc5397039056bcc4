-- ConflictGuard claim store: every command is one call of this script, so each is atomic.
--
-- KEYS[1] = <P>:fence, KEYS[2] = <P>:leases: the namespace's fixed keys (they route the call to
--           the namespace's hash slot).
-- ARGV[1] = <P>, the key prefix "{namespace}"; ARGV[2] = command; then the command's arguments.
--
-- Keys, all in one hash slot. The fixed ones arrive in KEYS; the others are named by the rows,
-- operations and tokens a call is about, so they are built here from <P>. Every key starts with
-- the hash tag {namespace}, which is what Redis Cluster hashes, so one call never spans slots
-- (a rule, not a choice: a script may only touch keys of one slot).
--   <P>:fence            counter; INCR hands out fencing tokens (starts at Redis time x 1024)
--   <P>:leases           sorted set token -> lease end, for sweeps
--   <P>:locked:<Entity>  set of marked ids (for people: SMEMBERS shows what is claimed, subtree
--                        roots included)
--   <P>:owner:<Entity>   hash id -> token of the claim that marked the row (alone or with its
--                        subtree); for a row shared claims marked, their tokens separated by spaces
--   <P>:subtree:<Entity> hash id -> token(s) of the claim(s) that marked the row with its subtree
--   <P>:intent:<Entity>:<id>  set of the tokens of the claims that hold something strictly
--                        below the row: they put an intention on it
--   <P>:claim:<token>    hash op, label, user, since, lease (ms, Redis clock), mode ('S' for a
--                        shared claim, absent for an exclusive one), and msgpack lists:
--                        marks (entity, {ids alone}, {ids with subtree}, ...) and intentions
--                        (entity, {ids}, ...)
--   <P>:op:<operation>   set of the tokens of the operation's claims, live or lapsed until swept
--   <P>:waits            sorted set ticket -> end of the place, for the claims waiting in the queue
--   <P>:wait:<ticket>    hash op, label, user, since, until (ms, Redis clock), mode ('S' or absent),
--                        marks and intentions as in a claim: a waiting claim's place in the queue
--   <P>:qmark:<Entity>   hash id -> tickets of the places whose claims mark the row (spaces between)
--   <P>:qsub:<Entity>    hash id -> tickets of the places whose claims mark the row with its subtree
--   <P>:qintent:<Entity> hash id -> tickets of the places whose claims put an intention on the row
-- A mark or intention counts while its token names a claim whose lease is after now. A row's
-- mark is a subtree mark when the subtree hash names the token too.
--
-- Channel <P>:changes (a channel, not a key) tells every node what changed: "G <token>" a claim
-- was granted, "E <token>" a claim ended (released, force-released, swept), "Q <ticket>" a place
-- left the queue (its claim was granted or stopped waiting). Nodes publish
-- "P <text>" there themselves to check that their subscription works.
--
-- A claim conflicts with another live claim, unless both are shared, when: one of its marks is on
-- a row the other marked; one of its subtree marks is on a row the other has an intention on; or
-- one of the rows it puts intentions on (the ancestors of its marks) carries the other's subtree
-- mark. (Multi-granularity locking with the modes of whole claims: S and X marks, IS and IX
-- intentions.)
--
-- Fair waiting: a claim that will wait takes a place in the queue (a ticket from the fence
-- counter) when first refused and names it on every later try. A place conflicts like a claim's
-- marks and intentions would, and keeps every claim with a later ticket, or with none, off the
-- rows it conflicts with, until the place's claim is granted, gives the place up, or stops
-- renewing it (the place lapses at its end).
--
-- Replies are arrays. Numbers (tokens, times in ms, counts) are integers; ids, names, labels and
-- statuses are strings. Each command below states its reply.

local FENCE, LEASES = KEYS[1], KEYS[2]
local P = ARGV[1]
local CHUNK = 500

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- A number as the digits Redis stores (tostring would write 1.7e+12).
local function digits(x)
  return string.format('%.0f', x)
end

local function claim_key(token)
  return P .. ':claim:' .. token
end

local function op_key(op)
  return P .. ':op:' .. op
end

local WAITS = P .. ':waits'

local function wait_key(ticket)
  return P .. ':wait:' .. ticket
end

-- Memoised "is the claim with this token live at now?", and whether it is shared.
local function liveness(now)
  local memo, shared = {}, {}
  local function live(token)
    local v = memo[token]
    if v == nil then
      local h = redis.call('HMGET', claim_key(token), 'lease', 'mode')
      v = h[1] ~= false and tonumber(h[1]) > now
      memo[token] = v
      shared[token] = h[2] == 'S'
    end
    return v
  end
  return live, function(token)
    live(token)
    return shared[token]
  end
end

-- Calls fn(token) for every token of a hash value (one token, or several separated by spaces).
local function each_token(value, fn)
  if not string.find(value, ' ', 1, true) then
    fn(value)
    return
  end
  for t in string.gmatch(value, '%S+') do fn(t) end
end

-- Whether a hash value names the token.
local function names(value, token)
  if not value then return false end
  if value == token then return true end
  local found = false
  each_token(value, function(t) if t == token then found = true end end)
  return found
end

-- The value without the token (false when nothing remains).
local function without(value, token)
  local rest = {}
  each_token(value, function(t) if t ~= token then rest[#rest + 1] = t end end)
  if #rest == 0 then return false end
  return table.concat(rest, ' ')
end

-- The live claim among the operation's claims, or nil.
local function live_claim_of(op, live)
  for _, token in ipairs(redis.call('SMEMBERS', op_key(op))) do
    if live(token) then return token end
  end
  return nil
end

-- Calls fn(entity, ids, first, last) for every entity group in args[from..]: entity, n, id1..idn.
local function each_group(args, from, fn)
  local i = from
  while i <= #args do
    local n = tonumber(args[i + 1])
    fn(args[i], args, i + 2, i + 1 + n)
    i = i + 2 + n
  end
end

-- Calls fn(key, ids, first, last) over ids[first..last] in chunks, for commands that take many keys.
local function chunks(first, last, fn)
  for s = first, last, CHUNK do
    fn(s, math.min(s + CHUNK - 1, last))
  end
end

-- The values of hash fields ids[first..last], in order (false where absent).
local function hvalues(key, ids, first, last)
  local out = {}
  chunks(first, last, function(s, e)
    local got = redis.call('HMGET', key, unpack(ids, s, e))
    for k = 1, #got do out[#out + 1] = got[k] end
  end)
  return out
end

-- The scope of the mark the claim with this token holds on a row of entity.
local function scope_of(entity, id, token)
  if names(redis.call('HGET', P .. ':subtree:' .. entity, id), token) then return 'SUBTREE' end
  return 'ROW'
end

-- Appends (entity, id, token, scope) to found and the token to holders.
local function add_found(found, holders, entity, id, token, scope)
  found[#found + 1] = entity
  found[#found + 1] = id
  found[#found + 1] = tonumber(token)
  found[#found + 1] = scope
  holders[#holders + 1] = token
end

local function intent_key(entity, id)
  return P .. ':intent:' .. entity .. ':' .. id
end

-- Appends a holder record (token, op, label, user, since, lease, mode 'S' or 'X') for each distinct token.
local function append_holders(out, tokens)
  local seen = {}
  for _, t in ipairs(tokens) do
    if not seen[t] then
      seen[t] = true
      local h = redis.call('HMGET', claim_key(t), 'op', 'label', 'user', 'since', 'lease', 'mode')
      local mode = h[6] or 'X'
      if not h[1] then
        -- A place in the queue: mode 'QS' or 'QX', the place's end for the lease.
        h = redis.call('HMGET', wait_key(t), 'op', 'label', 'user', 'since', 'until', 'mode')
        mode = 'Q' .. (h[6] or 'X')
      end
      out[#out + 1] = tonumber(t)
      out[#out + 1] = h[1]
      out[#out + 1] = h[2]
      out[#out + 1] = h[3]
      out[#out + 1] = tonumber(h[4])
      out[#out + 1] = tonumber(h[5])
      out[#out + 1] = mode
    end
  end
end

-- Appends "held rows" to out: n, then found (entity, id, token, scope for each of the n rows),
-- then a holder record per distinct token. Returns out.
local function append_held(out, found, tokens)
  out[#out + 1] = #found / 4
  for k = 1, #found do out[#out + 1] = found[k] end
  append_holders(out, tokens)
  return out
end

-- The live marks on the rows of the groups at ARGV[from..], found as (entity, id, token, scope).
local function marks_on(from, live, found, holders)
  each_group(ARGV, from, function(entity, ids, first, last)
    local owners = hvalues(P .. ':owner:' .. entity, ids, first, last)
    for k = 1, #owners do
      if owners[k] then
        local id = ids[first + k - 1]
        each_token(owners[k], function(t)
          if live(t) then add_found(found, holders, entity, id, t, scope_of(entity, id, t)) end
        end)
      end
    end
  end)
end

-- Removes the token from the intention sets of the rows of the packed groups.
local function drop_intents(token, packed)
  local index = packed and cmsgpack.unpack(packed) or {}
  for g = 1, #index, 2 do
    local entity, ids = index[g], index[g + 1]
    for k = 1, #ids do
      redis.call('SREM', intent_key(entity, ids[k]), token)
    end
  end
end

-- Removes the marks the claim still holds, its intentions and the claim itself. Returns marks removed.
local function drop_claim(token, op)
  local h = redis.call('HMGET', claim_key(token), 'marks', 'intents')
  local released = 0
  local index = h[1] and cmsgpack.unpack(h[1]) or {}
  for g = 1, #index, 3 do
    local entity, ids = index[g], index[g + 1]
    for _, id in ipairs(index[g + 2]) do ids[#ids + 1] = id end
    local owners = hvalues(P .. ':owner:' .. entity, ids, 1, #ids)
    local subtrees = hvalues(P .. ':subtree:' .. entity, ids, 1, #ids)
    local mine, mine_subtrees = {}, {}
    for k = 1, #ids do
      if owners[k] == token then
        mine[#mine + 1] = ids[k]
      elseif names(owners[k], token) then
        -- A row shared with other claims: only this claim's token goes.
        redis.call('HSET', P .. ':owner:' .. entity, ids[k], without(owners[k], token))
        released = released + 1
      end
      if subtrees[k] == token then
        mine_subtrees[#mine_subtrees + 1] = ids[k]
      elseif names(subtrees[k], token) then
        redis.call('HSET', P .. ':subtree:' .. entity, ids[k], without(subtrees[k], token))
      end
    end
    chunks(1, #mine, function(s, e)
      redis.call('HDEL', P .. ':owner:' .. entity, unpack(mine, s, e))
      redis.call('SREM', P .. ':locked:' .. entity, unpack(mine, s, e))
    end)
    chunks(1, #mine_subtrees, function(s, e)
      redis.call('HDEL', P .. ':subtree:' .. entity, unpack(mine_subtrees, s, e))
    end)
    released = released + #mine
  end
  drop_intents(token, h[2])
  redis.call('DEL', claim_key(token))
  redis.call('ZREM', LEASES, token)
  redis.call('SREM', op_key(op), token)
  -- Tells views, and wakes claims waiting for rows.
  redis.call('PUBLISH', P .. ':changes', 'E ' .. token)
  return released
end

-- Adds the ticket to the hash fields ids[first..last] (each a list of tickets).
local function add_ticket(key, ids, first, last, ticket)
  chunks(first, last, function(s, e)
    local got = redis.call('HMGET', key, unpack(ids, s, e))
    local pairs_ = {}
    for k = s, e do
      local value = got[k - s + 1]
      pairs_[#pairs_ + 1] = ids[k]
      pairs_[#pairs_ + 1] = value and (value .. ' ' .. ticket) or ticket
    end
    redis.call('HSET', key, unpack(pairs_))
  end)
end

-- Removes the ticket from the hash fields ids (each a list of tickets).
local function remove_ticket(key, ids, ticket)
  local values = hvalues(key, ids, 1, #ids)
  local gone = {}
  for k = 1, #ids do
    if values[k] == ticket then
      gone[#gone + 1] = ids[k]
    elseif names(values[k], ticket) then
      redis.call('HSET', key, ids[k], without(values[k], ticket))
    end
  end
  chunks(1, #gone, function(s, e) redis.call('HDEL', key, unpack(gone, s, e)) end)
end

-- Removes a place from the queue and wakes the claims behind it. Returns 1, or 0 if there was none.
local function drop_place(ticket)
  local h = redis.call('HMGET', wait_key(ticket), 'marks', 'intents')
  if not h[1] then
    redis.call('ZREM', WAITS, ticket)
    return 0
  end
  local index = cmsgpack.unpack(h[1])
  for g = 1, #index, 3 do
    local entity, alone, subtrees = index[g], index[g + 1], index[g + 2]
    remove_ticket(P .. ':qmark:' .. entity, alone, ticket)
    remove_ticket(P .. ':qmark:' .. entity, subtrees, ticket)
    remove_ticket(P .. ':qsub:' .. entity, subtrees, ticket)
  end
  local intents = h[2] and cmsgpack.unpack(h[2]) or {}
  for g = 1, #intents, 2 do
    remove_ticket(P .. ':qintent:' .. intents[g], intents[g + 1], ticket)
  end
  redis.call('DEL', wait_key(ticket))
  redis.call('ZREM', WAITS, ticket)
  redis.call('PUBLISH', P .. ':changes', 'Q ' .. ticket)
  return 1
end

-- Drops up to limit places that lapsed by now. Returns how many.
local function drop_lapsed_places(now, limit)
  local lapsed = redis.call('ZRANGEBYSCORE', WAITS, '-inf', digits(now), 'LIMIT', 0, limit)
  for _, t in ipairs(lapsed) do drop_place(t) end
  return #lapsed
end

local commands = {}

-- ARGV[first..last] as a list.
local function slice(first, last)
  local out = {}
  for k = first, last do out[#out + 1] = ARGV[k] end
  return out
end

-- Keeps (renews) or takes a refused claim's place in the queue; returns its ticket.
-- marks {entity, rowFirst, rowLast, subFirst, subLast}, intents {entity, first, last} index ARGV.
local function enqueue(ticket, now, keep_ms, op, label, user, shared, marks, intents)
  local place_end = digits(now + keep_ms)
  if ticket and redis.call('EXISTS', wait_key(ticket)) == 1 then
    redis.call('HSET', wait_key(ticket), 'until', place_end)
    redis.call('ZADD', WAITS, place_end, ticket)
    return ticket
  end
  -- Places whose waiters stopped asking go here, a few at a time, and in sweeps.
  drop_lapsed_places(now, 10)
  if not ticket then
    redis.call('SET', FENCE, digits(now * 1024), 'NX')
    ticket = digits(redis.call('INCR', FENCE))
  end
  local mark_index, intent_index = {}, {}
  for _, m in ipairs(marks) do
    local entity = m[1]
    add_ticket(P .. ':qmark:' .. entity, ARGV, m[2], m[3], ticket)
    add_ticket(P .. ':qmark:' .. entity, ARGV, m[4], m[5], ticket)
    add_ticket(P .. ':qsub:' .. entity, ARGV, m[4], m[5], ticket)
    mark_index[#mark_index + 1] = entity
    mark_index[#mark_index + 1] = slice(m[2], m[3])
    mark_index[#mark_index + 1] = slice(m[4], m[5])
  end
  for _, a in ipairs(intents) do
    add_ticket(P .. ':qintent:' .. a[1], ARGV, a[2], a[3], ticket)
    intent_index[#intent_index + 1] = a[1]
    intent_index[#intent_index + 1] = slice(a[2], a[3])
  end
  local fields = {'op', op, 'label', label, 'user', user, 'since', digits(now), 'until', place_end,
    'marks', cmsgpack.pack(mark_index), 'intents', cmsgpack.pack(intent_index)}
  if shared then
    fields[#fields + 1] = 'mode'
    fields[#fields + 1] = 'S'
  end
  redis.call('HSET', wait_key(ticket), unpack(fields))
  redis.call('ZADD', WAITS, place_end, ticket)
  return ticket
end

-- claim op leaseMs label user mode ticket keepMs groups markGroups... intentGroups...
--   mode: 'S' shared, 'X' exclusive
--   ticket: the claim's place in the queue, '0' for none; keepMs: 0 not to queue, else how long
--     a refused claim keeps (or takes) its place
--   markGroups: entity, nRow, rowIds..., nSubtree, subtreeIds... (ids sorted, each row once)
--   intentGroups: entity, n, ids... (the ancestors of the marks)
--   -> {'CLAIMED', token, since, lease}
--    | {'CONFLICT', n, (entity, id, token, scope) * n, (token, op, label, user, since, lease, mode) * holders}
--    | {'QUEUED', ticket, n, ...as CONFLICT} when refused with keepMs > 0: the place kept or taken
--   Holders include the places ahead of the claim in its way: mode 'QS' or 'QX', lease = place's end.
--    | {'BUSY'} when the operation already holds a live claim
commands.claim = function()
  local op, lease_ms, label, user = ARGV[3], tonumber(ARGV[4]), ARGV[5], ARGV[6]
  local shared = ARGV[7] == 'S'
  local now = now_ms()
  local live, is_shared = liveness(now)
  if live_claim_of(op, live) then
    return {'BUSY'}
  end
  -- Whether a live claim with this token is in the way of this one.
  local function blocks(t)
    return live(t) and not (shared and is_shared(t))
  end
  -- Read the groups: marks {entity, rowFirst, rowLast, subFirst, subLast}, intents {entity, first, last}.
  local ticket = ARGV[8] ~= '0' and ARGV[8] or nil
  local keep_ms = tonumber(ARGV[9])
  local marks, intents = {}, {}
  local i = 11
  for g = 1, tonumber(ARGV[10]) do
    local entity, nr = ARGV[i], tonumber(ARGV[i + 1])
    local ns = tonumber(ARGV[i + 2 + nr])
    marks[#marks + 1] = {entity, i + 2, i + 1 + nr, i + 3 + nr, i + 2 + nr + ns}
    i = i + 3 + nr + ns
  end
  each_group(ARGV, i, function(entity, ids, first, last)
    intents[#intents + 1] = {entity, first, last}
  end)
  -- Check everything before writing anything. A shared claim keeps what it read: the live
  -- shared claims it joins on each row.
  local found, holders = {}, {}
  local kept = {}
  for _, m in ipairs(marks) do
    local entity = m[1]
    for _, range in ipairs({{m[2], m[3]}, {m[4], m[5]}}) do
      local owners = hvalues(P .. ':owner:' .. entity, ARGV, range[1], range[2])
      for k = 1, #owners do
        if owners[k] then
          local id = ARGV[range[1] + k - 1]
          each_token(owners[k], function(t)
            if blocks(t) then add_found(found, holders, entity, id, t, scope_of(entity, id, t)) end
          end)
        end
      end
      if shared then kept[#kept + 1] = owners end
    end
    -- One live claim below a subtree root is enough to refuse; the client names the rows.
    for k = m[4], m[5] do
      for _, t in ipairs(redis.call('SMEMBERS', intent_key(entity, ARGV[k]))) do
        if blocks(t) then
          add_found(found, holders, entity, ARGV[k], t, 'SUBTREE')
          break
        end
      end
    end
  end
  for _, a in ipairs(intents) do
    local above = hvalues(P .. ':subtree:' .. a[1], ARGV, a[2], a[3])
    for k = 1, #above do
      if above[k] then
        local id = ARGV[a[2] + k - 1]
        each_token(above[k], function(t)
          if blocks(t) then add_found(found, holders, a[1], id, t, 'SUBTREE') end
        end)
      end
    end
  end
  -- Places ahead of this one in the queue, on rows this claim conflicts with.
  if redis.call('EXISTS', WAITS) == 1 then
    local places = {}
    local function ahead(t)
      if ticket and tonumber(t) >= tonumber(ticket) then return false end
      local v = places[t]
      if v == nil then
        local h = redis.call('HMGET', wait_key(t), 'until', 'mode')
        v = h[1] ~= false and tonumber(h[1]) > now and not (shared and h[2] == 'S')
        places[t] = v
      end
      return v
    end
    local function check(key, entity, first, last, scope)
      local queued = hvalues(key, ARGV, first, last)
      for k = 1, #queued do
        if queued[k] then
          local id = ARGV[first + k - 1]
          each_token(queued[k], function(t)
            if ahead(t) then
              local sc = scope
              if not sc then
                sc = names(redis.call('HGET', P .. ':qsub:' .. entity, id), t) and 'SUBTREE' or 'ROW'
              end
              add_found(found, holders, entity, id, t, sc)
            end
          end)
        end
      end
    end
    for _, m in ipairs(marks) do
      check(P .. ':qmark:' .. m[1], m[1], m[2], m[3], nil)
      check(P .. ':qmark:' .. m[1], m[1], m[4], m[5], nil)
      check(P .. ':qintent:' .. m[1], m[1], m[4], m[5], 'SUBTREE')
    end
    for _, a in ipairs(intents) do
      check(P .. ':qsub:' .. a[1], a[1], a[2], a[3], 'SUBTREE')
    end
  end
  if #found > 0 then
    if keep_ms > 0 then
      local place = enqueue(ticket, now, keep_ms, op, label, user, shared, marks, intents)
      return append_held({'QUEUED', tonumber(place)}, found, holders)
    end
    return append_held({'CONFLICT'}, found, holders)
  end
  if ticket then drop_place(ticket) end
  -- A counter lost with a restart starts again above every token handed out before it
  -- (Redis time x 1024), so tokens keep growing even on a Redis that keeps nothing on disk.
  redis.call('SET', FENCE, digits(now * 1024), 'NX')
  local token = digits(redis.call('INCR', FENCE))
  local lease = now + lease_ms
  -- The value a row's hash field takes: this token, after the live tokens already there when shared.
  local function joined(value)
    if not (shared and value) then return token end
    local out = {}
    each_token(value, function(t) if live(t) then out[#out + 1] = t end end)
    out[#out + 1] = token
    return table.concat(out, ' ')
  end
  local mark_index, intent_index = {}, {}
  local r = 0
  for _, m in ipairs(marks) do
    local entity, alone, subtrees = m[1], {}, {}
    for _, range in ipairs({{m[2], m[3]}, {m[4], m[5]}}) do
      local is_subtree = range[1] == m[4]
      local owned = is_subtree and subtrees or alone
      r = r + 1
      local owners = kept[r]
      chunks(range[1], range[2], function(s, e)
        redis.call('SADD', P .. ':locked:' .. entity, unpack(ARGV, s, e))
        local pairs_ = {}
        -- Rows of this chunk a shared claim finds marked (by live shared claims, or lapsed ones).
        local met = false
        for k = s, e do
          local value = owners and owners[k - range[1] + 1]
          if value then met = true end
          pairs_[#pairs_ + 1] = ARGV[k]
          pairs_[#pairs_ + 1] = value and joined(value) or token
          owned[#owned + 1] = ARGV[k]
        end
        redis.call('HSET', P .. ':owner:' .. entity, unpack(pairs_))
        if met then
          -- The subtree field keeps the live shared subtree marks, plus this one for a subtree.
          local above = hvalues(P .. ':subtree:' .. entity, ARGV, s, e)
          local set, gone = {}, {}
          for k = s, e do
            local rest = {}
            if above[k - s + 1] then
              each_token(above[k - s + 1], function(t) if live(t) then rest[#rest + 1] = t end end)
            end
            if is_subtree then rest[#rest + 1] = token end
            if #rest > 0 then
              set[#set + 1] = ARGV[k]
              set[#set + 1] = table.concat(rest, ' ')
            elseif above[k - s + 1] then
              gone[#gone + 1] = ARGV[k]
            end
          end
          if #set > 0 then redis.call('HSET', P .. ':subtree:' .. entity, unpack(set)) end
          if #gone > 0 then redis.call('HDEL', P .. ':subtree:' .. entity, unpack(gone)) end
        elseif is_subtree then
          redis.call('HSET', P .. ':subtree:' .. entity, unpack(pairs_))
        else
          -- A row mark over a lapsed subtree mark: the row is no subtree root any more.
          redis.call('HDEL', P .. ':subtree:' .. entity, unpack(ARGV, s, e))
        end
      end)
    end
    mark_index[#mark_index + 1] = entity
    mark_index[#mark_index + 1] = alone
    mark_index[#mark_index + 1] = subtrees
  end
  for _, a in ipairs(intents) do
    local ids = {}
    for k = a[2], a[3] do
      redis.call('SADD', intent_key(a[1], ARGV[k]), token)
      ids[#ids + 1] = ARGV[k]
    end
    intent_index[#intent_index + 1] = a[1]
    intent_index[#intent_index + 1] = ids
  end
  local fields = {'op', op, 'label', label, 'user', user, 'since', digits(now), 'lease', digits(lease),
    'marks', cmsgpack.pack(mark_index), 'intents', cmsgpack.pack(intent_index)}
  if shared then
    fields[#fields + 1] = 'mode'
    fields[#fields + 1] = 'S'
  end
  redis.call('HSET', claim_key(token), unpack(fields))
  redis.call('SADD', op_key(op), token)
  redis.call('ZADD', LEASES, digits(lease), token)
  redis.call('PUBLISH', P .. ':changes', 'G ' .. token)
  return {'CLAIMED', tonumber(token), now, lease}
end

-- renew op token leaseMs -> {'RENEWED', lease} | {'LOST'}
commands.renew = function()
  local op, token, lease_ms = ARGV[3], ARGV[4], tonumber(ARGV[5])
  local h = redis.call('HMGET', claim_key(token), 'op', 'lease')
  local now = now_ms()
  if h[1] ~= op or tonumber(h[2]) <= now then
    return {'LOST'}
  end
  local lease = now + lease_ms
  redis.call('HSET', claim_key(token), 'lease', digits(lease))
  redis.call('ZADD', LEASES, digits(lease), token)
  return {'RENEWED', lease}
end

-- holds op token -> {1} when the claim is live, else {0}
commands.holds = function()
  local h = redis.call('HMGET', claim_key(ARGV[4]), 'op', 'lease')
  if h[1] == ARGV[3] and tonumber(h[2]) > now_ms() then return {1} end
  return {0}
end

-- release op token -> {marks removed} (0 for a claim that is not this operation's)
commands.release = function()
  local op, token = ARGV[3], ARGV[4]
  if redis.call('HGET', claim_key(token), 'op') ~= op then return {0} end
  return {drop_claim(token, op)}
end

-- force op -> {marks removed}, over every claim of the operation, live or lapsed
commands.force = function()
  local op = ARGV[3]
  local released = 0
  for _, token in ipairs(redis.call('SMEMBERS', op_key(op))) do
    released = released + drop_claim(token, op)
  end
  return {released}
end

-- marks groups... -> {n, (entity, id, token, scope) * n, holders...}: the live marks on these rows
commands.marks = function()
  local found, holders = {}, {}
  marks_on(3, (liveness(now_ms())), found, holders)
  return append_held({}, found, holders)
end

-- below groups... -> {n, (entity, id, token, 'SUBTREE') * n, holders...}: for each row, the live
-- claims that hold something strictly below it
commands.below = function()
  local live = liveness(now_ms())
  local found, holders = {}, {}
  each_group(ARGV, 3, function(entity, ids, first, last)
    for k = first, last do
      for _, t in ipairs(redis.call('SMEMBERS', intent_key(entity, ids[k]))) do
        if live(t) then add_found(found, holders, entity, ids[k], t, 'SUBTREE') end
      end
    end
  end)
  return append_held({}, found, holders)
end

-- claims_of op -> same shape as marks, over the marks the operation's live claim holds
commands.claims_of = function()
  local token = live_claim_of(ARGV[3], (liveness(now_ms())))
  if not token then return {0} end
  local index = cmsgpack.unpack(redis.call('HGET', claim_key(token), 'marks'))
  local found, holders = {}, {}
  for g = 1, #index, 3 do
    local entity = index[g]
    for s, scope in ipairs({'ROW', 'SUBTREE'}) do
      local ids = index[g + s]
      local owners = hvalues(P .. ':owner:' .. entity, ids, 1, #ids)
      for k = 1, #ids do
        if names(owners[k], token) then add_found(found, holders, entity, ids[k], token, scope) end
      end
    end
  end
  return append_held({}, found, holders)
end

-- tokens -> {token...}: every claim kept (live, or lapsed and not swept), in token order
commands.tokens = function()
  local out = {}
  for _, token in ipairs(redis.call('ZRANGE', LEASES, 0, -1)) do out[#out + 1] = tonumber(token) end
  return out
end

-- records token... -> {token, marks, ...} for each claim still kept, in the order asked; marks as
--   stored (msgpack: entity, {ids alone}, {ids with subtree}, ...), read and decoded by the caller
commands.records = function()
  local out = {}
  for i = 3, #ARGV do
    local marks = redis.call('HGET', claim_key(ARGV[i]), 'marks')
    if marks then
      out[#out + 1] = tonumber(ARGV[i])
      out[#out + 1] = marks
    end
  end
  return out
end

-- sweep limit -> {claims removed, marks removed, 1 if more lapsed claims remain else 0}
commands.sweep = function()
  local limit = tonumber(ARGV[3])
  local lapsed = redis.call('ZRANGEBYSCORE', LEASES, '-inf', digits(now_ms()), 'LIMIT', 0, limit + 1)
  local claims, rows = 0, 0
  for k = 1, math.min(#lapsed, limit) do
    local token = lapsed[k]
    local op = redis.call('HGET', claim_key(token), 'op')
    if op then
      rows = rows + drop_claim(token, op)
    else
      redis.call('ZREM', LEASES, token)
    end
    claims = claims + 1
  end
  drop_lapsed_places(now_ms(), limit)
  return {claims, rows, #lapsed > limit and 1 or 0}
end

-- operations -> {(token, op, label, user, since, lease, mode 'S' or 'X', marks) * n}: every live
--   claim, in token order
commands.operations = function()
  local out = {}
  for _, token in ipairs(redis.call('ZRANGEBYSCORE', LEASES, '(' .. digits(now_ms()), '+inf')) do
    local h = redis.call('HMGET', claim_key(token), 'op', 'label', 'user', 'since', 'lease', 'mode', 'marks')
    if h[1] then
      local marks = 0
      local index = cmsgpack.unpack(h[7])
      for g = 1, #index, 3 do marks = marks + #index[g + 1] + #index[g + 2] end
      local fields = {tonumber(token), h[1], h[2], h[3], tonumber(h[4]), tonumber(h[5]), h[6] or 'X', marks}
      for _, f in ipairs(fields) do out[#out + 1] = f end
    end
  end
  return out
end

-- leave ticket -> {1} if the place was in the queue and left it, else {0}
commands.leave = function()
  return {drop_place(ARGV[3])}
end

-- commands -> {name...}: this script's command table, sorted, for the client to check against its own
commands.commands = function()
  local names = {}
  for name in pairs(commands) do names[#names + 1] = name end
  table.sort(names)
  return names
end

local command = commands[ARGV[2]]
if not command then
  return redis.error_reply('ConflictGuard: unknown command ' .. tostring(ARGV[2]))
end
return command()
