import { refuse, variable } from '@switchboard/config';
import { BlockList, isIP } from 'node:net';

/**
 * A set of hosts (the admin whitelist, the trusted proxies): single addresses and CIDR ranges, IPv4
 * and IPv6. An IPv4 client seen through an IPv6 socket (`::ffff:10.0.0.1`) is matched as IPv4.
 */
export class AddressList {
  private readonly blockList = new BlockList();

  /** Throws with every bad entry named when `entries` holds something that is neither an address nor a range. */
  constructor(readonly entries: readonly string[]) {
    const problems: string[] = [];
    for (const entry of entries) {
      const [address, prefix, extra] = entry.split('/');
      const family = isIP(address ?? '');
      const bits = prefix === undefined ? undefined : Number(prefix);
      const maxBits = family === 6 ? 128 : 32;
      if (family === 0 || extra !== undefined || (bits !== undefined && !isPrefix(bits, maxBits))) {
        problems.push(entry);
        continue;
      }
      const type = family === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.blockList.addAddress(address, type);
      else this.blockList.addSubnet(address, bits, type);
    }
    if (problems.length > 0) {
      throw new Error(
        `not an address or CIDR range: ${problems.map((entry) => JSON.stringify(entry)).join(', ')}`,
      );
    }
  }

  /** Parses a comma-separated list such as `127.0.0.1,::1,10.0.0.0/8`. */
  static parse(list: string): AddressList {
    return new AddressList(
      list
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    );
  }

  allows(remoteAddress: string | undefined): boolean {
    if (remoteAddress === undefined) return false;
    const address = withoutIpv4Mapping(remoteAddress);
    const family = isIP(address);
    if (family === 0) return false;
    return this.blockList.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/** `::ffff:10.0.0.1` (an IPv4 client on an IPv6 socket) as `10.0.0.1`; anything else unchanged. */
export function withoutIpv4Mapping(address: string): string {
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}

function isPrefix(bits: number, maxBits: number): boolean {
  return Number.isInteger(bits) && bits >= 0 && bits <= maxBits;
}

/** An environment variable holding an {@link AddressList}: addresses and CIDR ranges, comma-separated. */
export function addressListVariable(fallback: readonly string[]) {
  return variable<AddressList>((raw) => {
    try {
      return AddressList.parse(raw);
    } catch (error) {
      return refuse(`must list addresses or CIDR ranges, comma-separated: ${(error as Error).message}`);
    }
  }, new AddressList(fallback));
}
