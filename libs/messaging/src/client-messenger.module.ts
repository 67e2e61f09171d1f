import { Module } from '@nestjs/common';
import { ChatModule } from '@switchboard/chat';
import type { Environment } from '@switchboard/config';
import { ENVIRONMENT } from '@switchboard/platform';
import { ClientAddresses } from './client-address';
import { IdentityModule } from '@switchboard/identity';
import { AgentChatService } from './agent-chat.service';
import { AgentTransferService } from './agent-transfer.service';
import { AgentGateway } from './agent.gateway';
import { AgentPresenceTracker } from './agent-presence.service';
import { AgentStatusPush } from './agent-status-push.service';
import { ChatDelivery } from './chat-delivery.service';
import { ChatLookup } from './chat-lookup.service';
import { GuiController } from './gui/gui.controller';
import { LineWriter } from './line-writer.service';
import { QueuePickup } from './queue-pickup.service';
import { MessengerReloads } from './reload-handlers.service';
import { SocketLimits } from './socket-limits';
import { SsoController } from './sso/sso.controller';
import { SocketStateResync } from './socket-state-resync.service';
import { SessionRevocations } from './session-revocations';
import { SiteTextRules } from './text-rules.service';
import { TypingCoalescer } from './typing-coalescer';
import { VisitorChatService } from './visitor-chat.service';
import { VisitorGateway } from './visitor.gateway';

/**
 * The ClientMessenger feature: the visitor and agent socket.io namespaces, the chat use cases
 * behind them and the delivery of the cluster stream to this node's sockets.
 */
@Module({
  imports: [ChatModule, IdentityModule],
  controllers: [GuiController, SsoController],
  providers: [
    {
      provide: ClientAddresses,
      inject: [ENVIRONMENT],
      useFactory: (environment: Environment) => ClientAddresses.fromEnvironment(environment),
    },
    ChatLookup,
    LineWriter,
    QueuePickup,
    MessengerReloads,
    SiteTextRules,
    VisitorChatService,
    AgentChatService,
    AgentTransferService,
    AgentStatusPush,
    AgentPresenceTracker,
    ChatDelivery,
    SocketStateResync,
    SessionRevocations,
    SocketLimits,
    TypingCoalescer,
    VisitorGateway,
    AgentGateway,
  ],
  exports: [VisitorChatService, AgentChatService],
})
export class ClientMessengerModule {}
