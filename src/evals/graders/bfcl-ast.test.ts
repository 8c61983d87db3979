// BFCL's AST rules: every possible answer passes when sent as tool calls, perturbed calls fail
// with the right detail, and the checker's type/normalisation quirks match upstream.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bfclCategoryFiles, bfclItem, loadBfcl, loadBfclFile, type BfclCategory } from '../suites/bfcl.js';
import type { EvalItem } from '../types.js';
import { bfclAstGrader, checkerCategory, parseGroundTruth, type BfclReference } from './bfcl-ast.js';
import { answerCalls, isUnsatisfiable, toolResponse, type SentCall } from './bfcl-test-support.js';
import { checkSimpleCall, checkBfclCalls, standardizeString, type BfclFunctionDoc } from './bfcl-checker.js';
import { parsePyJson, toPyJson, type PyDict } from './python-json.js';

const grade = (item: EvalItem, calls: SentCall[], content: string | null = null) => bfclAstGrader.grade({ item, response: toolResponse(calls, content) });
const referenceOf = (item: EvalItem) => item.reference as BfclReference;

describe('bfcl-ast on the shipped data', () => {
  for (const category of Object.keys(bfclCategoryFiles) as BfclCategory[]) {
    it(`passes every possible answer in ${category}`, async () => {
      const suite = loadBfcl({ categories: [category] });
      assert.ok(suite.items.length > 0);
      const failures: string[] = [];
      let unsatisfiable = 0;
      for (const item of suite.items) {
        const result = await grade(item, answerCalls(referenceOf(item)));
        if (isUnsatisfiable(referenceOf(item))) {
          unsatisfiable += 1;
          continue;
        }
        if (!result.pass) failures.push(`${item.id}: ${result.reason}`);
      }
      assert.deepEqual(failures, []);
      // A handful of live items contradict their own docs (e.g. "" as the only answer for a required parameter).
      assert.ok(unsatisfiable <= 5, `${unsatisfiable} unsatisfiable items`);
    });
  }

  it('fails perturbed calls with the matching detail', async () => {
    const suite = loadBfcl({ categories: ['simple', 'multiple'] });
    let checked = 0;
    for (const item of suite.items.slice(0, 400)) {
      const reference = referenceOf(item);
      const [call] = answerCalls(reference);
      if (!call) continue;
      const args = parsePyJson(call.arguments) as PyDict;
      const doc = reference.functions.find((fn) => fn.name === reference.toolNames[call.name]) as BfclFunctionDoc;
      assert.equal((await grade(item, [call])).pass, true, item.id);

      const wrongName = await grade(item, [{ ...call, name: 'no_such_function' }]);
      assert.equal(wrongName.pass, false);
      assert.equal(wrongName.details?.wrong_function, true, item.id);

      const extra = await grade(item, [call, call]);
      assert.equal(extra.pass, false);

      const none = await grade(item, [], 'I would call the function.');
      assert.equal(none.pass, false);
      assert.equal(none.details?.error_type, 'no_call');

      const required = (doc.parameters.required ?? []).find((param) => args.has(param));
      if (required) {
        const missing = new Map(args);
        missing.delete(required);
        const result = await grade(item, [{ ...call, arguments: toJson(missing) }]);
        assert.equal(result.pass, false, `${item.id} without ${required}`);
        assert.equal(result.details?.wrong_args, true);
      }
      const [param, value] = [...args].find(([, v]) => typeof v === 'bigint') ?? [];
      if (param !== undefined && typeof value === 'bigint') {
        const asString = new Map(args).set(param, String(value));
        assert.equal((await grade(item, [{ ...call, arguments: toJson(asString) }])).details?.error_type, 'type_error:simple', `${item.id} ${param} as string`);
        const changed = new Map(args).set(param, value + 7919n);
        assert.equal((await grade(item, [{ ...call, arguments: toJson(changed) }])).pass, false, `${item.id} ${param} changed`);
      }
      const unknown = new Map(args).set('not_a_parameter_xyz', 1n);
      assert.equal((await grade(item, [{ ...call, arguments: toJson(unknown) }])).pass, false);
      checked += 1;
    }
    assert.ok(checked > 300);
  });

  it('matches parallel calls in any order, each used once', async () => {
    const item = loadBfcl({ categories: ['parallel'] }).items.find((candidate) => parseGroundTruth(referenceOf(candidate).groundTruth ?? '[]').length >= 3) as EvalItem;
    const calls = answerCalls(referenceOf(item));
    assert.equal((await grade(item, [...calls].reverse())).pass, true);
    assert.equal((await grade(item, [calls[0] as SentCall, calls[0] as SentCall, ...calls.slice(2)])).pass, false);
    assert.equal((await grade(item, calls.slice(1))).pass, false);
  });

  it('passes irrelevance only without a call', async () => {
    const item = loadBfcl({ categories: ['irrelevance'] }).items[0] as EvalItem;
    const none = await grade(item, [], 'None of the tools can answer that.');
    assert.equal(none.pass, true);
    assert.equal(none.details?.hallucinated_call, false);
    const [toolName] = Object.keys(referenceOf(item).toolNames);
    const called = await grade(item, [{ name: toolName as string, arguments: '{}' }]);
    assert.equal(called.pass, false);
    assert.equal(called.details?.hallucinated_call, true);
  });
});

