import { startService } from '@switchboard/platform';
import { RoutingAppModule } from './routing-app.module';

startService(RoutingAppModule, 'routing').catch(() => process.exit(1));
