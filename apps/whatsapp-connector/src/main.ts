import { startService } from '@switchboard/platform';
import { WhatsappConnectorAppModule } from './whatsapp-connector-app.module';

startService(WhatsappConnectorAppModule.forRoot(process.env), 'whatsapp-connector').catch(() =>
  process.exit(1),
);
