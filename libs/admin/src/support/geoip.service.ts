import { Injectable } from '@nestjs/common';

/** GeoIP data of one address (WhosOn's getgeoip.*); `found` false for private or unknown addresses. */
export interface GeoIpAnswer {
  readonly ip: string;
  readonly found: boolean;
  readonly country: string | null;
  readonly region: string | null;
  readonly city: string | null;
  readonly timezone: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly eu: boolean | null;
}

/**
 * Looks addresses up in the offline GeoLite2 database bundled with the geoip-lite package: no
 * network at run time. note: the database (~100 MB in memory) is loaded on the first lookup only.
 */
@Injectable()
export class GeoIpService {
  private database: Promise<typeof import('geoip-lite')> | undefined;

  async lookup(ip: string): Promise<GeoIpAnswer> {
    this.database ??= import('geoip-lite');
    const found = (await this.database).lookup(ip);
    const orNull = (text: string | undefined) => (text ? text : null);
    return {
      ip,
      found: found !== null,
      country: orNull(found?.country),
      region: orNull(found?.region),
      city: orNull(found?.city),
      timezone: orNull(found?.timezone),
      latitude: found?.ll[0] ?? null,
      longitude: found?.ll[1] ?? null,
      eu: found === null ? null : found.eu === '1',
    };
  }
}
