import { LogRing } from '@switchboard/platform';
import { Get, Inject, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { formatOf, sendAs } from '../formats/respond';
import { GeoIpService } from '../support/geoip.service';
import { geoIpQuery, parseInput } from '../support/query';
import { renderStatusPage } from './status-page';
import { StatusService } from './status.service';
import { AdminController } from './whoson.decorators';

/** WhosOn's server endpoints: the status page, status.xml/json, getgeoip.*, getlog.txt. */
@AdminController()
export class StatusController {
  constructor(
    private readonly status: StatusService,
    private readonly geoIp: GeoIpService,
    @Inject(LogRing) private readonly log: LogRing,
  ) {}

  @Get(['', 'index.htm'])
  async index(@Res() response: Response): Promise<void> {
    response.type('text/html; charset=utf-8').send(renderStatusPage(await this.status.status()));
  }

  @Get(['status.xml', 'status.json'])
  async statusDocument(@Req() request: Request, @Res() response: Response): Promise<void> {
    sendAs(response, formatOf(request), await this.status.status(), { root: 'status', title: 'Status' });
  }

  @Get(['getgeoip.txt', 'getgeoip.xml', 'getgeoip.htm', 'getgeoip.json'])
  async geoIpLookup(
    @Query() query: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const { ip } = parseInput(geoIpQuery, query);
    sendAs(response, formatOf(request), await this.geoIp.lookup(ip), { root: 'geoip', title: `GeoIP ${ip}` });
  }

  @Get('getlog.txt')
  logText(@Res() response: Response): void {
    response.type('text/plain; charset=utf-8').send(this.log.text());
  }
}
