import { randomBytes } from 'node:crypto';
import type { OpenChatInput } from '../chats/chat.repository';
import type { NewOperator } from '../operators/operator.repository';
import type { Repositories } from '../repositories';
import type { NewSite } from '../sites/site.repository';

/** A name no other test (or earlier run against the same database) has used. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** The password every {@link makeOperator} operator gets unless overridden. */
export const testPassword = 'correct horse battery staple';

/** A site with a unique key; override any field. */
export function makeSite(repositories: Repositories, overrides: Partial<NewSite> = {}) {
  return repositories.sites.create({
    siteKey: uniqueName('site'),
    name: 'Test site',
    domain: 'example.test',
    ...overrides,
  });
}

/** An operator with a unique username who can take two chats; override any field. */
export function makeOperator(repositories: Repositories, overrides: Partial<NewOperator> = {}) {
  return repositories.operators.create({
    username: uniqueName('agent'),
    displayName: 'Test Agent',
    password: testPassword,
    maxChats: 2,
    ...overrides,
  });
}

/** A waiting web chat from a fresh visitor, on a fresh site unless `siteId` is given. */
export async function makeChat(repositories: Repositories, overrides: Partial<OpenChatInput> = {}) {
  const siteId = overrides.siteId ?? (await makeSite(repositories)).id;
  const { chat } = await repositories.chats.open({
    channel: 'web',
    visitorKey: uniqueName('visitor'),
    visitorName: 'Test Visitor',
    ...overrides,
    siteId,
  });
  return chat;
}
