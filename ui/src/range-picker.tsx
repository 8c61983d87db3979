import { RANGES } from './format';
import { setParams } from './url-state';

/** The range preset in the URL (`range=24h`), or explicit `from`/`to`. */
export function rangeQuery(params: URLSearchParams, fallback = '24h'): { from?: number; to?: number } {
  const from = params.get('from');
  const to = params.get('to');
  if (from || to) return { ...(from ? { from: Number(from) || Date.parse(from) } : {}), ...(to ? { to: Number(to) || Date.parse(to) } : {}) };
  const span = RANGES[params.get('range') ?? fallback] ?? RANGES[fallback] ?? 86_400_000;
  return { from: Date.now() - span };
}

export function RangePicker(props: { params: URLSearchParams; fallback?: string }) {
  const selected = props.params.get('range') ?? (props.params.get('from') ? '' : props.fallback ?? '24h');
  return (
    <span class="range">
      {Object.keys(RANGES).map((name) => (
        <button key={name} class={name === selected ? 'on' : ''} onClick={() => setParams({ range: name, from: undefined, to: undefined })}>{name}</button>
      ))}
    </span>
  );
}

export function Select(props: { label: string; name: string; value: string; options: string[]; testId?: string; onChange: (value: string | undefined) => void }) {
  return (
    <label class="field">{props.label}
      <select data-testid={props.testId} name={props.name} value={props.value} onChange={(event) => props.onChange((event.currentTarget as HTMLSelectElement).value || undefined)}>
        <option value="">all</option>
        {props.options.map((option) => <option key={option} value={option}>{option}</option>)}
      </select>
    </label>
  );
}
