/** The automatic WhatsApp answers the connector sends on its own. */
export type AutoResponse = 'greeting' | 'closed';

const TEXTS: Readonly<Record<string, Readonly<Record<AutoResponse, string>>>> = {
  en: {
    greeting: 'Thank you for your message. An agent will answer you here shortly.',
    closed: 'This chat has ended. Write to us again at any time.',
  },
  de: {
    greeting: 'Vielen Dank für Ihre Nachricht. Ein Mitarbeiter antwortet Ihnen hier in Kürze.',
    closed: 'Dieser Chat ist beendet. Schreiben Sie uns jederzeit wieder.',
  },
  fr: {
    greeting: 'Merci pour votre message. Un conseiller vous répondra ici sous peu.',
    closed: 'Cette conversation est terminée. Écrivez-nous à tout moment.',
  },
  es: {
    greeting: 'Gracias por su mensaje. Un agente le responderá aquí en breve.',
    closed: 'Este chat ha terminado. Escríbanos de nuevo cuando quiera.',
  },
  it: {
    greeting: 'Grazie per il suo messaggio. Un operatore le risponderà qui a breve.',
    closed: 'Questa chat è terminata. Ci scriva di nuovo quando vuole.',
  },
  nl: {
    greeting: 'Bedankt voor uw bericht. Een medewerker antwoordt u hier zo snel mogelijk.',
    closed: 'Deze chat is beëindigd. Schrijf ons gerust opnieuw.',
  },
};

/** The answer in the connector's language (`de` or `de-DE`); English for a language without texts. */
export function autoResponseText(response: AutoResponse, language: string): string {
  return (TEXTS[language.slice(0, 2).toLowerCase()] ?? TEXTS.en)[response];
}
