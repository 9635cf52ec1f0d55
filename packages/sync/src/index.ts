export * from './entities.ts';
export * from './event.ts';
