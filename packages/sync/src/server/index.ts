export * from './packetize.ts';
