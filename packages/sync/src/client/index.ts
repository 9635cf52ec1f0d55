export * from './liveness.ts';
export * from './open-packet.ts';
export * from './presence.ts';
export * from './space-connection.ts';
export * from './store.ts';
export * from './sync-client.ts';
export * from './types.ts';
