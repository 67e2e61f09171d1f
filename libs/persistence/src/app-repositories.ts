import type { INestApplicationContext } from '@nestjs/common';
import { ChatLineRepository } from './chats/chat-line.repository';
import { assembleRepositories, type Repositories } from './repositories';

/** The repositories a running app injects, by their names in {@link Repositories}: a test writes through the app's own. */
export function appRepositories(app: INestApplicationContext): Repositories {
  return assembleRepositories((Repository) => app.get(Repository), app.get(ChatLineRepository));
}
