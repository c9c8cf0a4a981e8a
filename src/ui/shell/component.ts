/**
 * What the components share besides their styles (those are in `shared-styles.ts`): how
 * they declare internal state, send events to the app, and put an error in words.
 */
import { ContextConsumer } from '@lit/context';
import type { LitElement, PropertyDeclarations } from 'lit';
import { appContext } from '../controllers/app-context.ts';

/**
 * Lit declarations of internal reactive state (`{ state: true }`: re-render on change, no
 * attribute) for each of `names`, what `@state()` declares where decorators are on (the
 * tsconfig has them off). Spread beside the public properties:
 * `static override properties = { personId: { attribute: false }, ...states('error') }`.
 */
export function states(...names: string[]): PropertyDeclarations {
  return Object.fromEntries(names.map((name) => [name, { state: true }]));
}

/**
 * The app's services for `host`, kept current: `.value` is undefined until `<vt-app>`
 * provides them. For a component that reads the notebook only when asked (a button, a
 * report); one that renders from it uses `NotebookController`.
 */
export function consumeServices(host: LitElement) {
  return new ContextConsumer(host, { context: appContext, subscribe: true });
}

/**
 * Send `type` from `host` up to the app: a `CustomEvent` that bubbles and crosses shadow
 * roots (`composed`), with `detail` when given (else `null`). The `vt-…` events every
 * component documents with `@fires` (`vt-select`, `vt-introduce`, `vt-cancel`, …) go
 * through here; an event meant for the parent only (not composed) is sent by hand.
 */
export function emit(host: EventTarget, type: string, detail?: unknown): boolean {
  return host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

/** A thrown value as the sentence to show: an `Error`'s message, else the value as text. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Run `work` for `host`; what it throws is shown in `host.error` as a sentence. True when
 * it ran through. Clearing an earlier error is the caller's choice.
 */
export function attempt(host: { error: string }, work: () => void): boolean {
  try {
    work();
    return true;
  } catch (err) {
    host.error = errorText(err);
    return false;
  }
}

/** {@link attempt} for an action that takes a while: `host.busy` is true while it runs. */
export async function attemptBusy(
  host: { error: string; busy: boolean },
  work: () => Promise<void>,
): Promise<boolean> {
  host.busy = true;
  try {
    await work();
    return true;
  } catch (err) {
    host.error = errorText(err);
    return false;
  } finally {
    host.busy = false;
  }
}