const toJson = (args: PyDict): string => toPyJson(args);

describe('bfcl checker rules', () => {
  const doc: BfclFunctionDoc = {
    name: 'geo.area',
    parameters: {
      type: 'dict',
      properties: {
        radius: { type: 'float' }, count: { type: 'integer' }, unit: { type: 'string' }, exact: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' } }, sizes: { type: 'array', items: { type: 'float' } }, opts: { type: 'dict' },
      },
      required: ['radius'],
    },
  };
  const answer = {
    name: 'geo.area',
    params: parsePyJson('{"radius": [10.0], "count": [3, ""], "unit": ["square meters", ""], "exact": [true, ""], "tags": [["New York", "LA"], ""], "sizes": [[1.5, 2.0], ""], "opts": [{"mode": ["fast"], "depth": [2, ""]}, ""]}') as PyDict,
  };
  const check = (args: string) => checkSimpleCall(doc, { name: 'geo.area', args: parsePyJson(args) as PyDict }, answer);

  it('accepts an int where a float is declared, never a float for an integer', () => {
    assert.equal(check('{"radius": 10}').valid, true);
    assert.equal(check('{"radius": 10.0, "count": 3}').valid, true);
    const floatForInt = check('{"radius": 10.0, "count": 3.0}');
    assert.equal(floatForInt.valid, false);
    assert.equal(!floatForInt.valid && floatForInt.errorType, 'type_error:simple');
    assert.equal(check('{"radius": 10.0, "exact": 1}').valid, false, 'int is not bool');
    assert.equal(check('{"radius": "10"}').valid, false);
  });

  it('normalises strings as standardize_string does, at the top and one level down', () => {
    // "Square-Meters" → "squaremeters" both sides; quotes become double quotes.
    assert.equal(standardizeString("Square-Meters, it's"), 'squaremetersit"s');
    assert.equal(check('{"radius": 10.0, "unit": "Square_Meters"}').valid, true);
    assert.equal(check('{"radius": 10.0, "unit": "square feet"}').valid, false);
    assert.equal(check('{"radius": 10.0, "tags": ["new york", "L.A."]}').valid, true);
    assert.equal(check('{"radius": 10.0, "tags": ["LA", "New York"]}').valid, false, 'lists keep their order');
    assert.equal(check('{"radius": 10.0, "opts": {"mode": "FAST"}}').valid, true, 'dict values normalised, optional key omitted');
    assert.equal(check('{"radius": 10.0, "opts": {"mode": "fast", "extra": 1}}').valid, false);
    assert.equal(check('{"radius": 10.0, "opts": {"depth": 2}}').valid, false, 'required dict key missing');
  });

  it('checks list items one level deep without converting ints to floats', () => {
    assert.equal(check('{"radius": 10.0, "sizes": [1.5, 2.0]}').valid, true);
    // Nested items are not converted: 2 is an int where floats are expected, and the first
    // alternative's items are floats, so the type check fails, but the optional "" alternative
    // makes the nested check pass and the value comparison then decides (2 == 2.0 in Python).
    assert.equal(check('{"radius": 10.0, "sizes": [1.5, 2]}').valid, true);
    assert.equal(check('{"radius": 10.0, "sizes": [1.5, 3.0]}').valid, false);
  });

  it('requires required parameters, refuses unknown ones, allows omitting "" ones', () => {
    assert.equal(check('{}').valid, false);
    assert.equal(check('{"radius": 10.0, "colour": "red"}').valid, false);
    const strictAnswer = { name: 'geo.area', params: parsePyJson('{"radius": [10.0], "unit": ["m"]}') as PyDict };
    const omitted = checkSimpleCall(doc, { name: 'geo.area', args: parsePyJson('{"radius": 10.0}') as PyDict }, strictAnswer);
    assert.equal(!omitted.valid && omitted.errorType, 'simple_function_checker:missing_optional');
  });

  it('dispatches by category like ast_checker', () => {
    const call = { name: 'geo.area', args: parsePyJson('{"radius": 10.0}') as PyDict };
    const one = { name: 'geo.area', params: parsePyJson('{"radius": [10.0]}') as PyDict };
    assert.equal(checkBfclCalls('simple', [doc], [call], [one]).valid, true);
    assert.equal(checkBfclCalls('simple', [doc], [call, call], [one]).valid, false);
    assert.equal(checkBfclCalls('live_multiple', [doc], [call], [one]).valid, true);
    assert.equal(checkBfclCalls('parallel_multiple', [doc], [call, call], [one, one]).valid, true);
  });
});

