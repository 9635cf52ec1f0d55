import { describe, expect, it } from 'vitest';
import type { BeingRow } from '../../src/db/schema/index.ts';
import {
  canEditBeing,
  canManageMembers,
  canPostInSpace,
  canViewSpace,
  canViewWithin,
} from '../../src/domain/permissions.ts';

function being(overrides: Partial<BeingRow>): BeingRow {
  const now = new Date();
  return {
    id: '@thing',
    name: 'Thing',
    type: 'document',
    ownerId: '@owner',
    locationId: null,
    content: '',
    properties: {},
    visibility: null,
    createdAt: now,
    modifiedAt: now,
    ...overrides,
  };
}

const owner = { beingId: '@owner', superuser: false };
const stranger = { beingId: '@stranger', superuser: false };
const admin = { beingId: '@admin', superuser: true };
const publicSpace = being({ id: '@pub', type: 'space', visibility: 'public' });
const privateSpace = being({ id: '@priv', type: 'space', visibility: 'private' });

describe('permission rules', () => {
  it('anyone sees a public space; a private one only its owner, members and superusers', () => {
    expect(canViewSpace(null, { space: publicSpace, isMember: false })).toBe(true);
    expect(canViewSpace(null, { space: privateSpace, isMember: false })).toBe(false);
    expect(canViewSpace(stranger, { space: privateSpace, isMember: false })).toBe(false);
    expect(canViewSpace(stranger, { space: privateSpace, isMember: true })).toBe(true);
    expect(canViewSpace(owner, { space: privateSpace, isMember: false })).toBe(true);
    expect(canViewSpace(admin, { space: privateSpace, isMember: false })).toBe(true);
  });

  it('a being that is not a space is never viewed as one', () => {
    expect(canViewSpace(admin, { space: being({ type: 'document' }), isMember: true })).toBe(false);
  });

  it('posting needs a session and sight of the space', () => {
    expect(canPostInSpace(null, { space: publicSpace, isMember: false })).toBe(false);
    expect(canPostInSpace(stranger, { space: publicSpace, isMember: false })).toBe(true);
    expect(canPostInSpace(stranger, { space: privateSpace, isMember: false })).toBe(false);
  });

  it('only the stored owner or a superuser edits a being; ownerless beings only superusers', () => {
    const doc = being({});
    expect(canEditBeing(owner, doc)).toBe(true);
    expect(canEditBeing(stranger, doc)).toBe(false);
    expect(canEditBeing(null, doc)).toBe(false);
    expect(canEditBeing(admin, doc)).toBe(true);
    const orphan = being({ ownerId: null });
    expect(canEditBeing(stranger, orphan)).toBe(false);
    expect(canEditBeing(admin, orphan)).toBe(true);
    expect(canManageMembers(stranger, privateSpace)).toBe(false);
    expect(canManageMembers(owner, privateSpace)).toBe(true);
  });

  it('a being inside a private space is hidden with the space, at any depth', () => {
    const hidden = { space: privateSpace, isMember: false };
    const joined = { space: privateSpace, isMember: true };
    const open = { space: publicSpace, isMember: false };
    expect(canViewWithin(stranger, [hidden])).toBe(false);
    expect(canViewWithin(stranger, [joined])).toBe(true);
    expect(canViewWithin(null, [open])).toBe(true);
    expect(canViewWithin(null, [])).toBe(true);
    // A public space inside a private one is as hidden as the private one.
    expect(canViewWithin(null, [open, hidden])).toBe(false);
    expect(canViewWithin(stranger, [open, joined])).toBe(true);
  });
});
