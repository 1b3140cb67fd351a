export * from './api.ts';
export * from './errors.ts';
export * from './event.ts';
export * from './funnel.ts';
export * from './limits.ts';
export * from './responses.ts';
export * from './types.ts';
