/** The automatic WhatsApp answers the connector sends on its own. */
export type AutoResponse =
  'greeting' | 'queuePosition' | 'outsideHours' | 'noAgents' | 'queueFull' | 'queueTimeout' | 'closed';

/** What a queue-position answer says: the place, and the expected wait when the ACD has an estimate. */
export interface QueueValues {
  readonly position: number;
  readonly expectedWaitSeconds: number | null;
}

type Texts = Readonly<Record<AutoResponse | 'expectedWait', string>>;

const TEXTS: Readonly<Record<string, Texts>> = {
  en: {
    greeting: 'Thank you for your message. An agent will answer you here shortly.',
    queuePosition: 'You are number {position} in the queue.',
    expectedWait: 'Expected wait: about {minutes} min.',
    outsideHours: 'We are closed at the moment. Please write to us again during our opening hours.',
    noAgents: 'No agent is available at the moment. Please write to us again later.',
    queueFull: 'All our agents are busy at the moment. Please write to us again later.',
    queueTimeout: 'We are sorry, no agent could answer you in time. Please write to us again.',
    closed: 'This chat has ended. Write to us again at any time.',
  },
  de: {
    greeting: 'Vielen Dank für Ihre Nachricht. Ein Mitarbeiter antwortet Ihnen hier in Kürze.',
    queuePosition: 'Sie sind Nummer {position} in der Warteschlange.',
    expectedWait: 'Voraussichtliche Wartezeit: etwa {minutes} Min.',
    outsideHours: 'Wir sind gerade nicht erreichbar. Bitte schreiben Sie uns während unserer Öffnungszeiten.',
    noAgents: 'Gerade ist kein Mitarbeiter erreichbar. Bitte schreiben Sie uns später wieder.',
    queueFull: 'Alle Mitarbeiter sind gerade beschäftigt. Bitte schreiben Sie uns später wieder.',
    queueTimeout:
      'Leider konnte Ihnen kein Mitarbeiter rechtzeitig antworten. Bitte schreiben Sie uns erneut.',
    closed: 'Dieser Chat ist beendet. Schreiben Sie uns jederzeit wieder.',
  },
  fr: {
    greeting: 'Merci pour votre message. Un conseiller vous répondra ici sous peu.',
    queuePosition: "Vous êtes numéro {position} dans la file d'attente.",
    expectedWait: 'Attente estimée : environ {minutes} min.',
    outsideHours: "Nous sommes fermés pour le moment. Écrivez-nous pendant nos heures d'ouverture.",
    noAgents: "Aucun conseiller n'est disponible pour le moment. Écrivez-nous plus tard.",
    queueFull: 'Tous nos conseillers sont occupés pour le moment. Écrivez-nous plus tard.',
    queueTimeout:
      "Nous sommes désolés, aucun conseiller n'a pu vous répondre à temps. Écrivez-nous à nouveau.",
    closed: 'Cette conversation est terminée. Écrivez-nous à tout moment.',
  },
  es: {
    greeting: 'Gracias por su mensaje. Un agente le responderá aquí en breve.',
    queuePosition: 'Es usted el número {position} en la cola.',
    expectedWait: 'Espera estimada: unos {minutes} min.',
    outsideHours: 'Ahora estamos cerrados. Escríbanos durante nuestro horario de atención.',
    noAgents: 'No hay ningún agente disponible en este momento. Escríbanos más tarde.',
    queueFull: 'Todos nuestros agentes están ocupados en este momento. Escríbanos más tarde.',
    queueTimeout: 'Lo sentimos, ningún agente pudo atenderle a tiempo. Escríbanos de nuevo.',
    closed: 'Este chat ha terminado. Escríbanos de nuevo cuando quiera.',
  },
  it: {
    greeting: 'Grazie per il suo messaggio. Un operatore le risponderà qui a breve.',
    queuePosition: 'Lei è il numero {position} in coda.',
    expectedWait: 'Attesa prevista: circa {minutes} min.',
    outsideHours: 'Al momento siamo chiusi. Ci scriva durante i nostri orari di apertura.',
    noAgents: 'Al momento nessun operatore è disponibile. Ci scriva più tardi.',
    queueFull: 'Tutti i nostri operatori sono occupati. Ci scriva più tardi.',
    queueTimeout: 'Ci dispiace, nessun operatore ha potuto risponderle in tempo. Ci scriva di nuovo.',
    closed: 'Questa chat è terminata. Ci scriva di nuovo quando vuole.',
  },
  nl: {
    greeting: 'Bedankt voor uw bericht. Een medewerker antwoordt u hier zo snel mogelijk.',
    queuePosition: 'U bent nummer {position} in de wachtrij.',
    expectedWait: 'Verwachte wachttijd: ongeveer {minutes} min.',
    outsideHours: 'We zijn op dit moment gesloten. Schrijf ons tijdens onze openingstijden.',
    noAgents: 'Er is op dit moment geen medewerker beschikbaar. Schrijf ons later opnieuw.',
    queueFull: 'Al onze medewerkers zijn op dit moment bezet. Schrijf ons later opnieuw.',
    queueTimeout: 'Het spijt ons, er kon u niet op tijd een medewerker antwoorden. Schrijf ons opnieuw.',
    closed: 'Deze chat is beëindigd. Schrijf ons gerust opnieuw.',
  },
};

/** The answer a chat that routing ended (`chat.state` code) gets: the reason in the customer's words. */
export function endingResponse(code: string | null): AutoResponse {
  switch (code) {
    case 'OO':
      return 'outsideHours';
    case 'OF':
      return 'noAgents';
    case 'CQM':
    case 'CQT':
      return 'queueFull';
    case 'QTO':
      return 'queueTimeout';
    case null:
    default:
      return 'closed';
  }
}

/**
 * The answer in the connector's language (`de` or `de-DE`); English for a language without texts.
 * `queuePosition` needs `queue`.
 */
export function autoResponseText(response: AutoResponse, language: string, queue?: QueueValues): string {
  const texts = TEXTS[language.slice(0, 2).toLowerCase()] ?? TEXTS.en;
  if (response !== 'queuePosition') return texts[response];
  if (!queue) throw new Error('the queue-position answer needs the position');
  const position = texts.queuePosition.replace('{position}', String(queue.position));
  if (queue.expectedWaitSeconds === null) return position;
  const minutes = String(Math.max(1, Math.round(queue.expectedWaitSeconds / 60)));
  return `${position} ${texts.expectedWait.replace('{minutes}', minutes)}`;
}
