// User suites: YAML and JSONL parse into items with templated prompts, errors name the field,
// and assertions (with `not`) grade responses; resolveSuite detects every shipped format.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ChatClient } from '../../core/chat-client.js';
import type { ChatResponse } from '../../core/chat-response.js';
import { datasetPaths } from './dataset-paths.js';
import { customSuite, parseCustomSuiteJsonl, parseCustomSuiteYaml } from './custom.js';
import { resolveSuite } from './resolve-suite.js';

const respond = (content: string): ChatResponse => ({ id: 'r', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content } }] });

const yamlSuite = `
name: greetings
defaults:
  system: You are terse.
  vars: { punctuation: "!" }
  assert:
    - type: regex
      value: "\\\\S"
tests:
  - id: hello
    prompt: "Say hello to {{name}}{{punctuation}}"
    vars: { name: Ada }
    assert:
      - { type: icontains, value: ada }
      - { type: contains, value: "goodbye", not: true }
      - { type: javascript, value: "output.length < 40" }
      - { type: javascript, value: "if (vars.name !== 'Ada') return false; return { pass: true, score: 0.9, reason: 'named' }" }
  - messages:
      - { role: user, content: "Reply with JSON for {{name}}" }
    vars: { name: Bob }
    assert:
      - type: json_schema
        value: { type: object, required: [name], properties: { name: { type: string } } }
      - { type: equals, value: { name: Bob } }
`;

