import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml } from '../formats/html';
import type { ChatDocument } from './chat-document';

/** The folder under DATADIR where sites' chat templates live, as `<name>.html`. */
export const CHAT_TEMPLATE_FOLDER = 'chat-templates';

const templateNamePattern = /^[\w-]{1,100}$/;

/**
 * The built-in template, used when a site names none or a template that is not installed. Placeholders:
 * `{{title}}`, `{{siteKey}}`, `{{siteName}}`, `{{visitor}}`, `{{operator}}`, `{{state}}`,
 * `{{startedAt}}`, `{{lines}}` (the transcript as HTML list items); values are HTML-escaped.
 */
export const DEFAULT_CHAT_TEMPLATE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8" /><title>{{title}}</title>
<style>body{font-family:system-ui,sans-serif;margin:1.5rem}ol{list-style:none;padding:0}
li{margin:.3rem 0}.visitor b{color:#0a58ca}.operator b{color:#146c43}.system,.event{color:#666}</style></head>
<body>
<h1>{{title}}</h1>
<p>Site {{siteName}} ({{siteKey}}) · visitor {{visitor}} · operator {{operator}} · {{state}} · started {{startedAt}}</p>
<ol class="transcript">
{{lines}}
</ol>
</body>
</html>
`;

/** Reads the site's template from DATADIR/chat-templates/<name>.html, or the built-in one. */
export function loadChatTemplate(dataDirectory: string, name: string | null): string {
  if (name === null || !templateNamePattern.test(name)) return DEFAULT_CHAT_TEMPLATE;
  const path = join(dataDirectory, CHAT_TEMPLATE_FOLDER, `${name}.html`);
  return existsSync(path) ? readFileSync(path, 'utf8') : DEFAULT_CHAT_TEMPLATE;
}

/** Fills `template` with the chat; unknown placeholders are left empty. */
export function renderChat(template: string, chat: ChatDocument): string {
  const lines = [
    ...chat.lines.map((line) => ({
      at: line.at,
      html: `<li class="${escapeHtml(line.sender)}"><time>${line.at.toISOString()}</time> <b>${escapeHtml(line.senderName)}</b>: ${escapeHtml(line.text)}</li>`,
    })),
    ...chat.events.map((event) => ({
      at: event.at,
      html: `<li class="event"><time>${event.at.toISOString()}</time> [${escapeHtml(event.code)}] ${escapeHtml(event.text)}</li>`,
    })),
  ]
    .sort((left, right) => left.at.getTime() - right.at.getTime())
    .map((entry) => entry.html)
    .join('\n');
  const values: Readonly<Record<string, string>> = {
    title: escapeHtml(`Chat ${chat.chatUid}`),
    siteKey: escapeHtml(chat.siteKey),
    siteName: escapeHtml(chat.siteName),
    visitor: escapeHtml(chat.visitor.name ?? chat.visitor.key),
    operator: escapeHtml(chat.operator?.displayName ?? '-'),
    state: escapeHtml(chat.state),
    startedAt: chat.createdAt.toISOString(),
    lines,
  };
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? '');
}
