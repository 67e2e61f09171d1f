const CONFIG_TIMEOUT_MS = 3000;

/** What the widget and the console read from the server's `/gui/config.json` (null: not read in time). */
export interface GuiSettings {
  /** ACD.Chat.Server.Base.URL. */
  readonly serverBaseUrl: string | null;
  /** ACD.Chat.Line.MaxLength: the longest line the server accepts (null: unknown, the server still checks). */
  readonly lineMaxLength: number | null;
}

export async function fetchGuiConfig(configUrl: URL): Promise<GuiSettings> {
  try {
    const response = await fetch(configUrl, { signal: AbortSignal.timeout(CONFIG_TIMEOUT_MS) });
    const config = (await response.json()) as { serverBaseUrl?: unknown; lineMaxLength?: unknown };
    return {
      serverBaseUrl: typeof config.serverBaseUrl === 'string' ? config.serverBaseUrl : null,
      lineMaxLength:
        typeof config.lineMaxLength === 'number' && config.lineMaxLength > 0 ? config.lineMaxLength : null,
    };
  } catch {
    return { serverBaseUrl: null, lineMaxLength: null };
  }
}
