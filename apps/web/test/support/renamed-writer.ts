import type { Runtime } from '../../src/server/runtime.ts';
import type { TestUser } from './users.ts';

/**
 * The path by which a hidden being's renames once leaked: `owner` puts a bot named `name` in `home`, the bot
 * writes in `wroteIn`, and is then renamed `renamedTo`. A rename goes to the streams of the spaces the being
 * shows in (domain/appearances.ts), so `wroteIn`'s viewers get it unless `home` is hidden from them.
 */
export async function renamedWriter(
  runtime: Runtime,
  owner: TestUser,
  bot: { name: string; home: string; wroteIn: string; renamedTo: string },
): Promise<{ id: string }> {
  const { id } = await owner.api.being.create({ name: bot.name, type: 'bot', locationId: bot.home });
  await runtime.domain.intentions.create({
    ownerId: id,
    spaceId: bot.wroteIn,
    content: 'psst',
    state: 'complete',
  });
  await owner.api.being.update({ id, name: bot.renamedTo });
  return { id };
}
