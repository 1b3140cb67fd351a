export * from './api.ts';
export * from './errors.ts';
export * from './event.ts';
export * from './export.ts';
export * from './limits.ts';
export * from './orders.ts';
export * from './server-events.ts';
export * from './types.ts';
