/**
 * The console's entry: asks the daemon what this browser may do, shows the login form when it
 * must (off loopback, without a session), and routes between the table (`#/`) and a process's
 * page (`#/p/NAME`) — one page, one live stream open at a time.
 */
import type { SessionInfo } from '../src/server/http/console-wire.js';
import { login, logout, session } from './api.js';
import { byId, el, replace } from './dom.js';
import { ProcessPage } from './process-page.js';
import { TablePage } from './table-page.js';

const main = byId('main');
const sessionBar = byId('session');
let current: { close(): void } | undefined;
let info: SessionInfo | undefined;

async function refreshSession(): Promise<SessionInfo> {
  info = await session();
  replace(byId('version'), `v${info.version}`);
  replace(
    sessionBar,
    info.loopback
      ? el('span', { className: 'muted', title: 'bound to loopback: actions need no token, only this page' }, 'loopback')
      : info.canRead
        ? el('button', { type: 'button', onClick: () => void logout().then(route) }, 'log out')
        : '',
  );
  return info;
}

function showLogin(reason: string, possible: boolean): void {
  const token = el('input', { type: 'password', placeholder: 'daemon token', testId: 'token' });
  token.autocomplete = 'current-password';
  const message = el('p', { className: 'error', testId: 'login-error' });
  const form = el(
    'form',
    { className: 'login', testId: 'login' },
    el('h1', {}, 'Log in'),
    el('p', {}, reason),
    possible ? el('label', {}, 'Token ', token) : null,
    possible ? el('button', { type: 'submit' }, 'Log in') : null,
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    login(token.value).then(
      () => void route(),
      (error: unknown) => replace(message, (error as Error).message),
    );
  });
  replace(main, form);
  token.focus();
}

async function route(): Promise<void> {
  current?.close();
  current = undefined;
  let session: SessionInfo;
  try {
    session = await refreshSession();
  } catch (error) {
    replace(main, el('p', { className: 'error' }, `the daemon does not answer: ${(error as Error).message}`));
    return;
  }
  if (!session.canRead) return showLogin(session.reason, session.loginPossible);
  const hash = location.hash;
  const onUnauthorized = () => {
    // A stream refused: the session may have ended; ask again (the page shows the login if so).
    void refreshSession().then((s) => {
      if (!s.canRead) void route();
    });
  };
  if (hash.startsWith('#/p/')) {
    const name = decodeURIComponent(hash.slice(4));
    document.title = `${name} · statevisor`;
    const page = new ProcessPage(main, name, session.canAct, onUnauthorized);
    page.open();
    current = page;
  } else {
    document.title = 'statevisor';
    const page = new TablePage(main, onUnauthorized);
    page.open();
    current = page;
  }
}

window.addEventListener('hashchange', () => void route());
void route();