describe('custom suites', () => {
  it('builds templated requests with suite defaults', () => {
    const suite = customSuite(parseCustomSuiteYaml(yamlSuite));
    assert.equal(suite.name, 'greetings');
    assert.equal(suite.items.length, 2);
    const [first, second] = suite.items;
    assert.equal(first?.id, 'hello');
    assert.deepEqual(first?.request.messages, [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Say hello to Ada!' }]);
    assert.equal(second?.id, 'greetings/2');
    assert.equal(second?.request.messages[1]?.content, 'Reply with JSON for Bob');
  });

  it('grades with every assertion, honouring not:', async () => {
    const suite = customSuite(parseCustomSuiteYaml(yamlSuite));
    const [first, second] = suite.items;
    if (!first || !second) throw new Error('items missing');
    const good = await suite.graderFor(first).grade({ item: first, response: respond('Hello, Ada!') });
    assert.equal(good.pass, true, good.reason);
    const bad = await suite.graderFor(first).grade({ item: first, response: respond('Hello Ada, goodbye!') });
    assert.equal(bad.pass, false);
    assert.match(bad.reason, /contains/);
    const json = await suite.graderFor(second).grade({ item: second, response: respond('```json\n{"name": "Bob"}\n```') });
    assert.equal(json.pass, true, json.reason);
    const wrongJson = await suite.graderFor(second).grade({ item: second, response: respond('{"name": 7}') });
    assert.equal(wrongJson.pass, false);
  });

  it('names the offending field in errors', () => {
    assert.throws(() => parseCustomSuiteYaml('tests:\n  - prompt: hi\n    assert:\n      - { type: contains, value: 3 }\n'), /'tests\[0\]\.assert\[0\]\.value'/);
    assert.throws(() => parseCustomSuiteYaml('tests:\n  - prompt: hi\n    assert:\n      - { type: sounds-good }\n'), /'tests\[0\]\.assert\[0\]\.type'/);
    assert.throws(() => parseCustomSuiteYaml('tests:\n  - vars: {}\n'), /'tests\[0\]\.prompt'.*exactly one of 'prompt' or 'messages'/);
    assert.throws(() => parseCustomSuiteYaml('tests:\n  - prompt: hi\n    temperature: 2\n'), /'tests\[0\]'.*temperature|temperature/);
    assert.throws(() => parseCustomSuiteJsonl('{"prompt": "a"}\n{"prompt": "b", "assert": [{"type": "regex"}]}\n', 'x.jsonl'), /x\.jsonl:2: field 'assert\[0\]\.value'/);
    assert.throws(() => customSuite(parseCustomSuiteYaml('tests:\n  - prompt: "hi {{who}}"\n')), /template variable 'who'/);
  });

  it('runs javascript without host globals and with a timeout', async () => {
    const suite = customSuite(parseCustomSuiteJsonl([
      JSON.stringify({ id: 'globals', prompt: 'x', assert: [{ type: 'javascript', value: "return typeof process === 'undefined' && typeof require === 'undefined'" }] }),
      JSON.stringify({ id: 'escape', prompt: 'x', assert: [{ type: 'javascript', value: "return this === undefined && output.constructor.constructor('return process')() === undefined" }] }),
      JSON.stringify({ id: 'loop', prompt: 'x', assert: [{ type: 'javascript', value: 'while (true) {}', timeoutMs: 50 }] }),
    ].join('\n')));
    const grade = (index: number) => suite.graderFor(suite.items[index] as never).grade({ item: suite.items[index] as never, response: respond('out') });
    assert.equal((await grade(0)).pass, true);
    assert.equal((await grade(1)).pass, false, 'string code generation is disabled, so the escape throws');
    const loop = await grade(2);
    assert.equal(loop.pass, false);
    assert.match(loop.reason, /timed out|errored|threw/);
  });

  it('asks the injected judge for llm-judge assertions', async () => {
    const seen: string[] = [];
    const chat: ChatClient = {
      async chat(request) {
        seen.push(request.model);
        const text = JSON.stringify(request.messages);
        return { response: respond(JSON.stringify({ pass: text.includes('polite'), score: 0.8, reason: 'checked' })), deployment: 'judge', costNano: 0, latencyMs: 1 };
      },
    };
    const suite = customSuite(parseCustomSuiteJsonl(JSON.stringify({ prompt: 'x', assert: [{ type: 'llm-judge', model: 'judge-1', rubric: 'Is it polite?' }] })), { services: { chat } });
    const item = suite.items[0];
    if (!item) throw new Error('no item');
    const grade = await suite.graderFor(item).grade({ item, response: respond('Thank you kindly') });
    assert.equal(grade.pass, true);
    assert.equal(grade.score, 0.8);
    assert.deepEqual(seen, ['judge-1']);
    const noJudge = await customSuite(parseCustomSuiteJsonl(JSON.stringify({ prompt: 'x', assert: [{ type: 'llm-judge', model: 'j', rubric: 'r' }] }))).graderFor(item).grade({ item, response: respond('x') });
    assert.equal(noJudge.pass, false);
  });
});

describe('resolveSuite', () => {
  it('resolves shipped names with limits and seeded samples', () => {
    assert.equal(resolveSuite('humaneval', { limit: 5 }).items.length, 5);
    assert.equal(resolveSuite('squad').items.length, 200);
    assert.ok(new Set(resolveSuite('squad').items.map((item) => (item.reference as { title: string }).title)).size >= 40, 'spread across articles');
    assert.equal(resolveSuite('structured').kind, 'structured');
    const a = resolveSuite('bfcl', { limit: 20, seed: 7 }).items.map((item) => item.id);
    const b = resolveSuite('bfcl', { limit: 20, seed: 7 }).items.map((item) => item.id);
    const c = resolveSuite('bfcl', { limit: 20, seed: 8 }).items.map((item) => item.id);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.equal(new Set(resolveSuite('bfcl').items.map((item) => item.category)).size, 5);
    const firstTen = resolveSuite('bfcl', { limit: 10 }).items.map((item) => item.category);
    assert.deepEqual([...new Set(firstTen)].sort(), ['irrelevance', 'multiple', 'parallel', 'parallel_multiple', 'simple'], 'a first-N subset takes from every category');
    assert.equal(firstTen.filter((category) => category === 'irrelevance').length, 2);
    const live = resolveSuite('bfcl:live_simple');
    assert.equal(live.name, 'bfcl:live_simple');
    assert.ok(live.items.every((item) => item.category === 'live_simple'));
    assert.throws(() => resolveSuite('bfcl:nope'), /Unknown BFCL category 'nope'/);
    assert.throws(() => resolveSuite('no-such-suite'), /Unknown suite 'no-such-suite'/);
  });

  it('detects file formats by content', () => {
    assert.equal(resolveSuite(datasetPaths.humaneval).kind, 'code');
    assert.equal(resolveSuite(join(datasetPaths.bfclDir, 'BFCL_v4_parallel.json')).items.length, 200);
    assert.equal(resolveSuite(join(datasetPaths.bfclDir, 'BFCL_v4_irrelevance.json')).kind, 'tools');
    assert.equal(resolveSuite(datasetPaths.bfclDir).kind, 'tools');
    assert.equal(resolveSuite(datasetPaths.squad).items.length, 10_570, 'a SQuAD file by path loads whole');
    assert.equal(resolveSuite(datasetPaths.structured).kind, 'structured');
    const dir = mkdtempSync(join(tmpdir(), 'arbiter-suite-'));
    writeFileSync(join(dir, 'mine.yaml'), yamlSuite);
    writeFileSync(join(dir, 'mine.jsonl'), '{"prompt": "hi", "assert": [{"type": "contains", "value": "hi"}]}\n');
    assert.equal(resolveSuite(join(dir, 'mine.yaml')).name, 'greetings');
    assert.equal(resolveSuite(join(dir, 'mine.jsonl')).items.length, 1);
  });
});
