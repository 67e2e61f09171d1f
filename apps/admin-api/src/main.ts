import { startService } from '@switchboard/platform';
import { AdminApiAppModule } from './admin-api-app.module';

startService(AdminApiAppModule, 'admin-api').catch(() => process.exit(1));
