/**
 * The notebook model: the Yjs schema, typed read accessors and commands.
 * Imports yjs only; runs in Node and the browser. See README.md beside this file.
 */
export * from './schema.ts';
export * from './errors.ts';
export {
  Notebook,
  LOCAL_ORIGIN,
  MIGRATION_ORIGIN,
  randomId,
  type NotebookOptions,
  type NotebookChange,
  type Collection,
} from './notebook.ts';
export * from './read.ts';
/** The one definition of "overdue" (pure; shared with the analysis). */
export { cadenceStatus, type CadenceStatus } from '../analysis/neglect.ts';
export { CHUNK_ROWS, touchIdForSource } from './touch-log.ts';
export { isIsoDate, checkExtra, EXTRA_LIMITS } from './fields.ts';
export * from './commands/people.ts';
export * from './commands/ties.ts';
export * from './commands/touches.ts';
export * from './commands/intros.ts';
export * from './commands/merge.ts';
export * from './commands/imports.ts';
export {
  CONTACT_FIELDS,
  INTRO_FIELDS,
  NO_VETTING,
  PERSON_FIELDS,
  PERSON_LABELS,
  RECORDS,
  TIE_FIELDS,
  TOUCH_FIELDS,
  fieldsOf,
  isListField,
  specOf,
  type ContactKey,
  type ContactListKey,
  type FieldDesc,
  type Fields,
  type InputOf,
  type MergeRule,
  type PersonFields,
  type RecordOf,
  type ValueOf,
} from './records.ts';
export * from './commands/activity.ts';
export { createUndoManager } from './undo.ts';
export { History, type HistoryStep } from './history.ts';
export { graphSnapshot, snapshotIntro, snapshotPerson, snapshotTie } from './snapshot.ts';
export * from './drafts.ts';
export * from './reciprocity.ts';
export * from './today.ts';
export * from './cadence.ts';
