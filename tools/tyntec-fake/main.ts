import { parseArgs } from 'node:util';
import { FakeTyntec } from './fake-tyntec';

const USAGE = `Usage: npm run tyntec-fake -- [--port 4010] [--host 127.0.0.1] [--api-key KEY] [--allow-http-callbacks]

A local fake of the TynTec Conversations API v2 (WhatsApp): POST /chat-api/v2/messages, media,
applications/default, mark read, and the test-control API under /__fake/ (docs/whatsapp.md).

  --port N                 listen port (default 4010; 0 = any free port)
  --host ADDRESS           listen address (default 127.0.0.1)
  --api-key KEY            the apikey header every call must carry (default test-api-key)
  --allow-http-callbacks   accept http:// callback URLs in PATCH applications/default
  --help                   this text`;

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      'api-key': { type: 'string' },
      'allow-http-callbacks': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const fake = new FakeTyntec({
    apiKey: values['api-key'],
    allowHttpCallbacks: values['allow-http-callbacks'],
  });
  const baseUrl = await fake.start({ port: Number(values.port), host: values.host });
  process.stdout.write(`tyntec-fake listening on ${baseUrl}/chat-api/v2\n`);
  process.once('SIGINT', () => void fake.stop());
  process.once('SIGTERM', () => void fake.stop());
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`tyntec-fake: ${(error as Error).message}\nRun with --help for the options.\n`);
    process.exitCode = 2;
  });
}
