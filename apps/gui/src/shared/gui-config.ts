const CONFIG_TIMEOUT_MS = 3000;

/** ACD.Chat.Server.Base.URL from the server's `/gui/config.json`; null when it cannot be read in time. */
export async function fetchConfiguredServer(configUrl: URL): Promise<string | null> {
  try {
    const response = await fetch(configUrl, { signal: AbortSignal.timeout(CONFIG_TIMEOUT_MS) });
    const config = (await response.json()) as { serverBaseUrl?: unknown };
    return typeof config.serverBaseUrl === 'string' ? config.serverBaseUrl : null;
  } catch {
    return null;
  }
}
