import { startService } from '@switchboard/platform';
import { RoutingAppModule } from './routing-app.module';

startService(RoutingAppModule.forRoot(process.env), 'routing').catch(() => process.exit(1));
