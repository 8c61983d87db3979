import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Histogram, Registry } from 'prom-client';
import { BucketHistogram } from './bucket-histogram.js';

test('bucket histogram: renders what prom-client renders for the same observations, as text and as JSON', async () => {
  const ours = new Registry();
  const theirs = new Registry();
  const options = { name: 'demo_seconds', help: 'Demo latency', labelNames: ['route', 'deployment'] as const, buckets: [0.1, 0.5, 1, 4] };
  const bucketed = new BucketHistogram({ ...options, registers: [ours] });
  const reference = new Histogram({ ...options, labelNames: [...options.labelNames], registers: [theirs] });
  const observations: Array<[string, string, number]> = [['a', 'x', 0.05], ['a', 'x', 0.1], ['a', 'x', 0.7], ['a', 'x', 9], ['b', 'y "quoted"', 0.5], ['b', 'y "quoted"', 4], ['a', 'x', 0.1000001]];
  for (const [route, deployment, value] of observations) {
    bucketed.labels(route, deployment).observe(value);
    reference.labels(route, deployment).observe(value);
  }
  assert.equal(await ours.metrics(), await theirs.metrics());
  assert.deepEqual(await ours.getMetricsAsJSON(), await theirs.getMetricsAsJSON());
  assert.match(await ours.metrics(), /demo_seconds_bucket\{le="0.5",route="a",deployment="x"\} 3\n/);
});

test('bucket histogram: a non-finite value is dropped rather than thrown; reset zeroes every series', async () => {
  const registry = new Registry();
  const histogram = new BucketHistogram({ name: 'demo_seconds', help: 'Demo', labelNames: ['route'], buckets: [1], registers: [registry] });
  const series = histogram.labels('r');
  series.observe(Number.NaN);
  series.observe(Number.POSITIVE_INFINITY);
  series.observe(2);
  assert.match(await registry.metrics(), /demo_seconds_count\{route="r"\} 1\n/);
  assert.match(await registry.metrics(), /demo_seconds_bucket\{le="1",route="r"\} 0\n/);
  registry.resetMetrics();
  assert.match(await registry.metrics(), /demo_seconds_count\{route="r"\} 0\n/);
  assert.throws(() => histogram.labels('r', 'extra'), /expected 1 label values/);
});
