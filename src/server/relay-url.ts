/**
 * The Stately relay address that `--inspect-ws` takes, checked apart from the bridge itself so
 * that reading the flag does not load @statelyai/inspect (the bridge is imported only when used).
 */
import { StatevisorError } from '../errors.js';

/** A relay's address: ws:// or wss:// with a host. */
export function relayUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    url = new URL('invalid:');
  }
  if ((url.protocol !== 'ws:' && url.protocol !== 'wss:') || url.hostname === '') {
    throw new StatevisorError('E_INVALID_ARGUMENT', `--inspect-ws: got "${text}", expected a relay address like ws://127.0.0.1:8080`);
  }
  return text;
}
