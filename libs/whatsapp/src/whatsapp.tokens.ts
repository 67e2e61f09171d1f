/** Injection token of the connector's {@link WhatsappSettings}. */
export const WHATSAPP_SETTINGS = Symbol('WHATSAPP_SETTINGS');
