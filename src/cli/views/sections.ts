/** Titled sections of "label  value" rows, labels aligned, for describe and status. */
export type Row = readonly [label: string, value: string];

export function section(title: string, rows: readonly Row[]): string {
  const width = Math.max(0, ...rows.map(([label]) => label.length));
  return [title, ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`.trimEnd())].join('\n');
}

/** "a=1, b=2", or "-" for none. */
export function pairs(map: Readonly<Record<string, string>>): string {
  const entries = Object.entries(map);
  return entries.length === 0 ? '-' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

export function listed(items: readonly string[]): string {
  return items.length === 0 ? '-' : items.join(', ');
}
