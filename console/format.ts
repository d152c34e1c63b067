/** How figures read on the page: durations like `ls` prints them, sizes in binary units. */
export function duration(ms: number): string {
  if (!(ms > 0)) return '-';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d${Math.floor((s % 86_400) / 3600)}h`;
}

export function bytes(n: number): string {
  if (!(n > 0)) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function percent(p: number, running: boolean): string {
  return running ? `${p.toFixed(1)}%` : '-';
}

export function clock(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour12: false });
}

/** The daemon's clock against the browser's: uptimes are counted from the daemon's `at`. */
export class ServerClock {
  #offset = 0;

  saw(at: number): void {
    this.#offset = Date.now() - at;
  }

  now(): number {
    return Date.now() - this.#offset;
  }
}
