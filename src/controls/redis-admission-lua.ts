/**
 * The Lua of shared admission. Every key is derived from the prefix in ARGV[1] (a standalone
 * Redis, not a cluster: one request's scopes must be reachable by one script). Layout:
 *   <p>ready              set once the counters are complete (after a rebuild from the ledger)
 *   <p>spent:<scope>      settled total       <p>held:<scope>   sum of open leases
 *   <p>lease:<id>         hash: n, at, exp, s<i> scope, a<i> reserved, t<i> scope ttl
 *   <p>leases             zset id -> lease expiry (Redis ms)
 *   <p>done:<id>          settled marker (idempotent settle)
 *   <p>rate:<key>:<w>     fixed-window counter w (the sliding window weighs w-1)
 *   <p>ledger             stream of reserve / settle events for the SQL ledger
 * Amounts stay strings from ARGV to INCRBY, so no float formatting touches money.
 */

const common = `
local function num(v) return tonumber(v) or 0 end
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function close_lease(p, id, now, done_ttl, actuals, how)
  local lease = p .. 'lease:' .. id
  local n = tonumber(redis.call('HGET', lease, 'n'))
  local lines = {}
  for i = 1, n do
    local scope = redis.call('HGET', lease, 's' .. i)
    local reserved = redis.call('HGET', lease, 'a' .. i)
    local ttl = redis.call('HGET', lease, 't' .. i)
    local actual = reserved
    if actuals ~= nil and actuals[i] ~= nil then actual = actuals[i] end
    local held_key = p .. 'held:' .. scope
    if redis.call('DECRBY', held_key, reserved) <= 0 then redis.call('DEL', held_key) end
    local spent_key = p .. 'spent:' .. scope
    redis.call('INCRBY', spent_key, actual)
    redis.call('PEXPIRE', spent_key, ttl)
    lines[i] = { scope, reserved, actual, ttl }
  end
  redis.call('DEL', lease)
  redis.call('ZREM', p .. 'leases', id)
  redis.call('SET', p .. 'done:' .. id, '1', 'PX', done_ttl)
  redis.call('XADD', p .. 'ledger', '*', 'type', 'settle', 'id', id, 'at', now, 'how', how, 'lines', cjson.encode(lines))
end
`;

/**
 * ARGV: prefix, id, leaseMs, nBudget, nRate, then per budget line (scope, limit, amount,
 * ttlMs), then per rate line (key, limit, cost, windowMs).
 * Reply: {0, now, used...} admitted (now: the Redis time its windows were taken at) | {1, index, used...} budget | {2, index, current,
 * previous, elapsed} rate | {3} counters not rebuilt yet | {4} id already reserved.
 */