describe('bfcl categories beyond the shipped files', () => {
  const question = { id: 'q1', question: [[{ role: 'user' as const, content: 'Weather in Paris and Rome?' }]], function: [{ name: 'weather.get', parameters: { type: 'dict', properties: { city: { type: 'string' } }, required: ['city'] } }] };

  it('grades relevance as BFCL does: any decodable call passes, none fails', async () => {
    const item = bfclItem(question, 'live_relevance', null, 'bfcl:live_relevance');
    assert.equal((await grade(item, [{ name: 'weather_get', arguments: '{"city": "anywhere"}' }])).pass, true);
    assert.equal((await grade(item, [], 'It is sunny.')).pass, false);
    assert.equal((await grade(item, [{ name: 'weather_get', arguments: '{"city": ' }])).pass, false, 'undecodable arguments are no call');
  });

  it('picks the checker from the data when the file name is not a BFCL category', async () => {
    const two = parseGroundTruth('[{"weather.get": {"city": ["Paris"]}}, {"weather.get": {"city": ["Rome"]}}]');
    assert.equal(checkerCategory('my_tools', question.function, two), 'parallel');
    assert.equal(checkerCategory('my_tools', [...question.function, { name: 'x' }], two.slice(0, 1)), 'multiple');
    assert.equal(checkerCategory('parallel', question.function, two.slice(0, 1)), 'parallel');
    const item = bfclItem(question, 'my_tools', toPyJson(parsePyJson('[{"weather.get": {"city": ["Paris"]}}, {"weather.get": {"city": ["Rome"]}}]')), 'bfcl:my_tools');
    const calls = [{ name: 'weather_get', arguments: '{"city": "Rome"}' }, { name: 'weather_get', arguments: '{"city": "Paris"}' }];
    assert.equal((await grade(item, calls)).pass, true, 'two expected calls are matched order-free');
  });

  it('refuses Java, JavaScript and execution-graded categories instead of misgrading them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arbiter-bfcl-'));
    try {
      for (const stem of ['simple_java', 'simple_javascript', 'multi_turn_base']) {
        const path = join(dir, `BFCL_v4_${stem}.json`);
        writeFileSync(path, `${JSON.stringify(question)}\n`);
        assert.throws(() => loadBfclFile(path), new RegExp(`BFCL ${stem} is not supported`));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
