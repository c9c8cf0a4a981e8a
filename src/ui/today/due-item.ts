import { css, html } from 'lit';

/**
 * What a due item (a tie going cold, an ask waiting) is drawn with wherever it is listed —
 * Today and the Clusters panel's "Needs attention" — so the two lists look and act alike:
 * the names of the people it is about, each a button that opens the person.
 */
export const dueItemStyles = css`
  .who {
    border: 0;
    padding: 0;
    background: none;
    font-weight: 600;
    text-align: left;
  }
  .who:hover:not(:disabled) {
    background: none;
    text-decoration: underline;
  }
`;

/** A person's name as a button that opens them: `vt-select` from `host` (it bubbles out). */
export function whoButton(host: HTMLElement, id: string, name: string) {
  return html`<button class="who" @click=${() => openPerson(host, id)}>${name}</button>`;
}

/** Open a person: the app shell listens for `vt-select` (`detail: { id }`). */
export function openPerson(host: HTMLElement, id: string): void {
  host.dispatchEvent(
    new CustomEvent('vt-select', { detail: { id }, bubbles: true, composed: true }),
  );
}