export const reserveLua = `${common}
local p = ARGV[1]
if redis.call('EXISTS', p .. 'ready') == 0 then return { 3 } end
local id = ARGV[2]
local lease_ms = tonumber(ARGV[3])
local nb = tonumber(ARGV[4])
local nr = tonumber(ARGV[5])
if nb > 0 and (redis.call('EXISTS', p .. 'lease:' .. id) == 1 or redis.call('EXISTS', p .. 'done:' .. id) == 1) then return { 4 } end
local now = now_ms()
local used = {}
for i = 1, nb do
  local scope = ARGV[6 + (i - 1) * 4]
  used[i] = num(redis.call('GET', p .. 'spent:' .. scope)) + num(redis.call('GET', p .. 'held:' .. scope))
end
for i = 1, nb do
  local at = 6 + (i - 1) * 4
  local limit = tonumber(ARGV[at + 1])
  local amount = tonumber(ARGV[at + 2])
  if (amount > 0 and used[i] + amount > limit) or (amount <= 0 and used[i] >= limit) then
    local out = { 1, i - 1 }
    for j = 1, nb do out[#out + 1] = used[j] end
    return out
  end
end
local rate_at = 6 + nb * 4
local windows = {}
for i = 1, nr do
  local at = rate_at + (i - 1) * 4
  local limit = tonumber(ARGV[at + 1])
  local cost = tonumber(ARGV[at + 2])
  local window = tonumber(ARGV[at + 3])
  local index = math.floor(now / window)
  local elapsed = now - index * window
  local current_key = p .. 'rate:' .. ARGV[at] .. ':' .. string.format('%d', index)
  local current = num(redis.call('GET', current_key))
  local previous = num(redis.call('GET', p .. 'rate:' .. ARGV[at] .. ':' .. string.format('%d', index - 1)))
  local weight = 1 - elapsed / window
  local needed = cost
  if needed == 0 then needed = 1 end
  if previous * weight + current + needed > limit then return { 2, i - 1, current, previous, elapsed } end
  windows[i] = current_key
end
for i = 1, nb do
  local at = 6 + (i - 1) * 4
  local held_key = p .. 'held:' .. ARGV[at]
  redis.call('INCRBY', held_key, ARGV[at + 2])
  redis.call('PEXPIRE', held_key, ARGV[at + 3])
end
for i = 1, nr do
  local at = rate_at + (i - 1) * 4
  if tonumber(ARGV[at + 2]) > 0 then
    redis.call('INCRBY', windows[i], ARGV[at + 2])
    redis.call('PEXPIRE', windows[i], tonumber(ARGV[at + 3]) * 2)
  end
end
if nb > 0 then
  local lease = p .. 'lease:' .. id
  local expires = now + lease_ms
  local fields = { 'n', nb, 'at', now, 'exp', expires }
  local lines = {}
  for i = 1, nb do
    local at = 6 + (i - 1) * 4
    fields[#fields + 1] = 's' .. i
    fields[#fields + 1] = ARGV[at]
    fields[#fields + 1] = 'a' .. i
    fields[#fields + 1] = ARGV[at + 2]
    fields[#fields + 1] = 't' .. i
    fields[#fields + 1] = ARGV[at + 3]
    lines[i] = { ARGV[at], ARGV[at + 2], ARGV[at + 3] }
  end
  redis.call('HSET', lease, unpack(fields))
  redis.call('PEXPIRE', lease, lease_ms + 86400000)
  redis.call('ZADD', p .. 'leases', expires, id)
  redis.call('XADD', p .. 'ledger', '*', 'type', 'reserve', 'id', id, 'at', now, 'exp', expires, 'lines', cjson.encode(lines))
end
local out = { 0, now }
for j = 1, nb do out[#out + 1] = used[j] end
return out
`;

/**
 * ARGV: prefix, id, doneTtlMs, n, then per line (scope, actual, ttlMs) in reservation order.
 * Reply: 0 settled | 1 already settled (a retry) | 2 no lease and no ledger trace of it (lost
 * with a Redis restart before its reservation reached the ledger): charged at the actual
 * amount | 3 counters not rebuilt yet, retry later.
 */
export const settleLua = `${common}
local p = ARGV[1]
local id = ARGV[2]
local done_ttl = ARGV[3]
local n = tonumber(ARGV[4])
local now = now_ms()
if redis.call('EXISTS', p .. 'lease:' .. id) == 1 then
  local actuals = {}
  for i = 1, n do actuals[i] = ARGV[4 + (i - 1) * 3 + 2] end
  close_lease(p, id, now, done_ttl, actuals, 'settled')
  return 0
end
if redis.call('EXISTS', p .. 'done:' .. id) == 1 then return 1 end
if redis.call('EXISTS', p .. 'ready') == 0 then return 3 end
local lines = {}
for i = 1, n do
  local at = 4 + (i - 1) * 3
  local spent_key = p .. 'spent:' .. ARGV[at + 1]
  redis.call('INCRBY', spent_key, ARGV[at + 2])
  redis.call('PEXPIRE', spent_key, ARGV[at + 3])
  lines[i] = { ARGV[at + 1], ARGV[at + 2], ARGV[at + 2], ARGV[at + 3] }
end
redis.call('SET', p .. 'done:' .. id, '1', 'PX', done_ttl)
redis.call('XADD', p .. 'ledger', '*', 'type', 'settle', 'id', id, 'at', now, 'how', 'orphan', 'lines', cjson.encode(lines))
return 2
`;

