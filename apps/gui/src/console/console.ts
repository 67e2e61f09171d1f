import type { AGENT_NAMESPACE, AgentClientEvents } from '@switchboard/protocol';
import { io, type Socket } from 'socket.io-client';
import { fetchGuiConfig } from '../shared/gui-config';
import { chooseServerUrl } from '../shared/server-url';
import { AgentClient, type AgentPushes } from './agent-client';
import { ConsoleView } from './console-view';
import { browserSessionStore } from './session-store';

// Typed against the protocol without bundling it (and zod) into the console.
const NAMESPACE: typeof AGENT_NAMESPACE = '/agent';

async function startConsole(root: HTMLElement): Promise<void> {
  const config = await fetchGuiConfig(new URL('../config.json', location.href));
  const server = chooseServerUrl({ configured: config.serverBaseUrl, scriptUrl: location.href });
  const view = new ConsoleView(root, { lineMaxLength: config.lineMaxLength, serverUrl: server });
  const socket: Socket<AgentPushes, AgentClientEvents> = io(`${server}${NAMESPACE}`, {
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    withCredentials: true,
  });
  const client = new AgentClient(socket, browserSessionStore(), view, server);
  view.client = client;
  // The agent's input counts as activity for the server's idle rule (idle in Chat status → Away).
  for (const type of ['keydown', 'pointerdown'])
    document.addEventListener(type, () => client.reportActivity(), { passive: true });
  // With a stored session, its refresh (or a refusal) decides what shows.
  if (!client.hasToken()) view.showLogin();
}

const root = document.getElementById('app');
if (root) void startConsole(root).catch((error: unknown) => console.error(error));
