import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { SERVICE_INFO, type ServiceInfo } from '../platform.tokens';
import { HealthIndicators } from './health-indicators';

/**
 * `/health` answers as long as the process serves HTTP (liveness; HAProxy's check route);
 * `/health/ready` runs every dependency check and answers 503 when one fails (readiness).
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(SERVICE_INFO) private readonly serviceInfo: ServiceInfo,
    private readonly indicators: HealthIndicators,
  ) {}

  @Get()
  @HttpCode(200)
  live() {
    return {
      status: 'ok',
      service: this.serviceInfo.service,
      version: this.serviceInfo.version,
      uptimeSeconds: Math.round((Date.now() - this.serviceInfo.startedAt.getTime()) / 1000),
    };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response) {
    const checks = await this.indicators.runAll();
    const ok = checks.every((check) => check.ok);
    response.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', service: this.serviceInfo.service, checks };
  }
}
