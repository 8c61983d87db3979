/**
 * Virtual keys from the dashboard: list with live use against each limit, create (the secret
 * is in that one answer only), revoke and rotate, all through the same KeyService the CLI uses.
 */
import { z } from 'zod';
import { ArbiterError } from '../../core/errors.js';
import { budgetScope, keyBudgetOwner } from '../../controls/budget-plan.js';
import type { VirtualKey } from '../../controls/keys.js';
import { describeBudget, parseBudget } from '../../controls/specs.js';
import { keyRecentUse } from '../../store/audit-log-pages.js';
import type { Handler } from '../context.js';
import { readJsonBody } from '../read-body.js';
import { sendJson } from '../send-json.js';
import type { AdminDeps } from './admin-deps.js';

const limitSchema = z.number().int().positive().max(1_000_000_000).nullable().optional();

const createKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  route: z.string().min(1).max(200).nullable().optional(),
  /** As on the CLI: `50usd/month`, `2M/day`. */
  budgets: z.array(z.string().max(100)).max(10).optional(),
  rpm: limitSchema,
  tpm: limitSchema,
  allowedTools: z.array(z.string().min(1).max(200)).max(500).nullable().optional(),
  toolCallsPerMinute: limitSchema,
  expiresAt: z.number().int().positive().nullable().optional(),
});

const idSchema = z.strictObject({ id: z.string().min(1).max(100) });

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue?.path.length ? issue.path.join('.') : null;
  throw new ArbiterError('invalid_request', `${param ? `'${param}': ` : ''}${issue?.message ?? 'invalid body'}`, { param });
}

function publicKey(key: VirtualKey) {
  return {
    id: key.id, prefix: key.prefix, name: key.name, route: key.route, rpm: key.rpm, tpm: key.tpm,
    allowedTools: key.allowedTools, toolCallsPerMinute: key.toolCallsPerMinute, createdAt: key.createdAt, expiresAt: key.expiresAt, revokedAt: key.revokedAt,
    budgets: key.budgets.map((spec) => ({ ...spec, describe: describeBudget(spec) })),
  };
}

export function listKeysHandler(deps: AdminDeps): Handler {
  return async function listKeys(ctx) {
    const now = (deps.now ?? Date.now)();
    const keys = (await deps.keys.list()).reverse().slice(0, 500);
    const out = await Promise.all(keys.map(async (key) => {
      const active = key.revokedAt === null;
      // The last minute from the audit log (the limiter's own window is per process or in Redis).
      const use = active && (key.rpm !== null || key.tpm !== null) ? await keyRecentUse(deps.store, key.id, now - 60_000) : undefined;
      const owner = keyBudgetOwner(key);
      const budgets = await Promise.all(key.budgets.map(async (spec) => ({
        ...spec, describe: describeBudget(spec),
        used: active && deps.budgetUsage ? await deps.budgetUsage(budgetScope(owner, spec, now)) : null,
      })));
      return { ...publicKey(key), budgets, lastMinute: use ?? null };
    }));
    sendJson(ctx, 200, { keys: out });
  };
}

export function createKeyHandler(deps: AdminDeps): Handler {
  return async function createKey(ctx) {
    const input = parseBody(createKeySchema, await readJsonBody(ctx.req, deps.bodyLimitBytes ?? 64 * 1024));
    const budgets = (input.budgets ?? []).map((text, index) => {
      try {
        return parseBudget(text);
      } catch (error) {
        throw new ArbiterError('invalid_request', (error as Error).message, { param: `budgets.${index}` });
      }
    });
    if (input.route && !deps.config.routes[input.route]) throw new ArbiterError('invalid_request', `No route '${input.route}' in the config.`, { param: 'route' });
    const created = await deps.keys.create({ ...input, budgets });
    sendJson(ctx, 201, { key: created.key, record: publicKey(created.record) });
  };
}

async function activeKey(deps: AdminDeps, id: string): Promise<VirtualKey> {
  const key = await deps.keys.get(id);
  if (!key) throw new ArbiterError('not_found', `No key with id '${id}'.`, { param: 'id' });
  if (key.revokedAt !== null) throw new ArbiterError('conflict', `Key '${id}' is already revoked.`, { param: 'id' });
  return key;
}

export function revokeKeyHandler(deps: AdminDeps): Handler {
  return async function revokeKey(ctx) {
    const { id } = parseBody(idSchema, await readJsonBody(ctx.req, 4096));
    await activeKey(deps, id);
    await deps.keys.revoke(id);
    sendJson(ctx, 200, { revoked: id });
  };
}

export function rotateKeyHandler(deps: AdminDeps): Handler {
  return async function rotateKey(ctx) {
    const { id } = parseBody(idSchema, await readJsonBody(ctx.req, 4096));
    await activeKey(deps, id);
    const created = await deps.keys.rotate(id);
    sendJson(ctx, 201, { key: created.key, record: publicKey(created.record), revoked: id });
  };
}
