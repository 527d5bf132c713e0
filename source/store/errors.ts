// Errors of opening a store that an operator fixes outside Stacky (a database down or refusing us,
// a schema this stacky cannot use): commands print their message as one line and exit 1
// (source/commands/spec.ts), never a stack. Their messages never hold a password.
export class StoreOpenError extends Error {}
