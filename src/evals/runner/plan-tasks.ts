/**
 * The run's task list, interleaved across models: every model sees item 1 before any model
 * sees item 2, so at any moment the models have been graded on nearly the same items and
 * fail-fast compares like with like. Order: repeat, then suite, then item, then model.
 */
import type { EvalItem, Suite } from '../types.js';

export interface EvalTask {
  /** Position in the interleaved order. */
  index: number;
  suite: Suite;
  item: EvalItem;
  model: string;
  repeat: number;
}

export interface PlanInput {
  suites: readonly Suite[];
  models: readonly string[];
  repeat: number;
  /** First N items of each suite (after the seeded shuffle, if any). */
  limit?: number;
  /** Shuffles each suite's items deterministically before the limit applies. */
  seed?: number;
}

export function selectItems(suite: Suite, limit?: number, seed?: number): EvalItem[] {
  const items = seed === undefined ? [...suite.items] : seededShuffle(suite.items, seed);
  return limit === undefined ? items : items.slice(0, limit);
}

export function planTasks(input: PlanInput): EvalTask[] {
  const tasks: EvalTask[] = [];
  const selected = input.suites.map((suite) => ({ suite, items: selectItems(suite, input.limit, input.seed) }));
  for (let repeat = 0; repeat < input.repeat; repeat += 1) {
    for (const { suite, items } of selected) {
      for (const item of items) {
        for (const model of input.models) tasks.push({ index: tasks.length, suite, item, model, repeat });
      }
    }
  }
  return tasks;
}

export function taskKey(task: { suite: { name: string } | string; item?: { id: string }; itemId?: string; model: string; repeat: number }): string {
  const suite = typeof task.suite === 'string' ? task.suite : task.suite.name;
  return `${suite}\u0000${task.item?.id ?? task.itemId ?? ''}\u0000${task.model}\u0000${task.repeat}`;
}

/** Fisher–Yates driven by mulberry32, so a seed names one order on every machine. */
function seededShuffle<T>(values: readonly T[], seed: number): T[] {
  const out = [...values];
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
