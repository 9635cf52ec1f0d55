export * from './entities.ts';
export * from './event.ts';
export * from './packet.ts';
export * from './snapshot.ts';
