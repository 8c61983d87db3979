// The bwrap command line: no network, read-only system, private tmpfs, the interpreter's prefix
// reachable, and root's capabilities reduced to what the server needs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ancestors, buildBwrapLaunch, type ServerConfig } from './server-launch.js';
import { encodeFrame, FrameDecoder } from './frame-codec.js';
import { resolveLimits } from './limits.js';

const config: ServerConfig = { workRoot: '/tmp', uid: 60100, nprocBase: 0, privatePidNs: true, oneShot: false };
const python = { executable: '/opt/py/bin/python3', prefixes: ['/opt/py'], version: '3.11.7' };
const layout = [{ path: '/lib', symlinkTo: 'usr/lib', present: true }, { path: '/lib32', symlinkTo: null, present: false }, { path: '/bin', symlinkTo: null, present: true }];

describe('bwrap launch', () => {
  it('isolates as root without a user namespace, keeping only setuid/setgid/kill', () => {
    const { args } = buildBwrapLaunch({ bwrap: '/usr/bin/bwrap', python, config, asRoot: true, layout, tmpfsBytes: 1024 });
    const joined = args.join(' ');
    assert.ok(!args.includes('--share-net'));
    assert.ok(args.includes('--unshare-net') && args.includes('--unshare-pid'));
    assert.match(joined, /--cap-drop ALL --cap-add CAP_SETUID --cap-add CAP_SETGID --cap-add CAP_KILL/);
    assert.match(joined, /--ro-bind \/usr \/usr/);
    assert.match(joined, /--symlink usr\/lib \/lib/);
    assert.match(joined, /--ro-bind \/bin \/bin/);
    assert.ok(!joined.includes('/lib32'));
    assert.match(joined, /--perms 0755 --dir \/opt --ro-bind \/opt\/py \/opt\/py/);
    assert.match(joined, /--perms 1777 --size 1024 --tmpfs \/tmp/);
    assert.ok(args.includes('--die-with-parent') && args.includes('--new-session'));
    assert.ok(!joined.includes('/work') && !joined.includes('/home') && !joined.includes('/etc/shadow'));
  });

  it('uses --unshare-all when not root', () => {
    const { args } = buildBwrapLaunch({ bwrap: 'bwrap', python, config: { ...config, uid: null }, asRoot: false, layout, tmpfsBytes: null });
    assert.ok(args.includes('--unshare-all'));
    assert.ok(!args.includes('--cap-add'));
    assert.ok(!args.includes('--size'), 'no --size for a bwrap that lacks it');
  });

  it('lists ancestors, frames messages across chunk boundaries, validates limits', () => {
    assert.deepEqual(ancestors('/root/.pyenv/versions/3.11.7'), ['/root', '/root/.pyenv', '/root/.pyenv/versions']);
    const bytes = Buffer.concat([encodeFrame({ a: 1 }), encodeFrame({ b: 'é' })]);
    const decoder = new FrameDecoder();
    const messages = [...decoder.push(bytes.subarray(0, 5)), ...decoder.push(bytes.subarray(5, 13)), ...decoder.push(bytes.subarray(13))];
    assert.deepEqual(messages, [{ a: 1 }, { b: 'é' }]);
    assert.equal(resolveLimits({ wallMs: 100 }, { cpuSeconds: 2 }).wallMs, 100);
    assert.throws(() => resolveLimits({ memoryBytes: -1 }), /memoryBytes/);
  });
});
