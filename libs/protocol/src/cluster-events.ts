import { z } from 'zod';

/** What a `reload` event asks every process to re-read from the database (the WhosOn load*.htm endpoints). */
export const RELOAD_TARGETS = ['site', 'sites', 'user', 'users', 'usergroups', 'workperiods', 'skills', 'settings'] as const;
export type ReloadTarget = (typeof RELOAD_TARGETS)[number];

const envelope = {
  /** The process that published the event (service name + node id). */
  origin: z.string().min(1).max(200),
  /** ISO-8601 time of publication. */
  at: z.string().datetime(),
};

export const parameterChangedEventSchema = z.object({
  type: z.literal('parameter.changed'),
  ...envelope,
  name: z.string().min(1).max(200),
  /** The stored value as text (what the registry parses), or null when reset to the default. */
  value: z.string().max(8192).nullable(),
  changedBy: z.string().min(1).max(200),
});

export const reloadEventSchema = z.object({
  type: z.literal('reload'),
  ...envelope,
  target: z.enum(RELOAD_TARGETS),
  /** The site key or username for `site` / `user`. */
  key: z.string().max(200).optional(),
});

/** Every event carried on the cluster's `CHAT` stream. Validated when read: a malformed event is logged and skipped. */
export const clusterEventSchema = z.discriminatedUnion('type', [parameterChangedEventSchema, reloadEventSchema]);

export type ClusterEvent = z.infer<typeof clusterEventSchema>;
export type ClusterEventType = ClusterEvent['type'];
export type ClusterEventOf<TType extends ClusterEventType> = Extract<ClusterEvent, { type: TType }>;

/** Parses an event read from the stream; the error names the offending fields. */
export function parseClusterEvent(raw: unknown): { ok: true; event: ClusterEvent } | { ok: false; error: string } {
  const result = clusterEventSchema.safeParse(raw);
  if (result.success) return { ok: true, event: result.data };
  return {
    ok: false,
    error: result.error.issues.map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`).join('; '),
  };
}
