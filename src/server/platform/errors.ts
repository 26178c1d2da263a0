/** One field's problem, addressed by its path in the request (`body.email`, `query.limit`). */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * The one error type services throw. `code` is stable (clients branch on it), `status` is the HTTP status,
 * and the error handler turns it into an `application/problem+json` document.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    options?: { cause?: unknown },
  ) {
    super(detail ?? title, options);
  }
}

/** 404: the thing does not exist, or the caller may not know that it does. */
export const NotFound = (what = 'resource') =>
  new AppError(404, 'not_found', 'Not found', `${what} not found`);
/** 400 with per-field messages. */
export const Invalid = (detail: string, errors?: FieldError[]) =>
  new AppError(400, 'invalid', 'Invalid request', detail, errors);
/** 409: the request conflicts with the current state. */
export const Conflict = (detail: string, code = 'conflict', errors?: FieldError[]) =>
  new AppError(409, code, 'Conflict', detail, errors);
/** 403: the caller is known but may not do this (for things it may see). */
export const Forbidden = (detail = 'you may not do this') =>
  new AppError(403, 'forbidden', 'Forbidden', detail);
/** 401: no valid session or token. */
export const Unauthenticated = (detail = 'sign in first') =>
  new AppError(401, 'unauthenticated', 'Unauthenticated', detail);
/** 412: `If-Match` names a version that is no longer current. */
export const Stale = () =>
  new AppError(
    412,
    'stale',
    'Precondition failed',
    'it was changed by someone else meanwhile: reload and try again',
  );
/** 428: an update without `If-Match`. */
export const PreconditionRequired = () =>
  new AppError(428, 'precondition_required', 'Precondition required', 'send If-Match with the ETag you read');
/** 429: too many attempts. */
export const TooMany = (detail: string, code = 'too_many_attempts') =>
  new AppError(429, code, 'Too many requests', detail);
/** 415: a body of a media type the route does not take. */
export const UnsupportedMedia = (detail: string) =>
  new AppError(415, 'unsupported_media_type', 'Unsupported media type', detail);
