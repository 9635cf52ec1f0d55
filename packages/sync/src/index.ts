export * from './content-ref.ts';
export * from './entities.ts';
export * from './event.ts';
export * from './packet.ts';
export * from './seal/envelope.ts';
export * from './seal/keys.ts';
export * from './seal/packet-opener.ts';
export * from './snapshot.ts';
