import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { TokenizerId } from '../core/family-tokenizers.js';
import type { ChatObservation } from './endpoint.js';
import { runPassivePass } from './passive-pass.js';
import { BEHAVIOUR_CAP, runBehaviourPass } from './behaviour-pass.js';
import { compareOutputs } from './reference-pass.js';
import { fitTokenizers } from './tokenizer-pass.js';
import { CONFIDENT_PROBABILITY, decideVerdict } from './verdict.js';
import { compareFingerprints } from './fingerprint.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));
}

function observation(body: unknown, status = 200): ChatObservation {
  return { status, body, texts: [], headers: {} };
}

describe('passive pass', () => {
  it("recognises OpenAI's wire (id, fingerprint, usage details) and corroborates a tiktoken fit only there", () => {
    const openai = runPassivePass({ requestedModel: 'gpt-4o', sample: observation(fixture('openai-chat.json')), errorProbe: observation(fixture('openai-error-invalid-type.json'), 400) });
    assert.equal(openai.stack, 'openai');
    assert.equal(openai.openAiWire, true);
    assert.match(openai.evidence.find((row) => row.signal === 'error format')?.value ?? '', /^400 \{error:\{code,message,param,type\}\}/);
    const vllm = runPassivePass({ requestedModel: 'gpt-4o', sample: observation(fixture('vllm-chat.json')), errorProbe: observation(fixture('vllm-error.json'), 400) });
    assert.equal(vllm.stack, 'vllm-style');
    assert.equal(vllm.openAiWire, false);
    assert.equal(vllm.echoedModel, 'Qwen/Qwen3-8B');
    assert.match(vllm.evidence.find((row) => row.signal === 'echoed model')?.note ?? '', /differs from the requested/);
    assert.match(vllm.evidence.find((row) => row.signal === 'error format')?.value ?? '', /vLLM-style/);
  });

  it("reads DeepSeek's cache fields as a mild hint, never more than 2x", () => {
    const deepseek = runPassivePass({ requestedModel: 'deepseek-chat', sample: observation(fixture('deepseek-chat.json')) });
    assert.equal(deepseek.stack, 'deepseek');
    assert.equal(deepseek.hints['deepseek-v3'], 2);
    assert.equal(deepseek.openAiWire, false);
  });
});

describe('behavioural pass', () => {
  it('turns self-identification, cutoff and refusal phrasing into hints capped at BEHAVIOUR_CAP', () => {
    const result = runBehaviourPass({ self: 'I am Qwen, trained by Alibaba Cloud.', cutoff: 'October 2024', refusal: "I can't assist with that." });
    assert.ok((result.hints.qwen ?? 1) > 1);
    assert.ok(Object.values(result.hints).every((factor) => factor <= BEHAVIOUR_CAP));
    assert.equal(result.hints.llama2, undefined, 'a 2024 cutoff and no Llama name give Llama 2 nothing');
  });

  it('alone never makes a confident verdict, even when every answer points one way', () => {
    const behaviour = runBehaviourPass({ self: 'I am Llama, made by Meta.', cutoff: 'December 2023', refusal: "I can't help with that." });
    const verdict = decideVerdict({ behaviour, candidates: ['o200k', 'cl100k', 'qwen', 'llama3', 'deepseek-v3'] });
    assert.equal(verdict.confident, false);
    assert.equal(verdict.family, 'unknown');
    assert.ok(verdict.probability < CONFIDENT_PROBABILITY);
  });
});

// Synthetic counts for three made-up tokenizers over six probes.
const predicted = new Map<TokenizerId, number[]>([
  ['qwen', [40, 10, 55, 70, 25, 85]],
  ['llama3', [44, 10, 60, 77, 27, 93]],
  ['cl100k', [48, 12, 66, 85, 30, 101]],
]);

