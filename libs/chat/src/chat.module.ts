import { Module } from '@nestjs/common';
import { AgentStatuses } from './agents/agent-statuses.service';
import { ChatEvents } from './events/chat-events.service';
import { ChatIntake } from './intake/chat-intake.service';
import { TokenService } from './tokens/token.service';
import { ChatViews } from './views/chat-views.service';

/**
 * What a chat is, for every feature that handles chats (messaging, routing, WhatsApp): its read
 * model, its events on the cluster stream, its intake and its tokens. Stands on PlatformModule (the
 * bus, the settings) and PersistenceModule (the repositories).
 */
@Module({
  providers: [ChatViews, ChatEvents, ChatIntake, TokenService, AgentStatuses],
  exports: [ChatViews, ChatEvents, ChatIntake, TokenService, AgentStatuses],
})
export class ChatModule {}
