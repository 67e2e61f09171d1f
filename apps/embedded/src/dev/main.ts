// `npm start`: the embedded product plus a local fake TynTec, so that the demo has WhatsApp too.
// Dev-only: lint lets only this folder of production code import the fake.
import { startEmbedded } from '../embedded-startup';
import { whatsappDemoExtension } from './whatsapp-demo';

startEmbedded([whatsappDemoExtension()]).catch(() => process.exit(1));
