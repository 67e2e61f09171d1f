import { startService } from '@switchboard/platform';
import { ClientMessengerAppModule } from './client-messenger-app.module';

startService(ClientMessengerAppModule.forRoot(process.env), 'client-messenger').catch(() => process.exit(1));
