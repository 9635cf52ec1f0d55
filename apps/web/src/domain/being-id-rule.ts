/**
 * Being ids look like `@my-space`: 2–63 lowercase letters, digits or hyphens after the `@`,
 * starting and ending with a letter or digit. Pure (no Node modules), so client code can use it too.
 */
export const BEING_ID_PATTERN = /^@[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/;
export const BEING_ID_RULE =
  'Being ids look like @my-space: an @ then 2–63 lowercase letters, digits or hyphens, not starting or ending with a hyphen.';
