/** The tone of an offer (higher) and of a new line. */
const TONES = { offer: 880, line: 660 } as const;
const TONE_SECONDS = 0.25;

export type AttentionKind = keyof typeof TONES;

/**
 * Makes offers and new lines noticed while the agent looks elsewhere: a short WebAudio tone (no
 * asset), a desktop notification when the agent allowed them, and the unread count in the title.
 */
export class Attention {
  private audio: AudioContext | undefined;

  constructor(private readonly baseTitle: string) {
    document.title = baseTitle;
  }

  /** Browsers start audio only after a user gesture: call this from one (a click, a key). */
  unlock(): void {
    void this.context()?.resume();
  }

  /** Whether the browser would still ask the agent (the "Enable notifications" button shows). */
  canAsk(): boolean {
    return 'Notification' in window && Notification.permission === 'default';
  }

  /** Asks for the permission; call it from a user gesture. */
  async ask(): Promise<void> {
    if ('Notification' in window) await Notification.requestPermission();
  }

  /** `(2) Switchboard console` while two things wait for the agent. */
  badge(count: number): void {
    document.title = count > 0 ? `(${count}) ${this.baseTitle}` : this.baseTitle;
  }

  /** A tone, and a desktop notification (always for an offer; for a line only when the page is not looked at). */
  alert(kind: AttentionKind, title: string, body: string, onClick?: () => void): void {
    this.tone(kind);
    if (!('Notification' in window) || Notification.permission !== 'granted') return;
    if (kind === 'line' && !document.hidden && document.hasFocus()) return;
    const notification = new Notification(title, { body, tag: `${kind}:${title}` });
    notification.onclick = () => {
      window.focus();
      notification.close();
      onClick?.();
    };
  }

  private tone(kind: AttentionKind): void {
    const audio = this.context();
    if (!audio) return;
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    const start = audio.currentTime;
    oscillator.frequency.value = TONES[kind];
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + TONE_SECONDS);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start);
    oscillator.stop(start + TONE_SECONDS + 0.05);
  }

  private context(): AudioContext | undefined {
    if (!this.audio && typeof AudioContext === 'function') this.audio = new AudioContext();
    return this.audio;
  }
}
