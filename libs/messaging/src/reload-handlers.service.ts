import { Injectable, type OnModuleInit } from '@nestjs/common';
import { OperatorRepository } from '@switchboard/persistence';
import { ReloadApplier } from '@switchboard/platform';
import { ChatLookup } from './chat-lookup.service';
import { SiteTextRules } from './text-rules.service';
import type { AgentNamespace } from './socket-types';

/**
 * What this node caches of users and sites, re-read on `reload`: the agent record each signed-in
 * connection holds (name, capacity, skills, group: `loaduser`, `loadallusers`, `loadusergroups`,
 * `loadskills`), the chats' facts and the sites' text rules (`loadsite`, `loadallsites`).
 */
@Injectable()
export class MessengerReloads implements OnModuleInit {
  private agentNamespace: AgentNamespace | null = null;

  constructor(
    private readonly reloads: ReloadApplier,
    private readonly operators: OperatorRepository,
    private readonly lookup: ChatLookup,
    private readonly textRules: SiteTextRules,
  ) {}

  onModuleInit(): void {
    this.reloads.register('signed-in agents', ['user', 'users', 'usergroups', 'skills'], (event) =>
      this.refreshAgents(event.key),
    );
    this.reloads.register('chat facts', ['site', 'sites'], () => this.lookup.forgetAll());
    this.reloads.register('site text rules', ['site', 'sites'], () => this.textRules.forgetAll());
  }

  /** The agent namespace of this node, once the gateway is up. */
  attach(namespace: AgentNamespace): void {
    this.agentNamespace = namespace;
  }

  /** Re-reads the record of every connection signed in as `username` (every user without one). */
  private async refreshAgents(username: string | undefined): Promise<void> {
    const sockets = [...(this.agentNamespace?.sockets.values() ?? [])].filter(
      (socket) => socket.data.agent && (username === undefined || socket.data.agent.username === username),
    );
    for (const socket of sockets) {
      const current = await this.operators.findById(socket.data.agent!.id);
      // A user deleted meanwhile is signed out: their next request must log in again.
      socket.data.agent = current ?? undefined;
    }
  }
}
