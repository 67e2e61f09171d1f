import type { VisitorClientEvents, VisitorServerEvents, VISITOR_NAMESPACE } from '@switchboard/protocol';
import { io, type Socket } from 'socket.io-client';
import { fetchGuiConfig } from '../shared/gui-config';
import { chooseServerUrl } from '../shared/server-url';
import { VisitorClient } from './visitor-client';
import { WidgetStore } from './widget-store';
import { WIDGET_TEXT } from './widget-text';
import { WidgetView } from './widget-view';

// Typed against the protocol without bundling it (and zod) into the widget.
const NAMESPACE: typeof VISITOR_NAMESPACE = '/visitor';

/**
 * The visitor chat widget. Embed with one tag:
 * `<script src="https://lb:3003/gui/widget.js" data-site-key="demo" async></script>`
 * (docs/gui.md lists the data attributes).
 */
async function startWidget(script: HTMLScriptElement): Promise<void> {
  const siteKey = script.dataset.siteKey;
  if (!siteKey) throw new Error('Switchboard widget: the script tag needs data-site-key.');
  // The config also gives the line limit, so it is read even when data-server names the server.
  const config = await fetchGuiConfig(new URL('config.json', script.src));
  const server = chooseServerUrl({
    explicit: script.dataset.server,
    configured: script.dataset.server ? null : config.serverBaseUrl,
    scriptUrl: script.src,
  });
  const host = document.createElement('div');
  host.id = 'switchboard-widget';
  document.body.append(host);
  const view = new WidgetView(host, {
    title: script.dataset.title ?? WIDGET_TEXT.title,
    accent: script.dataset.color ?? '#2454d6',
    lineMaxLength: config.lineMaxLength,
  });
  const socket: Socket<VisitorServerEvents, VisitorClientEvents> = io(`${server}${NAMESPACE}`, {
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    // HAProxy's stickiness cookie must travel with long-polling requests from another origin.
    withCredentials: true,
  });
  const store = new WidgetStore(siteKey);
  const client = new VisitorClient(socket, siteKey, store, view);
  view.actions = {
    start: (request) =>
      client.start({ ...request, ...(script.dataset.skill ? { skill: script.dataset.skill } : {}) }),
    send: (text) => client.send(text),
    keystroke: () => client.keystroke(),
    close: () => client.close(),
  };
  if (store.chat() || script.dataset.open === 'true') view.setOpen(true);
}

const script =
  (document.currentScript as HTMLScriptElement | null) ??
  document.querySelector<HTMLScriptElement>('script[src*="widget.js"][data-site-key]');
if (script) {
  const run = () => void startWidget(script).catch((error: unknown) => console.error(error));
  if (document.body) run();
  else document.addEventListener('DOMContentLoaded', run);
}
