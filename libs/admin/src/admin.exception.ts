/** Why the admin interface refused a request; each code maps to one HTTP status at the edge. */
export enum AdminErrorCode {
  /** A query parameter or body field is missing or malformed. */
  BadRequest = 'bad-request',
  /** The site, user, chat … named does not exist. */
  NotFound = 'not-found',
  /** The thing is in use (a site with open chats, a user in a chat) and was left as it was. */
  InUse = 'in-use',
  /** Something with that key or name exists already. */
  AlreadyExists = 'already-exists',
}

export const adminErrorStatus: Readonly<Record<AdminErrorCode, number>> = {
  [AdminErrorCode.BadRequest]: 400,
  [AdminErrorCode.NotFound]: 404,
  [AdminErrorCode.InUse]: 409,
  [AdminErrorCode.AlreadyExists]: 409,
};

/** The one exception type of the admin feature. */
export class AdminException extends Error {
  constructor(
    readonly code: AdminErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AdminException';
  }

  static notFound(what: string): AdminException {
    return new AdminException(AdminErrorCode.NotFound, `${what} does not exist`);
  }
}
