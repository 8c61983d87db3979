/** `--since 7d | 12h | 30m | 2w | 2025-01-31`: a start time in epoch ms. */
const units: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseSince(value: string, now: number = Date.now()): number {
  const relative = /^(\d+(?:\.\d+)?)\s*([mhdw])$/i.exec(value.trim());
  if (relative) return now - Number(relative[1]) * (units[(relative[2] ?? 'd').toLowerCase()] ?? 0);
  const absolute = Date.parse(value);
  if (Number.isNaN(absolute)) throw new Error(`--since takes a duration like 7d, 12h, 30m, 2w or a date, got '${value}'`);
  return absolute;
}
