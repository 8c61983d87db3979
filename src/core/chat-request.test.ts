import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArbiterError } from './errors.js';
import { parseChatRequest } from './chat-request.js';

function rejection(body: unknown): { param: string | null; message: string } {
  try {
    parseChatRequest(body);
  } catch (error) {
    assert.ok(error instanceof ArbiterError);
    return { param: error.param, message: error.message };
  }
  assert.fail('the request was accepted');
}

const user = [{ role: 'user', content: 'hi' }];

test('a union that rejects every option names what the field takes, not "Invalid input"', () => {
  const content = rejection({ model: 'm', messages: [{ role: 'user', content: 5 }] });
  assert.equal(content.param, 'messages[0].content');
  assert.match(content.message, /expected string or array/);
  assert.match(rejection({ model: 'm', messages: user, stop: 5 }).message, /'stop': expected string or array/);
  assert.match(rejection({ model: 'm', messages: user, tool_choice: 'sometimes' }).message, /"none", "auto", "required" or object/);
});

test('an option of the right type that fails a check is the one reported', () => {
  const stop = rejection({ model: 'm', messages: user, stop: ['a', 'b', 'c', 'd', 'e'] });
  assert.equal(stop.param, 'stop');
  assert.match(stop.message, /<=4 items/);
});

test('the option the caller meant is followed down to the field that is wrong', () => {
  // An array of parts was meant; the image part lacks its URL object.
  const part = rejection({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url' }] }] });
  assert.equal(part.param, 'messages[0].content[0].image_url');
  assert.match(part.message, /expected object/);
});
