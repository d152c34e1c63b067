/** The process chart as Mermaid text, the given leaf states marked active. */
export function processChartText(_active: readonly string[]): string {
  return '';
}
