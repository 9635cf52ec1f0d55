import { type BeingType, beingTypes } from '@rhizom/sync/kinds';

/** What a being type is and may do, so that code asks a trait instead of naming a type. */
export interface BeingTraits {
  /** How the UI names it. */
  label: string;
  /** Where it comes in the list of beings in a space (people first). */
  order: number;
  /** Whether the API creates it; people get their `guest` being at sign-in. */
  creatable: boolean;
  /** Whether its edit form offers to move it to another space. */
  movable: boolean;
  /** Whether it answers utterances in its space (and so is never answered itself). */
  answers: boolean;
}

/** One row per being type: adding a type to `beingTypes` (packages/sync/src/entities.ts) fails to compile until it has one here. */
export const beingTraits: Record<BeingType, BeingTraits> = {
  guest: { label: 'person', order: 0, creatable: false, movable: false, answers: false },
  bot: { label: 'bot', order: 1, creatable: true, movable: true, answers: true },
  document: { label: 'document', order: 2, creatable: true, movable: true, answers: false },
  space: { label: 'space', order: 3, creatable: true, movable: false, answers: false },
};

/** The types the API creates, as a non-empty tuple for `z.enum`. */
export const creatableTypes = beingTypes.filter((type) => beingTraits[type].creatable) as [
  BeingType,
  ...BeingType[],
];

/** Being types in the order the list of a space shows them. */
export function byListOrder(a: BeingType, b: BeingType): number {
  return beingTraits[a].order - beingTraits[b].order;
}

/** Whether beings of this type answer utterances in their space. */
export function answers(type: BeingType): boolean {
  return beingTraits[type].answers;
}
