import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import { ParameterValidationError, UnknownParameterError } from '@switchboard/config';
import { PersistenceError, PersistenceErrorCode, isUniqueViolation } from '@switchboard/persistence';
import type { Request, Response } from 'express';
import { AdminErrorCode, AdminException, adminErrorStatus } from './admin.exception';
import { escapeXml } from './formats/xml';

/** Maps the admin feature's errors (and the libraries' it calls) to a status and a body in the asked format. */
@Catch()
export class AdminExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('AdminApi');

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const { status, code, message } = this.classify(error);
    if (status >= 500)
      this.logger.error(`${request.method} ${request.path} failed: ${(error as Error).stack}`);
    response.status(status);
    if (request.path.endsWith('.json') || request.path.startsWith('/api/')) {
      response.json({ error: code, message });
    } else if (request.path.endsWith('.xml')) {
      response
        .type('application/xml')
        .send(
          `<?xml version="1.0" encoding="UTF-8"?>\n<error code="${code}">${escapeXml(message)}</error>\n`,
        );
    } else {
      response.type('text/plain').send(`${message}\n`);
    }
  }

  private classify(error: unknown): { status: number; code: string; message: string } {
    if (error instanceof AdminException) {
      return { status: adminErrorStatus[error.code], code: error.code, message: error.message };
    }
    if (error instanceof UnknownParameterError) {
      return { status: 404, code: AdminErrorCode.NotFound, message: error.message };
    }
    if (error instanceof ParameterValidationError) {
      return { status: 400, code: AdminErrorCode.BadRequest, message: error.message };
    }
    if (error instanceof PersistenceError) {
      const code = persistenceCodes[error.code];
      return { status: adminErrorStatus[code], code, message: error.message };
    }
    if (isUniqueViolation(error)) {
      const code = AdminErrorCode.AlreadyExists;
      return {
        status: adminErrorStatus[code],
        code,
        message: 'something with that key or name exists already',
      };
    }
    if (error instanceof HttpException) {
      // Guards' 403 and Nest's own 4xx (a body that is not JSON …): no detail beyond the status text.
      const status = error.getStatus();
      return {
        status,
        code: status === 403 ? 'forbidden' : 'http-error',
        message: status === 403 ? 'Forbidden' : error.message,
      };
    }
    return { status: 500, code: 'internal', message: 'internal error (see the log)' };
  }
}

const persistenceCodes: Readonly<Record<PersistenceErrorCode, AdminErrorCode>> = {
  [PersistenceErrorCode.InvalidValue]: AdminErrorCode.BadRequest,
  [PersistenceErrorCode.NotFound]: AdminErrorCode.NotFound,
  [PersistenceErrorCode.Conflict]: AdminErrorCode.AlreadyExists,
  // note: a refused conditional write (the row is not in the state the change needs) is a 409 as well.
  [PersistenceErrorCode.Refused]: AdminErrorCode.InUse,
};
