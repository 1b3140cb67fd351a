import { ApiError } from '../errors.ts';
import { SpoolClosedError, SpoolFullError, SpoolWriteError } from './spool.ts';

/**
 * Turns a failed spool append into the client's answer: always 503 `store_unavailable` with a
 * `Retry-After`, so the snippet keeps the events and sends them again. Never a silent drop.
 * Anything else is a bug and goes on to the 500 handler.
 */
export function spoolRefusal(err: unknown): never {
  if (err instanceof SpoolFullError) {
    throw new ApiError('store_unavailable', 'Store unavailable and spool full; retry later', undefined, {
      'Retry-After': '30',
    });
  }
  if (err instanceof SpoolClosedError) {
    throw new ApiError('store_unavailable', 'Server is shutting down; retry later', undefined, {
      'Retry-After': '5',
    });
  }
  if (!(err instanceof SpoolWriteError)) throw err;
  throw new ApiError('store_unavailable', 'Events could not be written; retry later', undefined, {
    'Retry-After': '10',
  });
}
