import type { AGENT_NAMESPACE, AgentClientEvents } from '@switchboard/protocol';
import { io, type Socket } from 'socket.io-client';
import { fetchConfiguredServer } from '../shared/gui-config';
import { chooseServerUrl } from '../shared/server-url';
import { AgentClient, type AgentPushes, type TokenStore } from './agent-client';
import { ConsoleView } from './console-view';

// Typed against the protocol without bundling it (and zod) into the console.
const NAMESPACE: typeof AGENT_NAMESPACE = '/agent';
const TOKEN_KEY = 'switchboard.agentToken';

/** The token lives for this browser tab only (sessionStorage): closing the tab logs out. */
const tokens: TokenStore = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (token) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

async function startConsole(root: HTMLElement): Promise<void> {
  const view = new ConsoleView(root);
  const server = chooseServerUrl({
    configured: await fetchConfiguredServer(new URL('../config.json', location.href)),
    scriptUrl: location.href,
  });
  const socket: Socket<AgentPushes, AgentClientEvents> = io(`${server}${NAMESPACE}`, {
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    withCredentials: true,
  });
  const client = new AgentClient(socket, tokens, view, server);
  view.client = client;
  // With a token, agent:ready (or a refusal) decides what shows.
  if (!client.hasToken()) view.showLogin();
}

const root = document.getElementById('app');
if (root) void startConsole(root).catch((error: unknown) => console.error(error));
