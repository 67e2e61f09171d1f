import { Module } from '@nestjs/common';

/**
 * The routing feature: everything this service does, without the process around it, so that the
 * embedded all-in-one composes it with the others in one process.
 */
@Module({})
export class RoutingModule {}
