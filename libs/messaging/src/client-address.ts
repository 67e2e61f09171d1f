import { parseEnvironment, type Environment } from '@switchboard/config';
import { addressListVariable, withoutIpv4Mapping, type AddressList } from '@switchboard/platform';
import { isIP } from 'node:net';
import type { Socket } from 'socket.io';
import { z } from 'zod';

const clientAddressEnvironmentSchema = z.object({
  // The proxies whose X-Forwarded-For is believed: HAProxy on the same host by default.
  SWITCHBOARD_TRUSTED_PROXIES: addressListVariable(['127.0.0.1', '::1']),
});

/**
 * A socket's client address (recorded on the chat, matched by BX blocks). `X-Forwarded-For` is
 * written by whoever sends the request, so it is believed only from a trusted proxy, and only the
 * hops the trusted proxies added: read from the right, the first hop that is not a trusted proxy is
 * the client. HAProxy replaces the header with the address it sees (`set-header X-Forwarded-For
 * %[src]`), so behind it the header holds one hop.
 */
export class ClientAddresses {
  constructor(private readonly trustedProxies: AddressList) {}

  /** Reads SWITCHBOARD_TRUSTED_PROXIES (addresses and CIDR ranges; default `127.0.0.1,::1`). */
  static fromEnvironment(environment: Environment): ClientAddresses {
    return new ClientAddresses(
      parseEnvironment(clientAddressEnvironmentSchema, environment).SWITCHBOARD_TRUSTED_PROXIES,
    );
  }

  of(socket: Socket): string | null {
    const peer = socket.handshake.address ? withoutIpv4Mapping(socket.handshake.address) : null;
    return peer === null ? null : this.resolve(peer, socket.handshake.headers['x-forwarded-for']);
  }

  /** The client behind `peer`, given the X-Forwarded-For header it sent. */
  resolve(peer: string, forwardedFor: string | string[] | undefined): string {
    const hops = [forwardedFor ?? []]
      .flat()
      .join(',')
      .split(',')
      .map((hop) => withoutIpv4Mapping(hop.trim()));
    let address = peer;
    // Walk back while the address at hand is a trusted proxy: the hop before it is what it saw.
    while (this.trustedProxies.allows(address)) {
      const hop = hops.pop();
      if (hop === undefined || isIP(hop) === 0) break;
      address = hop;
    }
    return address;
  }
}
