import type { Request } from 'express';
import { z } from 'zod';
import { parseInput } from './query';

/** Who made a change through the admin interface, for the audit trail. */
export interface AdminActor {
  /** The administrator's username when they came with their session; else the `by=` the sysadmin passed, or `admin`. */
  readonly actor: string;
  readonly remoteAddress: string;
}

/** The requests the access guard let in on an administrator's session token, with that administrator's username. */
export const signedInAdministrators = new WeakMap<Request, string>();

const byQuery = z.object({ by: z.string().trim().min(1).max(100).optional() });

export function actorOf(request: Request): AdminActor {
  const { by } = parseInput(byQuery, { by: request.query.by });
  return {
    actor: signedInAdministrators.get(request) ?? by ?? 'admin',
    remoteAddress: (request.socket.remoteAddress ?? 'unknown').slice(0, 45),
  };
}
