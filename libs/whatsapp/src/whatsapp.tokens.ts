/** Injection token of the connector's {@link WhatsappSettings}. */
export const WHATSAPP_SETTINGS = Symbol('WHATSAPP_SETTINGS');

/** Injection token of the cluster-wide {@link OutboundLinks} signer. */
export const OUTBOUND_LINKS = Symbol('OUTBOUND_LINKS');
