import { applyDecorators, Controller, UseFilters, UseGuards } from '@nestjs/common';
import { AdminAccessGuard } from '../access/admin-access.guard';
import { AdminExceptionFilter } from '../admin-exception.filter';

/** A controller of the admin interface: whitelist + auth string on every route, errors mapped once. */
export function AdminController(prefix = ''): ClassDecorator {
  return applyDecorators(Controller(prefix), UseGuards(AdminAccessGuard), UseFilters(AdminExceptionFilter));
}
