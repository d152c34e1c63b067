/**
 * `statevisor inspect --stately`: how to watch the daemon's charts in the Stately inspector.
 * The daemon streams its actor system to a relay (`--inspect-ws`); the relay is the bridge page
 * that @statelyai/inspect ships (`createInspectorServer`): a WebSocket server whose page embeds
 * https://stately.ai/inspect and hands it what the daemon sends.
 */

/** The file of @statelyai/inspect's relay, as installed with statevisor. */
function relayModule(): string {
  try {
    return import.meta.resolve('@statelyai/inspect/server');
  } catch {
    return '@statelyai/inspect/server';
  }
}

export function statelySteps(port = 8080): string {
  const relay = `node --input-type=module -e "(await import('${relayModule()}')).createInspectorServer({ port: ${port}, autoOpen: false })"`;
  return [
    'To watch the daemon’s charts live in the Stately inspector:',
    '',
    `1. Start the relay (the bridge of @statelyai/inspect, installed with statevisor), on this machine:`,
    `     ${relay}`,
    `2. Start the daemon with the relay’s address (or set STATEVISOR_INSPECT_WS):`,
    `     statevisor daemon --inspect-ws ws://127.0.0.1:${port} …`,
    `   A daemon already running connects when restarted; it retries until the relay is up.`,
    `3. Open http://localhost:${port} in a browser on this machine (the page connects to`,
    `   ws://localhost:${port} and embeds https://stately.ai/inspect, which needs the internet).`,
    `   From elsewhere: ssh -L ${port}:127.0.0.1:${port} HOST, then open the same address.`,
    '',
    'On every connection the daemon first sends each live actor (the supervisor, every process,',
    'every running hook) with its current snapshot, then every event as it happens. Contexts and',
    'events are redacted (env values, secrets) before they leave. The actor system is observed only',
    'while the relay is connected.',
  ].join('\n');
}
