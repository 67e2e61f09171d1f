const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Where a browser app may learn the chat server's address, strongest first. */
export interface ServerUrlSources {
  /** The embedding's explicit choice (the widget's `data-server` attribute). */
  readonly explicit?: string | null;
  /** ACD.Chat.Server.Base.URL as `/gui/config.json` reports it. */
  readonly configured?: string | null;
  /** The address the script (or page) itself was loaded from. */
  readonly scriptUrl: string;
}

/**
 * The http(s) origin socket.io-client connects to: `data-server`, else ACD.Chat.Server.Base.URL,
 * else the origin the script came from. A configured address on a loopback host is skipped when the
 * script came from another origin: that is the parameter's default (ws://localhost:3000) on a
 * server reached by another name or port, and following it would send visitors to their own machine.
 */
export function chooseServerUrl(sources: ServerUrlSources): string {
  const scriptOrigin = new URL(sources.scriptUrl).origin;
  if (sources.explicit) return toHttpOrigin(sources.explicit, sources.scriptUrl);
  if (sources.configured) {
    const configured = toHttpOrigin(sources.configured, sources.scriptUrl);
    const loopback = LOOPBACK_HOSTS.has(new URL(configured).hostname);
    if (!loopback || configured === scriptOrigin) return configured;
  }
  return scriptOrigin;
}

/** ws:// → http://, wss:// → https:// (socket.io-client wants an http(s) URL); relative to `base`. */
export function toHttpOrigin(address: string, base: string): string {
  const url = new URL(address, base);
  if (url.protocol === 'ws:') url.protocol = 'http:';
  if (url.protocol === 'wss:') url.protocol = 'https:';
  return url.origin;
}
