import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ownValue } from '../core/own-property.js';
import { parseConfig } from './load.js';

describe('config maps are read by names clients send', () => {
  test('config routes are null-prototype, and a route may be called constructor', () => {
    const config = parseConfig({ routes: { constructor: {} } }, {});
    assert.equal(Object.getPrototypeOf(config.routes), null);
    assert.ok(ownValue(config.routes, 'constructor'));
    assert.equal(ownValue(config.routes, 'toString'), undefined);
  });

  test('a __proto__ key in the config file is refused by name, not taken as a prototype', () => {
    const raw = JSON.parse('{"server": {"__proto__": {"port": 1}}}') as unknown;
    assert.throws(() => parseConfig(raw, {}), /__proto__/);
  });

  test('${constructor} in the config is an unset variable, not Object', () => {
    const config = parseConfig({ server: { host: '${constructor:-127.0.0.1}' } }, {});
    assert.equal(config.server.host, '127.0.0.1');
  });
});
