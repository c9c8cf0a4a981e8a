/**
 * The "Removed … · Undo" toast. A removal anywhere in the app (a touch, a tie, a person
 * moved to the trash) calls {@link announceRemoved} right after its command; `<vt-toast>`
 * (hosted once by `<vt-app>`) shows what was removed with an Undo button in a polite live
 * region, and after Undo says what it undid ("Undid: removed touch with Ana on 2 March").
 *
 * Undo undoes exactly that removal: the toast keeps the undo stack item the removal made,
 * and goes away as soon as anything else becomes the last step (so Undo never undoes
 * something else). Its button is named "Undo removal" (the live region says what was
 * removed), so it never takes a person's name from the buttons of the list.
 */
import { ContextConsumer } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { parseDay } from '../../time/dates.ts';
import type { HistoryStep } from '../../model/index.ts';
import { appContext, type AppServices } from '../controllers/app-context.ts';
import { emit, states } from './component.ts';
import { sharedStyles } from './shared-styles.ts';

/** The event {@link announceRemoved} sends; `text` is the sentence, e.g. "Removed tie to Bo". */
export const REMOVED_EVENT = 'vt-removed';

/** Tell the toast that `from`'s last command removed something, in a sentence. */
export function announceRemoved(from: EventTarget, text: string): void {
  emit(from, REMOVED_EVENT, { text });
}

const DAY_MONTH = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  timeZone: 'UTC',
});
const DAY_MONTH_YEAR = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "2 March" for a date this year, "2 March 2020" otherwise; `YYYY-MM-DD…` in. */
export function spokenDay(day: string, now = new Date()): string {
  const t = parseDay(day.slice(0, 10));
  if (t === undefined) return day;
  const sameYear = day.slice(0, 4) === String(now.getFullYear());
  return (sameYear ? DAY_MONTH : DAY_MONTH_YEAR).format(t);
}

function lower(sentence: string): string {
  return sentence.charAt(0).toLowerCase() + sentence.slice(1);
}

export class VtToast extends LitElement {
  static override properties = states('text', 'canUndo');

  /** What the live region says; empty when there is nothing to say. */
  text = '';
  canUndo = false;
  private services: AppServices | undefined;
  private item: HistoryStep | undefined;
  private stopWatching: (() => void) | undefined;
  private removed = '';

  static override styles = [
    sharedStyles,
    css`
      :host {
        position: fixed;
        left: 50%;
        bottom: var(--vt-space-4);
        transform: translateX(-50%);
        z-index: 20;
        /* Its own width, not half the viewport's (it starts at the middle). */
        width: max-content;
        max-width: calc(100vw - 2 * var(--vt-space-3));
      }
      .toast {
        display: flex;
        align-items: center;
        gap: var(--vt-space-3);
        padding: var(--vt-space-2) var(--vt-space-3);
        background: var(--vt-text);
        color: var(--vt-surface);
        border-radius: var(--vt-radius);
        box-shadow: 0 4px 16px rgb(0 0 0 / 0.25);
        font-size: var(--vt-text-sm);
      }
      .toast[hidden] {
        display: none;
      }
      .toast button {
        color: inherit;
        background: transparent;
        border: 1px solid currentColor;
      }
      .toast .close {
        border: 0;
      }
    `,
  ];

  constructor() {
    super();
    new ContextConsumer(this, {
      context: appContext,
      subscribe: true,
      callback: (s) => this.watch(s),
    });
  }

  private readonly onRemoved = (e: Event) => {
    const u = this.services?.undo;
    if (!u) return;
    this.removed = (e as CustomEvent<{ text: string }>).detail.text;
    this.item = u.top();
    this.text = this.removed;
    this.canUndo = !!this.item;
  };

  /** Anything else becoming the last undo step retires the offer. */
  private readonly onStack = () => {
    const u = this.services?.undo;
    if (this.canUndo && u && u.top() !== this.item) this.dismiss();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener(REMOVED_EVENT, this.onRemoved);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener(REMOVED_EVENT, this.onRemoved);
    this.watch(undefined);
  }

  private watch(s: AppServices | undefined): void {
    this.stopWatching?.();
    this.services = s;
    this.stopWatching = s?.undo.onChange(this.onStack);
  }

  private undo(): void {
    const u = this.services?.undo;
    const item = this.item;
    if (!u || !item || u.top() !== item) return;
    this.canUndo = false;
    this.item = undefined;
    u.undoStep(item);
    this.text = `Undid: ${lower(this.removed)}`;
  }

  private dismiss(): void {
    this.text = '';
    this.canUndo = false;
    this.item = undefined;
  }

  override render() {
    // The live region is always in the page, so a screen reader hears each new sentence.
    return html`<div class="toast" role="status" aria-live="polite" ?hidden=${!this.text}>
      <span>${this.text}</span>
      ${
        this.canUndo
          ? html`<button type="button" aria-label="Undo removal" @click=${this.undo}>Undo</button>`
          : nothing
      }
      ${
        this.text
          ? html`<button type="button" class="close" aria-label="Dismiss" @click=${this.dismiss}>
              ✕
            </button>`
          : nothing
      }
    </div>`;
  }
}

customElements.define('vt-toast', VtToast);

declare global {
  interface HTMLElementTagNameMap {
    'vt-toast': VtToast;
  }
}
