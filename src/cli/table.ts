/**
 * Plain tables that fit the terminal, like `pm2 ls`: columns as wide as their widest cell, two
 * spaces apart; when the whole is wider than the terminal, the widest column gives up width
 * first and its cells end in "…". Colour is applied after padding, so escape codes never count
 * toward a width.
 */
import { paint, type Colour } from './style.js';

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** The colour of a cell (when colour is on). */
  colour?: (cell: string) => Colour | undefined;
  /** Never narrowed: a cell that is only useful whole (a fleet's HOST). */
  fixed?: boolean;
}

export interface TableOptions {
  /** Terminal width in characters. */
  width: number;
  colour: boolean;
}

const gap = 2;
/** A column narrower than this says nothing; past it the table overflows instead. */
const minWidth = 3;

/** process.stdout.columns, or 80 when stdout is not a terminal. */
export function terminalWidth(stream: NodeJS.WriteStream = process.stdout): number {
  return stream.isTTY && stream.columns > 0 ? stream.columns : 80;
}

export function fitWidths(natural: readonly number[], width: number, fixed: readonly boolean[] = []): number[] {
  const widths = [...natural];
  const total = () => widths.reduce((sum, w) => sum + w, 0) + gap * Math.max(0, widths.length - 1);
  while (total() > width) {
    // The widest column that may narrow; -1 when none may.
    const widest = widths.reduce((best, w, i) => (!fixed[i] && (best < 0 || w > widths[best]!) ? i : best), -1);
    if (widest < 0 || widths[widest]! <= minWidth) break;
    widths[widest]! -= 1;
  }
  return widths;
}

export function truncate(cell: string, width: number): string {
  return cell.length <= width ? cell : `${cell.slice(0, Math.max(0, width - 1))}…`;
}

export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[], options: TableOptions): string {
  const natural = columns.map((column, i) => Math.max(column.header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const widths = fitWidths(natural, options.width, columns.map((c) => c.fixed === true));
  const line = (cells: readonly string[], header: boolean): string =>
    columns
      .map((column, i) => {
        const width = widths[i]!;
        const text = truncate(cells[i] ?? '', width);
        const padded = column.align === 'right' ? text.padStart(width) : text.padEnd(width);
        return header ? padded : paint(padded, column.colour?.(cells[i] ?? ''), options.colour);
      })
      .join(' '.repeat(gap))
      .trimEnd();
  return [line(columns.map((c) => c.header), true), ...rows.map((row) => line(row, false))].join('\n');
}
