import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nullPrototype, ownValue } from './own-property.js';

describe('lookups by a name a client chose', () => {
  test('no Object.prototype member is found in a plain record', () => {
    const record: Record<string, number> = { a: 1 };
    for (const name of Object.getOwnPropertyNames(Object.prototype)) assert.equal(ownValue(record, name), undefined, name);
    assert.equal(ownValue(record, 'a'), 1);
  });

  test('a null-prototype copy keeps an own __proto__ key as a key', () => {
    const parsed = JSON.parse('{"__proto__": 7, "b": 2}') as Record<string, number>;
    const copy = nullPrototype(parsed);
    assert.equal(Object.getPrototypeOf(copy), null);
    assert.deepEqual(Object.keys(copy), ['__proto__', 'b']);
    assert.equal(copy.__proto__, 7);
    assert.equal(copy.constructor, undefined);
  });
});
