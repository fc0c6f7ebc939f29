/** Ends an exhaustive switch: adding a member to the union breaks the build here, not at run time. */
export function assertUnreachable(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
