import type { Repositories } from '@switchboard/persistence';
import { randomUUID } from 'node:crypto';

/** A site and an agent in Chat status with room for `maxChats` chats; returns their keys. */
export async function seedSiteAndAgent(
  repositories: Repositories,
  options: { maxChats?: number; agents?: number } = {},
): Promise<{ siteKey: string; agents: Array<{ username: string; password: string; id: number }> }> {
  const suffix = randomUUID().slice(0, 8);
  const site = await repositories.sites.create({
    siteKey: `site-${suffix}`,
    name: 'Test site',
    domain: 'example.test',
  });
  const agents = [];
  for (let index = 0; index < (options.agents ?? 1); index += 1) {
    const username = `agent-${suffix}-${index}`;
    const password = `password-${suffix}`;
    const agent = await repositories.operators.create({
      username,
      displayName: `Agent ${index}`,
      password,
      maxChats: options.maxChats ?? 3,
    });
    agents.push({ username, password, id: agent.id });
  }
  return { siteKey: site.siteKey, agents };
}
