import { loadBeing } from './access.ts';
import { insertBeing } from './beings.ts';
import type { Write } from './write.ts';

export const SEED_SPACE_ID = '@intraliminal';
export const SEED_BOT_ID = '@assistant';

/**
 * First start: the public space `@intraliminal` and an assistant bot located in it, owned by no one
 * (only a superuser may change them). Runs when the space is missing, so it is idempotent.
 */
export async function seed(write: Write): Promise<{ created: boolean }> {
  return write(async (scope) => {
    if (await loadBeing(scope.tx, SEED_SPACE_ID)) return { created: false };
    await insertBeing(scope, {
      id: SEED_SPACE_ID,
      name: 'intraliminal',
      type: 'space',
      ownerId: null,
      locationId: null,
      content: 'The commons of rhizom: a public space where everyone arrives. Say hello.',
      properties: {},
      visibility: 'public',
    });
    await insertBeing(scope, {
      id: SEED_BOT_ID,
      name: 'Assistant',
      type: 'bot',
      ownerId: null,
      locationId: SEED_SPACE_ID,
      content: 'The resident assistant of intraliminal. It answers what people say here.',
      properties: {},
      visibility: null,
    });
    return { created: true };
  });
}
