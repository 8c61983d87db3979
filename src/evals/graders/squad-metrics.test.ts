// SQuAD v1.1's EM and F1 on worked cases; expected values computed by hand from the official
// evaluate-v1.1.py rules (normalise, then token-overlap F1, max over golds).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exactMatch, normalizeAnswer, scoreSquad, tokenF1 } from './squad-metrics.js';
import { squadGrader } from './squad.js';
import type { EvalItem } from '../types.js';

describe('squad metrics', () => {
  it('normalises: lower case, no punctuation, no articles, single spaces', () => {
    assert.equal(normalizeAnswer('The  Denver Broncos!'), 'denver broncos');
    assert.equal(normalizeAnswer('An apple, a day'), 'apple day');
    // Articles only as whole words: "theory" and "Athens" keep their letters.
    assert.equal(normalizeAnswer('theory of Athens'), 'theory of athens');
    // Punctuation goes before articles are removed, so "the-end" → "theend" (one word, kept).
    assert.equal(normalizeAnswer('the-end'), 'theend');
    // Only ASCII punctuation is removed (string.punctuation); the en dash stays.
    assert.equal(normalizeAnswer('1990–1995'), '1990–1995');
    // A letter-adjacent "the" is inside a word for Python's Unicode \b: "éthe" stays.
    assert.equal(normalizeAnswer('éthe'), 'éthe');
  });

  it('scores exact match after normalisation', () => {
    assert.equal(exactMatch('the Broncos.', 'Broncos'), true);
    assert.equal(exactMatch('Denver Broncos', 'Broncos'), false);
  });

  it('computes token F1 as upstream', () => {
    // pred "denver broncos" vs gold "broncos": common 1; P = 1/2, R = 1/1; F1 = 2·0.5·1/1.5 = 2/3.
    assert.ok(Math.abs(tokenF1('Denver Broncos', 'Broncos') - 2 / 3) < 1e-12);
    // pred "in 1990 in paris" vs gold "paris in 1990": tokens {in×2, 1990, paris} vs {paris, in, 1990}:
    // common = min counts: in 1, 1990 1, paris 1 = 3; P = 3/4, R = 3/3; F1 = 2·0.75·1/1.75 = 6/7.
    assert.ok(Math.abs(tokenF1('in 1990 in Paris', 'Paris in 1990') - 6 / 7) < 1e-12);
    // No overlap → 0; two empty strings also give F1 0 (upstream returns 0 when num_same == 0).
    assert.equal(tokenF1('cats', 'dogs'), 0);
    assert.equal(tokenF1('', ''), 0);
    assert.equal(exactMatch('', 'the'), true);
  });

  it('takes the max over gold answers, EM and F1 independently', () => {
    // golds: "Santa Clara, California" (tokens santa clara california) and "Levi's Stadium" (levis stadium).
    // pred "Levi's Stadium in Santa Clara": vs gold 1 common {santa, clara} = 2, P = 2/5, R = 2/3, F1 = 0.5;
    // vs gold 2 common {levis, stadium} = 2, P = 2/5, R = 1, F1 = 4/7 ≈ 0.5714. Max = 4/7; EM false.
    const score = scoreSquad("Levi's Stadium in Santa Clara", ['Santa Clara, California', "Levi's Stadium"]);
    assert.equal(score.em, false);
    assert.ok(Math.abs(score.f1 - 4 / 7) < 1e-12);
    assert.deepEqual(scoreSquad('levis stadium', ['Santa Clara', "Levi's Stadium"]), { em: true, f1: 1 });
  });

  it('grades a response: pass iff EM, F1 as score', async () => {
    const item: EvalItem = { id: 'q', suite: 'squad', kind: 'qa', request: { messages: [{ role: 'user', content: 'q' }] }, reference: { answers: ['Denver Broncos', 'Broncos'] } };
    const respond = (content: string) => ({ id: 'r', object: 'chat.completion' as const, created: 0, model: 'm', choices: [{ index: 0, finish_reason: 'stop' as const, logprobs: null, message: { role: 'assistant' as const, content } }] });
    const exact = await squadGrader.grade({ item, response: respond('Answer: the Denver Broncos.') });
    assert.equal(exact.pass, true);
    assert.equal(exact.details?.em, 1);
    const partial = await squadGrader.grade({ item, response: respond('the Denver Broncos team') });
    assert.equal(partial.pass, false);
    // vs "denver broncos": common 2, P = 2/3, R = 1 → F1 = 0.8.
    assert.ok(Math.abs(partial.score - 0.8) < 1e-9);
  });
});
