import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBudget } from './budget.js';
import { createRateLimiter } from './rate-limiter.js';
import { canonicalJson, evalRequestHash } from './request-hash.js';
import { planTasks } from './plan-tasks.js';
import { fakeSuite } from './test-support.js';

test('reservations count against the limit until settled', () => {
  const budget = createBudget(100);
  const a = budget.tryReserve(60);
  assert.ok(a);
  assert.equal(budget.tryReserve(50), null, 'committed 60 + 50 > 100');
  assert.equal(budget.exhausted, true);
  assert.equal(budget.tryReserve(1), null, 'once exhausted, nothing new starts');
  budget.settle(a, 40);
  assert.equal(budget.spentNano, 40);
  assert.equal(budget.reservedNano, 0);
});

test('zero estimates are admitted while anything is left; no limit admits everything', () => {
  const budget = createBudget(10);
  const first = budget.tryReserve(0);
  assert.ok(first);
  budget.settle(first, 10);
  assert.equal(budget.tryReserve(0), null);
  const open = createBudget(undefined);
  assert.ok(open.tryReserve(1e12));
  const unpriced = createBudget(5);
  const r = unpriced.tryReserve(1);
  assert.ok(r);
  unpriced.settle(r, null);
  assert.equal(unpriced.spentNano, 0);
});

test('rate limiter spaces calls 60000/rpm apart per model', async () => {
  let clock = 0;
  const waits: number[] = [];
  const limiter = createRateLimiter((model) => (model === 'slow' ? 60 : undefined), {
    now: () => clock,
    sleep: async (ms) => { waits.push(ms); },
  });
  await limiter.acquire('slow');
  await limiter.acquire('slow');
  await limiter.acquire('slow');
  await limiter.acquire('fast');
  assert.deepEqual(waits, [1000, 2000]);
  clock = 10_000;
  await limiter.acquire('slow');
  assert.deepEqual(waits, [1000, 2000]);
});

test('request hashes ignore key order and undefined, and separate repeats and models', () => {
  assert.equal(canonicalJson({ b: 1, a: [1, { d: undefined, c: 2 }] }), '{"a":[1,{"c":2}],"b":1}');
  const one = evalRequestHash('m', { model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 0 }, 0);
  const same = evalRequestHash('m', { temperature: 0, messages: [{ content: 'x', role: 'user' }], model: 'm' }, 0);
  assert.equal(one, same);
  assert.notEqual(one, evalRequestHash('m', { model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 0 }, 1));
  assert.notEqual(one, evalRequestHash('n', { model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 0 }, 0));
});

test('plans interleave models within each item, repeats last; seeds pick a stable sample', () => {
  const suite = fakeSuite({ name: 's', items: 10 });
  const tasks = planTasks({ suites: [suite], models: ['a', 'b'], repeat: 2, limit: 2 });
  assert.deepEqual(tasks.map((t) => `${t.repeat}:${t.item.id}:${t.model}`), [
    '0:s/0:a', '0:s/0:b', '0:s/1:a', '0:s/1:b', '1:s/0:a', '1:s/0:b', '1:s/1:a', '1:s/1:b',
  ]);
  const seeded = planTasks({ suites: [suite], models: ['a'], repeat: 1, limit: 4, seed: 7 }).map((t) => t.item.id);
  assert.deepEqual(seeded, planTasks({ suites: [suite], models: ['a'], repeat: 1, limit: 4, seed: 7 }).map((t) => t.item.id));
  assert.notDeepEqual(seeded, ['s/0', 's/1', 's/2', 's/3']);
});
