export * from './activity.ts';
export * from './auth.ts';
export * from './beings.ts';
export * from './intentions.ts';
export * from './sync.ts';
