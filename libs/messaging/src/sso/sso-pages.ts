import type { SsoSession } from '@switchboard/identity';

/** Where the console keeps its session (apps/gui/src/console/session-store.ts). */
const CONSOLE_SESSION_KEY = 'switchboard.agentSession';
const CONSOLE_PATH = '/gui/console/';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

// JSON inside <script>: no "</script>" nor "<!--" can be formed.
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)} · Switchboard</title></head>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem">
${body}
</body></html>`;
}

/**
 * After a single sign-on: hands the session to the console the way a password log-in leaves it
 * (sessionStorage, or localStorage with "Remember me") and opens the console.
 */
export function signedInPage(session: SsoSession): string {
  const stored = { token: session.token, refreshToken: session.refreshToken };
  return page(
    'Signed in',
    `<h1>Signed in</h1>
<p>Signed in as ${escapeHtml(session.operator.username)}. <a href="${CONSOLE_PATH}">Open the console</a>.</p>
<script>
(function () {
  var storage = ${session.remember ? 'localStorage' : 'sessionStorage'};
  storage.setItem(${scriptJson(CONSOLE_SESSION_KEY)}, JSON.stringify(${scriptJson(stored)}));
  location.replace(${scriptJson(CONSOLE_PATH)});
})();
</script>`,
  );
}

/** A single sign-on that did not sign the user in: why, and the way back. */
export function refusedPage(message: string): string {
  return page(
    'Not signed in',
    `<h1>Not signed in</h1>
<p id="reason">${escapeHtml(message)}</p>
<p><a href="${CONSOLE_PATH}">Back to the log-in page</a></p>`,
  );
}