/**
 * Charges every lease past its expiry at its reserved amount (its replica died or lost
 * Redis mid-request). ARGV: prefix, doneTtlMs, max leases. Reply: how many were reaped.
 */
export const reapLua = `${common}
local p = ARGV[1]
if redis.call('EXISTS', p .. 'ready') == 0 then return 0 end
local now = now_ms()
local ids = redis.call('ZRANGEBYSCORE', p .. 'leases', '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  if redis.call('EXISTS', p .. 'lease:' .. id) == 1 then
    close_lease(p, id, now, ARGV[2], nil, 'reaped')
  else
    redis.call('ZREM', p .. 'leases', id)
  end
end
return #ids
`;

/**
 * Sliding-window add on Redis' clock. ARGV: prefix, key, limit, cost, windowMs, force, and
 * optionally a clock (tests). Reply: {allowed, current, previous, elapsed}.
 */
export const rateLua = `${common}
local p = ARGV[1]
local limit = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local window = tonumber(ARGV[5])
local now = tonumber(ARGV[7]) or now_ms()
local index = math.floor(now / window)
local elapsed = now - index * window
local current_key = p .. 'rate:' .. ARGV[2] .. ':' .. string.format('%d', index)
local current = num(redis.call('GET', current_key))
local previous = num(redis.call('GET', p .. 'rate:' .. ARGV[2] .. ':' .. string.format('%d', index - 1)))
local weight = 1 - elapsed / window
local needed = cost
if needed == 0 then needed = 1 end
local allowed = 0
if previous * weight + current + needed <= limit then allowed = 1 end
if (allowed == 1 or ARGV[6] == '1') and cost ~= 0 then
  -- A negative cost (forced) returns what a reservation did not use, never below zero.
  if redis.call('INCRBY', current_key, ARGV[4]) < 0 then redis.call('SET', current_key, '0') end
  redis.call('PEXPIRE', current_key, window * 2)
end
return { allowed, current, previous, elapsed }
`;

/**
 * A reservation the SQL ledger still holds open while Redis has neither its lease nor its
 * settled marker (its stream entries and lease died with a Redis restart, after the rebuild
 * had read the ledger): charged at the reserved amount, like any lease nobody settled.
 * ARGV: prefix, id, doneTtlMs, n, then per line (scope, reserved, ttlMs).
 * Reply: 0 still leased (the lease reaper owns it) | 1 already settled | 2 charged | 3 not ready.
 */
export const chargeLostLua = `${common}
local p = ARGV[1]
local id = ARGV[2]
if redis.call('EXISTS', p .. 'ready') == 0 then return 3 end
if redis.call('EXISTS', p .. 'lease:' .. id) == 1 then return 0 end
if redis.call('EXISTS', p .. 'done:' .. id) == 1 then return 1 end
local now = now_ms()
local lines = {}
for i = 1, tonumber(ARGV[4]) do
  local at = 4 + (i - 1) * 3
  local spent_key = p .. 'spent:' .. ARGV[at + 1]
  redis.call('INCRBY', spent_key, ARGV[at + 2])
  redis.call('PEXPIRE', spent_key, ARGV[at + 3])
  lines[i] = { ARGV[at + 1], ARGV[at + 2], ARGV[at + 2], ARGV[at + 3] }
end
redis.call('SET', p .. 'done:' .. id, '1', 'PX', ARGV[3])
redis.call('XADD', p .. 'ledger', '*', 'type', 'settle', 'id', id, 'at', now, 'how', 'reaped', 'lines', cjson.encode(lines))
return 2
`;
