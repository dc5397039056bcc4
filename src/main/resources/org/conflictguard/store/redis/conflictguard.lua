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
--   <P>:locked:<Entity>  set of claimed ids (for people: SMEMBERS shows what is claimed)
--   <P>:owner:<Entity>   hash id -> token of the claim holding the row
--   <P>:claim:<token>    hash op, label, user, since, lease (ms, Redis clock), rows (msgpack)
--   <P>:op:<operation>   set of the tokens of the operation's claims, live or lapsed until swept
-- A row is held when its owner token names a claim whose lease is after now.
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

-- Memoised "is the claim with this token live at now?"
local function liveness(now)
  local memo = {}
  return function(token)
    local v = memo[token]
    if v == nil then
      local lease = redis.call('HGET', claim_key(token), 'lease')
      v = lease ~= false and tonumber(lease) > now
      memo[token] = v
    end
    return v
  end
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

-- Looks up the owner token of ids[first..last] in chunks; calls fn(id, token) for each.
local function each_owner(entity, ids, first, last, fn)
  local owners = P .. ':owner:' .. entity
  for s = first, last, CHUNK do
    local e = math.min(s + CHUNK - 1, last)
    local tokens = redis.call('HMGET', owners, unpack(ids, s, e))
    for k = 1, e - s + 1 do
      fn(ids[s + k - 1], tokens[k])
    end
  end
end

