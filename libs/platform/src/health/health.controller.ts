import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { SERVICE_INFO, type ServiceInfo } from '../platform.tokens';
import { DrainState } from './drain-state';
import { HealthIndicators } from './health-indicators';

/**
 * `/health` answers 200 as long as the process serves HTTP and is not shutting down (HAProxy's
 * check route: 503 while draining moves new clients to the other nodes);
 * `/health/ready` runs every dependency check and answers 503 when one fails (readiness).
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(SERVICE_INFO) private readonly serviceInfo: ServiceInfo,
    private readonly indicators: HealthIndicators,
    private readonly drain: DrainState,
  ) {}

  @Get()
  live(@Res({ passthrough: true }) response: Response) {
    response.status(this.drain.draining ? 503 : 200);
    return {
      status: this.drain.draining ? 'draining' : 'ok',
      service: this.serviceInfo.service,
      version: this.serviceInfo.version,
      uptimeSeconds: Math.round((Date.now() - this.serviceInfo.startedAt.getTime()) / 1000),
    };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response) {
    const checks = await this.indicators.runAll();
    const ok = !this.drain.draining && checks.every((check) => check.ok);
    response.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', service: this.serviceInfo.service, checks };
  }
}
