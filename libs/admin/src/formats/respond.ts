import type { Request, Response } from 'express';
import { escapeHtml, htmlFields, htmlPage, htmlTable } from './html';
import { textFields } from './text';
import { toXml } from './xml';

/** The WhosOn formats, chosen by the path's extension. */
export type AdminFormat = 'json' | 'xml' | 'htm' | 'txt';

export function formatOf(request: Request): AdminFormat {
  const extension = /\.(json|xml|htm|txt)$/.exec(request.path)?.[1];
  return (extension as AdminFormat | undefined) ?? 'htm';
}

const contentTypes: Readonly<Record<AdminFormat, string>> = {
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
};

/** A generic value as HTML: a table for a list of records, a field table for a record. */
function htmlOf(value: unknown): string {
  if (Array.isArray(value)) {
    const records = value as Array<Record<string, unknown>>;
    const keys = [...new Set(records.flatMap((record) => Object.keys(record)))];
    return htmlTable(
      records,
      Object.fromEntries(keys.map((key) => [key, (row: Record<string, unknown>) => row[key]])),
    );
  }
  if (typeof value === 'object' && value !== null) return htmlFields(value as Record<string, unknown>);
  return `<p>${escapeHtml(String(value))}</p>`;
}

/** Sends `value` in `format`: XML under `root`, HTML as a page titled `title`. */
export function sendAs(
  response: Response,
  format: AdminFormat,
  value: unknown,
  names: { readonly root: string; readonly title: string },
): void {
  response.type(contentTypes[format]);
  switch (format) {
    case 'json':
      response.send(JSON.stringify(value, null, 2));
      return;
    case 'xml':
      response.send(toXml(names.root, value));
      return;
    case 'htm':
      response.send(htmlPage(names.title, htmlOf(value)));
      return;
    case 'txt':
      response.send(
        typeof value === 'object' && value !== null && !Array.isArray(value)
          ? textFields(value as Record<string, unknown>)
          : `${JSON.stringify(value, null, 2)}\n`,
      );
      return;
  }
}

/** An action's answer page (load*, delete*, pause/resume): what was done, then the details. */
export function sendActionPage(
  response: Response,
  title: string,
  message: string,
  details: Readonly<Record<string, unknown>>,
): void {
  response
    .type(contentTypes.htm)
    .send(htmlPage(title, `<p class="result">${escapeHtml(message)}</p>\n${htmlFields(details)}`));
}
