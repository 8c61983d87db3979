// Structured grading: every shipped task's expected output validates against its own schema and
// passes; broken variants fail; the validator covers the keywords the suite relies on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadStructured } from '../suites/structured.js';
import { gradeStructured, type StructuredReference } from './structured.js';
import { validateJsonSchema } from './json-schema-validator.js';

const suite = loadStructured();
const referenceOf = (index: number) => suite.items[index]?.reference as StructuredReference;

describe('structured suite and grader', () => {
  it('ships at least 30 tasks with strict json_schema requests', () => {
    assert.ok(suite.items.length >= 30);
    for (const item of suite.items) {
      const format = item.request.response_format;
      assert.equal(format?.type, 'json_schema');
      assert.equal(format?.type === 'json_schema' && format.json_schema.strict, true);
      const content = item.request.messages[0]?.content as string;
      const { expected } = item.reference as StructuredReference;
      assert.ok(content.includes('\nText:\n'), item.id);
      assert.ok(expected !== undefined);
    }
  });

  it('passes every expected answer against its own schema, also inside a fence', () => {
    for (const item of suite.items) {
      const reference = item.reference as StructuredReference;
      assert.deepEqual(validateJsonSchema(reference.expected, reference.schema), [], item.id);
      assert.equal(gradeStructured(JSON.stringify(reference.expected), reference).pass, true, item.id);
    }
    const reference = referenceOf(0);
    assert.equal(gradeStructured(`Sure:\n\`\`\`json\n${JSON.stringify(reference.expected, null, 2)}\n\`\`\``, reference).pass, true);
  });

  it('tolerates case, spacing and number spelling, not different values', () => {
    const reference = suite.items.find((item) => item.id === 'invoice-basic')?.reference as StructuredReference;
    const expected = reference.expected as Record<string, unknown>;
    assert.equal(gradeStructured(JSON.stringify({ ...expected, vendor: '  BRIGHTLINE   supplies ltd. ' , total: 1339.2000000001 }), reference).pass, true);
    const wrong = gradeStructured(JSON.stringify({ ...expected, total: 1339.3 }), reference);
    assert.equal(wrong.pass, false);
    assert.ok(wrong.score > 0.8 && wrong.score < 1, 'partial credit per field');
  });

  it('fails broken variants: not JSON, schema violations, wrong fields', () => {
    for (const item of suite.items) {
      const reference = item.reference as StructuredReference;
      const expected = reference.expected as Record<string, unknown>;
      const [firstKey] = Object.keys(expected);
      assert.equal(gradeStructured('I could not find that.', reference).pass, false);
      assert.equal(gradeStructured(JSON.stringify({ ...expected, unexpected_field: 1 }), reference).pass, false, `${item.id} extra field`);
      const missing = { ...expected };
      delete missing[firstKey as string];
      assert.equal(gradeStructured(JSON.stringify(missing), reference).pass, false, `${item.id} missing field`);
      assert.equal(gradeStructured(JSON.stringify({ ...expected, [firstKey as string]: { wrong: true } }), reference).pass, false, `${item.id} wrong type`);
    }
  });

  it('validates the keywords the suite uses', () => {
    const schema = {
      type: 'object', additionalProperties: false, required: ['when', 'mail', 'n', 'tags', 'kind', 'maybe', 'pay'],
      properties: {
        when: { type: 'string', format: 'date' }, mail: { type: 'string', format: 'email' },
        n: { type: 'integer', minimum: 1, maximum: 5 }, tags: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$' }, minItems: 1, maxItems: 2 },
        kind: { enum: ['a', 'b'] }, maybe: { type: ['number', 'null'] }, legacy: { type: 'string', nullable: true },
        pay: { oneOf: [{ type: 'object', properties: { card: { const: true } }, required: ['card'] }, { type: 'object', properties: { iban: { type: 'string' } }, required: ['iban'] }] },
      },
    };
    const good = { when: '2024-02-29', mail: 'a@b.co', n: 3, tags: ['x'], kind: 'a', maybe: null, legacy: null, pay: { card: true } };
    assert.deepEqual(validateJsonSchema(good, schema), []);
    const bad = (patch: Record<string, unknown>) => validateJsonSchema({ ...good, ...patch }, schema).length > 0;
    assert.ok(bad({ when: '2023-02-29' }), 'not a leap year');
    assert.ok(bad({ mail: 'nope' }));
    assert.ok(bad({ n: 2.5 }));
    assert.ok(bad({ n: 9 }));
    assert.ok(bad({ tags: [] }));
    assert.ok(bad({ tags: ['a', 'b', 'c'] }));
    assert.ok(bad({ tags: ['UPPER'] }));
    assert.ok(bad({ kind: 'c' }));
    assert.ok(bad({ maybe: 'x' }));
    assert.ok(bad({ pay: { card: true, iban: 'x' } }), 'matches both oneOf branches');
    assert.ok(bad({ extra: 1 }));
  });
});