-- Appends a holder record (token, op, label, user, since, lease) for each distinct token.
local function append_holders(out, tokens)
  local seen = {}
  for _, t in ipairs(tokens) do
    if not seen[t] then
      seen[t] = true
      local h = redis.call('HMGET', claim_key(t), 'op', 'label', 'user', 'since', 'lease')
      out[#out + 1] = tonumber(t)
      out[#out + 1] = h[1]
      out[#out + 1] = h[2]
      out[#out + 1] = h[3]
      out[#out + 1] = tonumber(h[4])
      out[#out + 1] = tonumber(h[5])
    end
  end
end

-- Appends "held rows" to out: n, then found (entity, id, token for each of the n rows), then a
-- holder record per distinct token. Returns out.
local function append_held(out, found, tokens)
  out[#out + 1] = #found / 3
  for k = 1, #found do out[#out + 1] = found[k] end
  append_holders(out, tokens)
  return out
end

-- The rows in the groups at ARGV[from..] held by a live claim, appended to out as held rows.
local function held_rows(from, live, out)
  local found, holders = {}, {}
  each_group(ARGV, from, function(entity, ids, first, last)
    each_owner(entity, ids, first, last, function(id, t)
      if t and live(t) then
        found[#found + 1] = entity
        found[#found + 1] = id
        found[#found + 1] = tonumber(t)
        holders[#holders + 1] = t
      end
    end)
  end)
  return append_held(out, found, holders)
end

-- Removes the rows the claim still holds and the claim itself. Returns rows removed.
local function drop_claim(token, op, packed)
  local released = 0
  local index = packed and cmsgpack.unpack(packed) or {}
  for g = 1, #index, 2 do
    local entity, ids = index[g], index[g + 1]
    local mine = {}
    each_owner(entity, ids, 1, #ids, function(id, t)
      if t == token then mine[#mine + 1] = id end
    end)
    for s = 1, #mine, CHUNK do
      local e = math.min(s + CHUNK - 1, #mine)
      redis.call('HDEL', P .. ':owner:' .. entity, unpack(mine, s, e))
      redis.call('SREM', P .. ':locked:' .. entity, unpack(mine, s, e))
    end
    released = released + #mine
  end
  redis.call('DEL', claim_key(token))
  redis.call('ZREM', LEASES, token)
  redis.call('SREM', op_key(op), token)
  -- Wakes claims waiting for rows (a channel, not a key).
  redis.call('PUBLISH', P .. ':released', token)
  return released
end

local commands = {}

-- claim op leaseMs label user groups...
--   -> {'CLAIMED', token, since, lease}
--    | {'CONFLICT', n, (entity, id, token) * n, (token, op, label, user, since, lease) * holders}
--    | {'BUSY'} when the operation already holds a live claim
commands.claim = function()
  local op, lease_ms, label, user = ARGV[3], tonumber(ARGV[4]), ARGV[5], ARGV[6]
  local now = now_ms()
  local live = liveness(now)
  if live_claim_of(op, live) then
    return {'BUSY'}
  end
  -- Check every row before writing anything.
  local held = held_rows(7, live, {'CONFLICT'})
  if held[2] ~= 0 then
    return held
  end
  -- A counter lost with a restart starts again above every token handed out before it
  -- (Redis time x 1024), so tokens keep growing even on a Redis that keeps nothing on disk.
  redis.call('SET', FENCE, digits(now * 1024), 'NX')
  local token = digits(redis.call('INCR', FENCE))
  local lease = now + lease_ms
  local index = {}
  each_group(ARGV, 7, function(entity, ids, first, last)
    local owned = {}
    for s = first, last, CHUNK do
      local e = math.min(s + CHUNK - 1, last)
      redis.call('SADD', P .. ':locked:' .. entity, unpack(ids, s, e))
      local pairs_ = {}
      for k = s, e do
        pairs_[#pairs_ + 1] = ids[k]
        pairs_[#pairs_ + 1] = token
        owned[#owned + 1] = ids[k]
      end
      redis.call('HSET', P .. ':owner:' .. entity, unpack(pairs_))
    end
    index[#index + 1] = entity
    index[#index + 1] = owned
  end)
  redis.call('HSET', claim_key(token), 'op', op, 'label', label, 'user', user,
    'since', digits(now), 'lease', digits(lease), 'rows', cmsgpack.pack(index))
  redis.call('SADD', op_key(op), token)
  redis.call('ZADD', LEASES, digits(lease), token)
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

-- release op token -> {rows removed} (0 for a claim that is not this operation's)
commands.release = function()
  local op, token = ARGV[3], ARGV[4]
  local h = redis.call('HMGET', claim_key(token), 'op', 'rows')
  if h[1] ~= op then return {0} end
  return {drop_claim(token, op, h[2])}
end

-- force op -> {rows removed}, over every claim of the operation, live or lapsed
commands.force = function()
  local op = ARGV[3]
  local released = 0
  for _, token in ipairs(redis.call('SMEMBERS', op_key(op))) do
    released = released + drop_claim(token, op, redis.call('HGET', claim_key(token), 'rows'))
  end
  return {released}
end

-- inspect groups... -> {n, (entity, id, token) * n, holders...}
commands.inspect = function()
  return held_rows(3, liveness(now_ms()), {})
end

-- ids entity limit -> {n, id...}: the members of <P>:locked:<entity> (every live claim's ids, and
-- lapsed ones not swept yet), or {-1} when there are more than limit
commands.ids = function()
  local key = P .. ':locked:' .. ARGV[3]
  if redis.call('SCARD', key) > tonumber(ARGV[4]) then return {-1} end
  local out = redis.call('SMEMBERS', key)
  table.insert(out, 1, #out)
  return out
end

-- claims_of op -> same shape as inspect, over the rows the operation's live claim holds
commands.claims_of = function()
  local now = now_ms()
  local token = live_claim_of(ARGV[3], liveness(now))
  if not token then return {0} end
  local index = cmsgpack.unpack(redis.call('HGET', claim_key(token), 'rows'))
  local found = {}
  for g = 1, #index, 2 do
    local entity, ids = index[g], index[g + 1]
    each_owner(entity, ids, 1, #ids, function(id, t)
      if t == token then
        found[#found + 1] = entity
        found[#found + 1] = id
        found[#found + 1] = tonumber(token)
      end
    end)
  end
  return append_held({}, found, #found > 0 and {token} or {})
end

-- sweep limit -> {claims removed, rows removed, 1 if more lapsed claims remain else 0}
commands.sweep = function()
  local limit = tonumber(ARGV[3])
  local lapsed = redis.call('ZRANGEBYSCORE', LEASES, '-inf', digits(now_ms()), 'LIMIT', 0, limit + 1)
  local claims, rows = 0, 0
  for k = 1, math.min(#lapsed, limit) do
    local token = lapsed[k]
    local h = redis.call('HMGET', claim_key(token), 'op', 'rows')
    if h[1] then
      rows = rows + drop_claim(token, h[1], h[2])
    else
      redis.call('ZREM', LEASES, token)
    end
    claims = claims + 1
  end
  return {claims, rows, #lapsed > limit and 1 or 0}
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