describe('tokenizer pass and verdict', () => {
  it('finds the tokenizer under an unknown offset and ±1 jitter, confidently', () => {
    const observed = [40 + 31, 10 + 30, 55 + 32, 70 + 31, 25 + 30, 85 + 32];
    const result = fitTokenizers({ observed, predicted });
    assert.equal(result.match?.tokenizer, 'qwen');
    assert.ok(Math.abs((result.match?.offset ?? 0) - 31) <= 1);
    const verdict = decideVerdict({ tokenizer: result, candidates: [...predicted.keys()] });
    assert.equal(verdict.family, 'qwen');
    assert.ok(verdict.probability >= CONFIDENT_PROBABILITY);
  });

  it('abstains when no candidate fits: the nearest one is not named', () => {
    // Counts halfway between qwen and llama3: a tokenizer not among the candidates.
    const observed = [42, 10, 58, 74, 26, 89].map((count) => count + 20);
    const result = fitTokenizers({ observed, predicted });
    assert.equal(result.match, undefined);
    const verdict = decideVerdict({ tokenizer: result, candidates: [...predicted.keys()] });
    assert.equal(verdict.family, 'unknown');
    assert.equal(verdict.ranked[0]?.id, 'other');
  });

  it('accepts ±1 jitter even where the likeliest offset sits at one end of its range', () => {
    // Residuals 0 0 2 0 2 0 around offset 30 are -1 -1 1 -1 1 -1 around 31: plain ±1 jitter.
    const observed = [40 + 30, 10 + 30, 55 + 32, 70 + 30, 25 + 32, 85 + 30];
    assert.equal(fitTokenizers({ observed, predicted }).match?.tokenizer, 'qwen');
  });

  it('tolerates one outlier request but not two', () => {
    const one = fitTokenizers({ observed: [40, 10, 55, 70 + 9, 25, 85], predicted });
    assert.equal(one.match?.tokenizer, 'qwen');
    const two = fitTokenizers({ observed: [40, 10 + 7, 55, 70 + 9, 25, 85], predicted });
    assert.equal(two.match, undefined);
  });

  it('needs usage on at least four probes', () => {
    const result = fitTokenizers({ observed: [40, undefined, undefined, 70, undefined, 85], predicted });
    assert.equal(result.usable, 3);
    assert.equal(result.match, undefined);
  });

  it('a cl100k fit without OpenAI wire may be a recounting proxy: unknown; with it, confident', () => {
    const observed = [48, 12, 66, 85, 30, 101].map((count) => count + 7);
    const tokenizer = fitTokenizers({ observed, predicted });
    assert.equal(tokenizer.match?.tokenizer, 'cl100k');
    const vllm = runPassivePass({ requestedModel: 'gpt-4', sample: observation(fixture('vllm-chat.json')) });
    const hidden = decideVerdict({ tokenizer, passive: vllm, candidates: [...predicted.keys()] });
    assert.equal(hidden.family, 'unknown');
    assert.ok(hidden.ranked.some((row) => row.id === 'proxy-recount' && row.probability > 0.3));
    const openai = runPassivePass({ requestedModel: 'gpt-4', sample: observation(fixture('openai-chat.json')) });
    assert.equal(decideVerdict({ tokenizer, passive: openai, candidates: [...predicted.keys()] }).family, 'cl100k');
  });

  it('groups tokenizers the probes cannot tell apart into one family set', () => {
    const shared = new Map(predicted);
    shared.set('o200k', [41, 11, 56, 71, 26, 86]); // qwen + 1 everywhere: same differences
    const result = fitTokenizers({ observed: [50, 20, 65, 80, 35, 95], predicted: shared });
    assert.deepEqual(new Set(result.indistinguishable), new Set(['qwen', 'o200k']));
    const verdict = decideVerdict({ tokenizer: result, candidates: [...shared.keys()] });
    assert.deepEqual(new Set(verdict.ranked[0]?.set), new Set(['qwen', 'o200k']));
  });
});

describe('fingerprints', () => {
  it('flag a changed tokenizer or a confident family turned into another, not a lost usage field', () => {
    assert.equal(compareFingerprints('tokenizer=qwen;family=qwen;stack=vllm-style', 'tokenizer=qwen;family=qwen;stack=vllm-style').changed, false);
    assert.deepEqual(compareFingerprints('tokenizer=o200k;family=o200k;stack=openai', 'tokenizer=qwen;family=qwen;stack=vllm-style'), { changed: true, reason: 'tokenizer o200k -> qwen' });
    assert.equal(compareFingerprints('tokenizer=qwen;family=qwen;stack=x', 'tokenizer=no-usage;family=unknown;stack=x').changed, false);
    assert.equal(compareFingerprints('tokenizer=qwen;family=qwen;stack=x', 'tokenizer=no-fit;family=unknown;stack=x').changed, true);
  });
});

describe('reference pass', () => {
  const sea = ['The sea is vast and blue under the sky.', 'The sea shines blue and wide in the sun.', 'A vast blue sea rolls under the open sky.', 'The blue sea stretches wide beneath the sky.', 'The wide sea glows blue under a clear sky.', 'Blue and vast, the sea meets the sky.'];
  const terse = ['OK.', 'Sure: water.', 'Water, salty.', 'Big water.', 'Salt water.', 'Waves.'];
  it('finds no difference between samples of one distribution', () => {
    const result = compareOutputs(sea.slice(0, 3), sea.slice(3));
    assert.equal(result.differs, false);
    assert.ok(result.pValue > 0.05);
  });
  it('finds a difference between two distributions', () => {
    const result = compareOutputs(sea, terse);
    assert.equal(result.differs, true);
    assert.ok(result.pValue < 0.05, `p = ${result.pValue}`);
  });
});
