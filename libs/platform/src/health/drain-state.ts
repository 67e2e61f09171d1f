import { Injectable } from '@nestjs/common';

/** Set when the process starts shutting down: liveness answers 503 so HAProxy stops sending it clients. */
@Injectable()
export class DrainState {
  private drainingSince: Date | undefined;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  start(): void {
    this.drainingSince ??= new Date();
  }
}
