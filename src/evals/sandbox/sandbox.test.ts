// The sandbox against real programs: every HumanEval canonical solution passes through the warm
// pool, broken variants fail, and escape attempts fail without harming the host or the pool.
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { buildHumanEvalProgram } from '../graders/humaneval-program.js';
import { loadHumanEval, type HumanEvalReference } from '../suites/humaneval.js';
import { createSandbox } from './create-sandbox.js';
import { findBwrap, missingBwrapMessage } from './find-bwrap.js';
import type { Sandbox } from './sandbox.js';

const skip = findBwrap() === null ? `skipped: ${missingBwrapMessage}` : false;
const isRoot = process.getuid?.() === 0;

/** Runs a probe that prints one JSON object as its last stdout line. */
async function probe(sandbox: Sandbox, program: string): Promise<Record<string, unknown>> {
  const result = await sandbox.run(program, { wallMs: 5000 });
  assert.equal(result.ok, true, `probe failed: ${result.stderr || result.error}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
}

async function assertStillWorks(sandbox: Sandbox): Promise<void> {
  const results = await Promise.all([1, 2, 3, 4].map((n) => sandbox.run(`print(${n} * 7)`)));
  assert.deepEqual(results.map((r) => [r.ok, r.stdout.trim()]), [[true, '7'], [true, '14'], [true, '21'], [true, '28']]);
}

describe('sandbox (bubblewrap, warm pool)', { skip }, () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await createSandbox({ workers: 2 });
  });
  after(async () => {
    await sandbox?.close();
  });

  it('is isolated, warm and uses the requested workers', () => {
    assert.equal(sandbox.isolated, true);
    assert.equal(sandbox.mode, 'warm');
    assert.equal(sandbox.workers, 2);
  });

  it('passes every HumanEval canonical solution, as a body and as a full function', async () => {
    const suite = loadHumanEval();
    assert.ok(suite.items.length >= 100);
    const failures: string[] = [];
    await Promise.all(suite.items.map(async (item) => {
      const reference = item.reference as HumanEvalReference;
      const body = buildHumanEvalProgram(reference, reference.canonicalSolution ?? '');
      assert.equal(body.shape, 'body');
      const result = await sandbox.run(body.program);
      if (!result.ok || !result.completed) failures.push(`${item.id}: ${result.stderr.slice(-300) || result.error}`);
    }));
    assert.deepEqual(failures, []);
    // The same solutions written the way chat models answer: the whole function in a fence.
    await Promise.all(suite.items.slice(0, 40).map(async (item) => {
      const reference = item.reference as HumanEvalReference;
      const answer = `Here you go:\n\n\`\`\`python\n${reference.prompt}${reference.canonicalSolution ?? ''}\n\`\`\`\n`;
      const full = buildHumanEvalProgram(reference, answer);
      assert.equal(full.shape, 'function', item.id);
      const result = await sandbox.run(full.program);
      assert.ok(result.ok && result.completed, `${item.id}: ${result.stderr.slice(-300)}`);
    }));
  });

  it('fails broken variants: wrong answer, syntax error, exception, early exits', async () => {
    const reference = loadHumanEval().items[0]?.reference as HumanEvalReference;
    const variants = {
      wrong: '    return False\n',
      syntax: '    return (\n',
      raises: '    raise ValueError("nope")\n',
      sysExit: '    import sys\n    sys.exit(0)\n',
      osExit: '    import os\n    os._exit(0)\n',
      empty: '    pass\n',
    };
    for (const [name, body] of Object.entries(variants)) {
      const result = await sandbox.run(buildHumanEvalProgram(reference, body).program);
      assert.equal(result.ok && result.completed, false, `${name} should fail`);
    }
  });

  it('has no network: neither loopback nor the outside', async () => {
    let server: Server | undefined;
    const port = await new Promise<number>((resolve) => {
      server = createServer((socket) => socket.end('hello')).listen(0, '127.0.0.1', () => resolve((server?.address() as { port: number }).port));
    });
    try {
      const out = await probe(sandbox, `
import json, socket
def attempt(host, port):
    try:
        socket.create_connection((host, port), timeout=1).close()
        return "connected"
    except OSError as e:
        return type(e).__name__
def resolve():
    try:
        socket.getaddrinfo("example.com", 80)
        return "resolved"
    except OSError as e:
        return type(e).__name__
print(json.dumps({"loopback": attempt("127.0.0.1", ${port}), "outside": attempt("1.1.1.1", 80), "dns": resolve()}))
`);
      assert.notEqual(out.loopback, 'connected');
      assert.notEqual(out.outside, 'connected');
      assert.notEqual(out.dns, 'resolved');
    } finally {
      server?.close();
    }
  });

  it('cannot read secrets or write outside its directory', async () => {
    const marker = `/tmp/arbiter-escape-${process.pid}-${Date.now()}`;
    const repoMarker = `${process.cwd()}/arbiter-escape-${process.pid}`;
    try {
      const out = await probe(sandbox, `
import json, os
def read(path):
    try:
        with open(path) as handle:
            handle.read(10)
        return "read"
    except OSError as e:
        return type(e).__name__
def write(path):
    try:
        with open(path, "w") as handle:
            handle.write("escaped")
        return "wrote"
    except OSError as e:
        return type(e).__name__
print(json.dumps({
    "shadow": read("/etc/shadow"), "passwd": read("/etc/passwd"), "home": read("/root/.bashrc"),
    "repo": read(${JSON.stringify(`${process.cwd()}/package.json`)}),
    "usr": write("/usr/arbiter-escape"), "repoWrite": write(${JSON.stringify(repoMarker)}),
    "tmpWrite": write(${JSON.stringify(marker)}), "cwdWrite": write("own-file.txt"),
}))
`);
      assert.notEqual(out.shadow, 'read');
      assert.notEqual(out.passwd, 'read');
      assert.notEqual(out.home, 'read');
      assert.notEqual(out.repo, 'read');
      assert.notEqual(out.usr, 'wrote');
      assert.notEqual(out.repoWrite, 'wrote');
      assert.equal(out.cwdWrite, 'wrote', 'its own directory is writable');
      // Writing /tmp inside lands in the private tmpfs, never on the host.
      assert.equal(existsSync(marker), false);
      assert.equal(existsSync(repoMarker), false);
    } finally {
      rmSync(marker, { force: true });
      rmSync(repoMarker, { force: true });
    }
  });

  it('runs tasks without capabilities, under their own uid when we are root', async () => {
    const out = await probe(sandbox, `
import json, os
caps = [l.split()[1] for l in open("/proc/self/status") if l.startswith("CapEff")][0]
print(json.dumps({"uid": os.getuid(), "caps": caps}))
`);
    assert.equal(out.caps, '0000000000000000');
    if (isRoot) assert.notEqual(out.uid, 0);
  });

  it('survives a fork bomb, a memory bomb, an infinite loop and a flood of output', async () => {
    const forkBomb = await sandbox.run('import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n', { wallMs: 1500 });
    assert.equal(forkBomb.ok, false);
    const memoryBomb = await sandbox.run('chunks = []\nwhile True:\n    chunks.append(bytearray(50 * 1024 * 1024))\n', { memoryBytes: 256 * 1024 * 1024 });
    assert.equal(memoryBomb.ok, false);
    assert.match(memoryBomb.stderr, /MemoryError/);
    const loop = await sandbox.run('while True:\n    pass\n', { wallMs: 800 });
    assert.equal(loop.timedOut, true);
    assert.equal(loop.ok, false);
    const flood = await sandbox.run('import sys\nwhile True:\n    sys.stdout.write("x" * 65536)\n', { maxOutputBytes: 100_000 });
    assert.equal(flood.outputTruncated, true);
    assert.equal(flood.ok, false);
    assert.ok(flood.stdout.length <= 100_000);
    await assertStillWorks(sandbox);
  });

  it('caps what a task can write to its directory (tmpfs is host memory)', async () => {
    const result = await sandbox.run(`
import errno
written = 0
try:
    for n in range(40):
        with open(f"fill-{n}", "wb") as handle:
            handle.write(b"x" * (8 * 1024 * 1024))
        written += 8
except OSError as e:
    print("stopped", errno.errorcode.get(e.errno), written)
`, { wallMs: 10_000, cpuSeconds: 10 });
    const [word, code, megabytes] = result.stdout.trim().split(' ');
    assert.equal(word, 'stopped', `320 MB went into the task directory: ${result.stdout}${result.stderr}`);
    assert.equal(code, 'ENOSPC');
    assert.ok(Number(megabytes) <= 128);
    await assertStillWorks(sandbox);
  });

  it('keeps working when a task attacks its server', async () => {
    const result = await sandbox.run('import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n');
    assert.equal(typeof result.ok, 'boolean');
    await assertStillWorks(sandbox);
  });

  it('passes stdin through and reports exit codes and signals', async () => {
    const echo = await sandbox.run('import sys\nprint(sys.stdin.read().upper())', { stdin: 'shout' });
    assert.equal(echo.stdout.trim(), 'SHOUT');
    const exit3 = await sandbox.run('import sys\nsys.exit(3)');
    assert.equal(exit3.exitCode, 3);
    assert.equal(exit3.completed, false);
    const killed = await sandbox.run('import os, signal\nos.kill(os.getpid(), signal.SIGTERM)');
    assert.equal(killed.signal, 'SIGTERM');
  });
});

