import { test } from 'node:test';
import assert from 'node:assert/strict';
import { luhnValid, redact } from './redact.js';

test('redaction: positives', () => {
  assert.equal(redact('mail me at jane.doe+x@example.co.uk now'), 'mail me at [redacted:email] now');
  assert.equal(redact('card 4111 1111 1111 1111 ok'), 'card [redacted:card] ok');
  assert.equal(redact('card 4242-4242-4242-4242'), 'card [redacted:card]');
  assert.equal(redact('call +1 415-555-0123'), 'call [redacted:phone]');
  assert.equal(redact('call (415) 555-0123'), 'call [redacted:phone]');
  assert.equal(redact('key sk-proj-abcdefghijklmnop1234'), 'key [redacted:key]');
  assert.equal(redact('arb_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'), '[redacted:key]');
  assert.equal(redact('AIzaSyA1234567890abcdefghijklmnopqrstu'), '[redacted:key]');
});

test('redaction: negatives', () => {
  assert.equal(luhnValid('4111111111111112'), false);
  for (const text of ['order 4111 1111 1111 1112', 'on 2025-01-31 at 10:30', 'version 1.2.3', 'total 12345 units', 'the sk- prefix', 'user@localhost']) {
    assert.equal(redact(text), text);
  }
});
