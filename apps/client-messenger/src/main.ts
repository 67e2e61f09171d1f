import { startService } from '@switchboard/platform';
import { ClientMessengerAppModule } from './client-messenger-app.module';

startService(ClientMessengerAppModule, 'client-messenger').catch(() => process.exit(1));
