/**
 * Reading a console's Server-Sent Events stream in a test, as EventSource would: each event's
 * name and data. Pair with readUntil (streams.ts) for a deadline.
 */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

export async function* sseEvents(url: string, init: RequestInit & { signal: AbortSignal }): AsyncGenerator<SseEvent> {
  const response = await fetch(url, init);
  if (!response.ok || response.body === null) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let at = buffer.indexOf('\n\n'); at !== -1; at = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) yield { event, data: data.join('\n') };
    }
  }
}

/** The events of one name, their data parsed. */
export function dataOf<T>(events: readonly SseEvent[], name: string): T[] {
  return events.filter((e) => e.event === name).map((e) => JSON.parse(e.data) as T);
}
