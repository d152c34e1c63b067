/**
 * Durations, times and sizes as people read them: "850ms", "42s", "3m 12s", "2h 5m", "4d 1h";
 * "12s ago"; "12.3 MiB". Two units at most: a table cell is no place for precision.
 */

const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < second) return `${Math.round(ms)}ms`;
  if (ms < minute) {
    // Spec durations such as 1.5s read better whole than rounded.
    const seconds = ms / second;
    return Number.isInteger(seconds) || ms >= 10 * second ? `${Math.floor(seconds)}s` : `${Number(seconds.toFixed(1))}s`;
  }
  const pair = (big: number, bigUnit: string, small: number, smallUnit: string) =>
    small === 0 ? `${big}${bigUnit}` : `${big}${bigUnit} ${small}${smallUnit}`;
  if (ms < hour) return pair(Math.floor(ms / minute), 'm', Math.floor((ms % minute) / second), 's');
  if (ms < day) return pair(Math.floor(ms / hour), 'h', Math.floor((ms % hour) / minute), 'm');
  return pair(Math.floor(ms / day), 'd', Math.floor((ms % day) / hour), 'h');
}

/** "12s ago", "in 3m", "just now"; '-' for no date. */
export function formatRelative(at: Date | undefined, now: number = Date.now()): string {
  if (!at) return '-';
  const delta = now - at.getTime();
  if (Math.abs(delta) < second) return 'just now';
  return delta > 0 ? `${formatDuration(delta)} ago` : `in ${formatDuration(-delta)}`;
}

/** Local date and time to the second, with how long ago: "2025-03-01 14:02:11 (3m 12s ago)". */
export function formatTime(at: Date | undefined, now: number = Date.now()): string {
  if (!at) return '-';
  return `${localDate(at)} ${localClock(at)} (${formatRelative(at, now)})`;
}

/** "14:02:11.042", for lines of a stream. */
export function formatClock(at: Date | undefined): string {
  if (!at) return '--:--:--.---';
  return `${localClock(at)}.${String(at.getMilliseconds()).padStart(3, '0')}`;
}

function localDate(at: Date): string {
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`;
}

function localClock(at: Date): string {
  return `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

const byteUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '-';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < byteUnits.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${byteUnits[unit]}`;
}
