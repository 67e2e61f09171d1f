import { isE164 } from '@switchboard/protocol';
import { z } from 'zod';

const phoneNumber = z
  .string()
  .trim()
  .refine(
    (value) => isE164(value.replace(/^\+/, '')),
    'must be an E.164 number (+ and 2-15 digits, no leading 0)',
  );

export const newChatConnectorBody = z
  .object({
    siteKey: z.string().trim().min(1).max(64),
    phoneNumber,
    apiKey: z.string().trim().min(9, 'must be the whole TynTec API key').max(512),
    /** Language of the automatic WhatsApp answers (greeting, queue position, outside hours, chat closed). */
    language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be like "en" or "de-DE"'),
    skill: z.string().trim().min(1).max(100).nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export const chatConnectorChangesBody = newChatConnectorBody.omit({ siteKey: true }).partial().strict();

export const limitQuery = z.object({
  limit: z
    .string()
    .regex(/^\d{1,4}$/, 'must be a whole number up to 9999')
    .transform(Number)
    .optional(),
});
