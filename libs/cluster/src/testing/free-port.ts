import { createServer } from 'node:net';

/** Resolves true when nothing listens on `port` (checked by binding it, on all interfaces, like a member). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/**
 * `count` free ports from `from`..`to`, starting at a random point so parallel test runs rarely
 * race for the same ports.
 */
export async function findFreePorts(count: number, from: number, to: number): Promise<number[]> {
  const size = to - from + 1;
  const offset = Math.floor(Math.random() * size);
  const ports: number[] = [];
  for (let index = 0; index < size && ports.length < count; index += 1) {
    const port = from + ((offset + index) % size);
    if (await isPortFree(port)) {
      ports.push(port);
    }
  }
  if (ports.length < count) {
    throw new Error(`only ${ports.length} of ${count} ports free in ${from}-${to}`);
  }
  return ports;
}
