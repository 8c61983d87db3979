/** The code sandbox's public surface. */
export { createSandbox, defaultUidBase } from './create-sandbox.js';
export { lazySandbox, type LazySandbox } from './lazy-sandbox.js';
export { defaultSandboxLimits, resolveLimits, type SandboxLimits } from './limits.js';
export { missingBwrapMessage, findBwrap } from './find-bwrap.js';
export type { Sandbox, SandboxMode, SandboxOptions, SandboxRunOptions } from './sandbox.js';
export type { SandboxResult } from './sandbox-result.js';
