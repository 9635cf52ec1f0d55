import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/database.ts';
import { captureLogs } from '../support/log-capture.ts';
import { type TestRuntime, testRuntime } from '../support/runtime.ts';
import { signInAsGuest, signUp } from '../support/users.ts';

describe.each(databaseKinds)('audit lines (%s)', (kind) => {
  const { logger, lines } = captureLogs();
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await testRuntime(kind, { logger });
  });
  afterAll(() => runtime?.dispose());

  const audits = () => lines.filter((line) => line.component === 'audit');
  /** An audit line without pino's own fields (time, pid, hostname, level, msg). */
  const fields = ({
    time: _t,
    pid: _p,
    hostname: _h,
    level: _l,
    msg: _m,
    ...rest
  }: Record<string, unknown>) => rest;

  it('records sign-ups, sign-ins, space creation, membership changes and deletions, once each', async () => {
    const owner = await signUp(runtime, 'Audit Owner');
    const guest = await signInAsGuest(runtime, 'Audit Guest');
    expect(audits()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'signed up', being: owner.actor.beingId, guest: false }),
        expect.objectContaining({ action: 'signed up', being: guest.actor.beingId, guest: true }),
        expect.objectContaining({ action: 'signed in', user: owner.userId }),
        expect.objectContaining({ action: 'signed in', user: guest.userId }),
      ]),
    );
    lines.length = 0;

    const space = await owner.api.being.create({ name: 'Audit Room', type: 'space' });
    await guest.api.space.join({ spaceId: space.id });
    await guest.api.space.join({ spaceId: space.id });
    await guest.api.space.leave({ spaceId: space.id });
    await owner.api.space.addMember({ spaceId: space.id, beingId: guest.actor.beingId });
    await owner.api.space.removeMember({ spaceId: space.id, beingId: guest.actor.beingId });
    await expect(
      guest.api.space.removeMember({ spaceId: space.id, beingId: owner.actor.beingId }),
    ).rejects.toThrow();
    await owner.api.being.delete({ id: space.id });

    const by = owner.actor.beingId;
    expect(audits().map(fields)).toEqual([
      { action: 'space created', component: 'audit', space: space.id, by, visibility: 'public' },
      { action: 'member joined', component: 'audit', space: space.id, being: guest.actor.beingId },
      { action: 'member left', component: 'audit', space: space.id, being: guest.actor.beingId },
      { action: 'member added', component: 'audit', space: space.id, being: guest.actor.beingId, by },
      { action: 'member removed', component: 'audit', space: space.id, being: guest.actor.beingId, by },
      { action: 'being deleted', component: 'audit', being: space.id, type: 'space', by },
    ]);
  });
});
