// The embedded product: all four services in one process, without any fake. `npm start` runs the
// dev-only entry (dev/main.ts), which adds a local fake TynTec for the WhatsApp demo.
import { startEmbedded } from './embedded-startup';

startEmbedded().catch(() => process.exit(1));
