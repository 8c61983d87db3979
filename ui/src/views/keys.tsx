/** Keys and budgets: list with live use against each limit, create (the key shown once), revoke, rotate. */
import { useState } from 'preact/hooks';
import { post, get } from '../api';
import { num, time, usd } from '../format';
import { ErrorNote, useFetch } from '../use-fetch';
import type { Meta } from '../app';

interface KeyBudget { kind: 'usd' | 'tokens'; limit: number; describe: string; used: number | null }
interface KeyRow {
  id: string; prefix: string; name: string; route: string | null; rpm: number | null; tpm: number | null; allowedTools: string[] | null;
  toolCallsPerMinute: number | null; createdAt: number; expiresAt: number | null; revokedAt: number | null; budgets: KeyBudget[];
  lastMinute: { requests: number; tokens: number } | null;
}

function Use(props: { used: number | null; limit: number | null; format?: (value: number) => string }) {
  if (props.limit === null) return <span class="muted">—</span>;
  const format = props.format ?? num;
  const used = props.used ?? 0;
  const share = props.limit > 0 ? Math.min(1, used / props.limit) : 1;
  return <span class="use">{format(used)} / {format(props.limit)}<span class="bar"><span style={{ width: `${share * 100}%` }} /></span></span>;
}

export function KeysView(props: { meta: Meta; onChange: () => void }) {
  const keys = useFetch((signal) => get<{ keys: KeyRow[] }>('keys', {}, signal), 'keys');
  const [created, setCreated] = useState<{ key: string; name: string } | null>(null);
  const [error, setError] = useState<Error | undefined>();
  const [form, setForm] = useState({ name: '', route: '', budget: '', rpm: '', tpm: '', tools: '' });
  const field = (name: keyof typeof form) => ({
    name, value: form[name], 'data-testid': `key-${name}`,
    onInput: (event: Event) => setForm({ ...form, [name]: (event.currentTarget as HTMLInputElement).value }),
  });

  async function create(event: Event) {
    event.preventDefault();
    setError(undefined);
    try {
      const answer = await post<{ key: string; record: KeyRow }>('keys', {
        name: form.name,
        ...(form.route ? { route: form.route } : {}),
        ...(form.budget ? { budgets: form.budget.split(',').map((text) => text.trim()).filter(Boolean) } : {}),
        ...(form.rpm ? { rpm: Number(form.rpm) } : {}),
        ...(form.tpm ? { tpm: Number(form.tpm) } : {}),
        ...(form.tools ? { allowedTools: form.tools.split(',').map((text) => text.trim()).filter(Boolean) } : {}),
      });
      setCreated({ key: answer.key, name: answer.record.name });
      setForm({ name: '', route: '', budget: '', rpm: '', tpm: '', tools: '' });
      keys.reload();
      props.onChange();
    } catch (caught) {
      setError(caught as Error);
    }
  }

  async function act(action: 'revoke' | 'rotate', key: KeyRow) {
    setError(undefined);
    if (action === 'revoke' && !confirm(`Revoke key '${key.name}'? Requests with it will be refused.`)) return;
    try {
      const answer = await post<{ key?: string; record?: KeyRow }>(`keys/${action}`, { id: key.id });
      if (answer.key) setCreated({ key: answer.key, name: key.name });
      keys.reload();
      props.onChange();
    } catch (caught) {
      setError(caught as Error);
    }
  }

  return (
    <section>
      <h2>Keys and budgets</h2>
      <form class="create" onSubmit={create} data-testid="create-key">
        <input placeholder="name" required {...field('name')} />
        <select {...field('route')}><option value="">any route</option>{props.meta.routes.map((route) => <option key={route}>{route}</option>)}</select>
        <input placeholder="budgets: 5usd/day, 2M/month" {...field('budget')} />
        <input placeholder="rpm" inputMode="numeric" {...field('rpm')} />
        <input placeholder="tpm" inputMode="numeric" {...field('tpm')} />
        <input placeholder="allowed tools (comma separated)" {...field('tools')} />
        <button type="submit">Create key</button>
      </form>
      <ErrorNote error={error ?? keys.error} />
      {created && (
        <div class="secret" data-testid="new-key">
          New key for <b>{created.name}</b>, shown this once: <code data-testid="new-key-value">{created.key}</code>
          <button onClick={() => navigator.clipboard?.writeText(created.key)}>copy</button>
          <button onClick={() => setCreated(null)}>done</button>
        </div>
      )}
      <table data-testid="keys-table">
        <thead><tr><th>name</th><th>key</th><th>route</th><th>budgets (used / limit)</th><th>rpm (last min)</th><th>tpm (last min)</th><th>tools</th><th>created</th><th></th></tr></thead>
        <tbody>{keys.data?.keys.map((key) => (
          <tr key={key.id} data-key-id={key.id} data-key-name={key.name} class={key.revokedAt ? 'revoked' : ''}>
            <td>{key.name}</td><td class="mono">{key.prefix}…</td><td>{key.route ?? 'any'}</td>
            <td>{key.budgets.length === 0 ? <span class="muted">none</span> : key.budgets.map((budget) => (
              <div key={budget.describe}>{budget.describe}: <Use used={budget.used} limit={budget.limit} format={budget.kind === 'usd' ? (v) => usd(v) : num} /></div>
            ))}</td>
            <td><Use used={key.lastMinute?.requests ?? null} limit={key.rpm} /></td>
            <td><Use used={key.lastMinute?.tokens ?? null} limit={key.tpm} /></td>
            <td>{key.allowedTools ? key.allowedTools.join(', ') : 'all'}</td>
            <td>{time(key.createdAt)}</td>
            <td>{key.revokedAt ? `revoked ${time(key.revokedAt)}` : <>
              <button onClick={() => act('rotate', key)}>rotate</button>
              <button class="danger" onClick={() => act('revoke', key)}>revoke</button>
            </>}</td>
          </tr>
        ))}</tbody>
      </table>
    </section>
  );
}
