import type { IntentionView } from '@rhizom/sync';
import type { Logger } from 'pino';
import type { Database } from '../db/database.ts';
import { createBeingService } from './beings.ts';
import { createBotSecretService } from './bot-secrets.ts';
import { createIntentionService } from './intentions.ts';
import { createSpaceService } from './spaces.ts';
import { createUserService } from './users.ts';
import { createWrite, type OnAccessNarrowed, type OnCommitted } from './write.ts';

export interface DomainOptions {
  db: Database;
  /** Hears the space ids whose sync streams got events, right after each commit. */
  onCommitted?: OnCommitted;
  /** Hears the spaces fewer beings may see after a commit, so their live connections can be checked. */
  onAccessNarrowed?: OnAccessNarrowed;
  /** Hears each person's utterance after it commits. */
  onUtterance?: (utterance: IntentionView) => void;
  logger?: Logger;
  /** Domain writes queue among themselves, one at the database at a time (`createWrite`); for PGlite. */
  oneWriteAtATime?: boolean;
}

/** The domain services: the only code that writes rows. Each write is one transaction with its sync events. */
export function createDomain(options: DomainOptions) {
  const write = createWrite({ ...options, oneAtATime: options.oneWriteAtATime });
  const deps = { db: options.db, write };
  return {
    write,
    beings: createBeingService(deps),
    spaces: createSpaceService(deps),
    intentions: createIntentionService({ ...deps, onUtterance: options.onUtterance }),
    botSecrets: createBotSecretService(deps),
    users: createUserService(deps),
  };
}

export type Domain = ReturnType<typeof createDomain>;
export type { Actor, Viewer } from './actor.ts';
export { DomainError } from './errors.ts';
export { LIMITS } from './limits.ts';
export type { OnAccessNarrowed, OnCommitted } from './write.ts';
