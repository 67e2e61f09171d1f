import { startService } from '@switchboard/platform';
import { AdminApiAppModule } from './admin-api-app.module';

startService(AdminApiAppModule.forRoot(process.env), 'admin-api').catch(() => process.exit(1));