describe('sandbox leftovers (one worker)', { skip }, () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await createSandbox({ workers: 1 });
  });
  after(async () => {
    await sandbox?.close();
  });

  it('leaves neither files nor detached processes for the next task', async () => {
    const first = await sandbox.run(`
import subprocess
subprocess.Popen(["sleep", "30"], start_new_session=True)
open("/tmp/leftover", "w").write("x")
print("spawned")
`);
    assert.equal(first.stdout.trim(), 'spawned');
    const out = await probe(sandbox, `
import json, os
sleepers = 0
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        if b"sleep" in open("/proc/%s/cmdline" % pid, "rb").read():
            sleepers += 1
    except OSError:
        pass
print(json.dumps({"leftover": os.path.exists("/tmp/leftover"), "sleepers": sleepers, "tmp": os.listdir("/tmp")}))
`);
    assert.equal(out.leftover, false);
    assert.equal(out.sleepers, 0);
    assert.equal((out.tmp as string[]).length, 1, 'only the running task has a directory');
  });
});

describe('sandbox per-task mode', { skip }, () => {
  it('runs each task in a fresh bwrap with the same results', async () => {
    const sandbox = await createSandbox({ mode: 'per-task', workers: 2 });
    try {
      assert.equal(sandbox.mode, 'per-task');
      const [good, bad] = await Promise.all([sandbox.run('print("hi")'), sandbox.run('raise SystemExit(4)')]);
      assert.equal(good.ok, true);
      assert.equal(good.stdout, 'hi\n');
      assert.equal(bad.exitCode, 4);
    } finally {
      await sandbox.close();
    }
  });
});

describe('sandbox refusal and unsafe mode', () => {
  it('refuses without bubblewrap, saying how to install it', async () => {
    await assert.rejects(createSandbox({ bwrapPath: '/nonexistent/bwrap' }), /npm run setup[\s\S]*apt-get install bubblewrap[\s\S]*--unsafe-no-sandbox/);
  });

  it('runs the same server without isolation when explicitly asked, limits still applied', async () => {
    const sandbox = await createSandbox({ unsafeNoSandbox: true, workers: 1 });
    try {
      assert.equal(sandbox.isolated, false);
      const ok = await sandbox.run('print(6 * 7)');
      assert.equal(ok.stdout.trim(), '42');
      const loop = await sandbox.run('while True:\n    pass\n', { wallMs: 500 });
      assert.equal(loop.timedOut, true);
    } finally {
      await sandbox.close();
    }
  });
});
