/** Styles every component shares: controls, focus ring, type scale. Tokens in styles/tokens.css. */
import { css } from 'lit';

/**
 * Hidden from sight, kept for screen readers: the declarations, for a rule of its own
 * (`.label-long` on a phone); an element that is always hidden takes `.visually-hidden`.
 */
export const visuallyHidden = css`
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
`;

/** Controls, focus ring, type scale, `.muted`, `.small`, `.error`, `.visually-hidden`. */
export const sharedStyles = css`
  :host {
    display: block;
    font-family: var(--vt-font);
    color: var(--vt-text);
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
    border: 1px solid var(--vt-border);
    background: var(--vt-surface);
    border-radius: var(--vt-radius-sm);
    padding: 5px 11px;
    line-height: 1.3;
  }
  button:hover:not(:disabled, [aria-disabled='true']) {
    background: var(--vt-surface-2);
  }
  button:disabled,
  button[aria-disabled='true'] {
    opacity: 0.45;
    cursor: default;
  }
  button.primary {
    background: var(--vt-accent);
    border-color: var(--vt-accent);
    color: var(--vt-on-accent);
    font-weight: 600;
  }
  button.primary:hover:not(:disabled, [aria-disabled='true']) {
    background: var(--vt-accent-strong);
  }
  button.quiet {
    border-color: transparent;
    background: transparent;
  }
  button.danger {
    color: var(--vt-danger);
  }
  /* A toggle button that is on. */
  button[aria-pressed='true'] {
    background: var(--vt-accent-soft);
    border-color: var(--vt-accent);
  }
  input:not([type='checkbox']):not([type='file']),
  select,
  textarea {
    width: 100%;
    border: 1px solid var(--vt-border);
    background: var(--vt-surface);
    border-radius: var(--vt-radius-sm);
    padding: 5px 8px;
    min-width: 0;
  }
  textarea {
    resize: vertical;
    min-height: 4.5em;
  }
  :focus-visible {
    outline: 2px solid var(--vt-focus);
    outline-offset: 2px;
  }
  label {
    font-size: var(--vt-text-sm);
    color: var(--vt-text-muted);
  }
  /* A form field: its label above its control. */
  .field {
    display: flex;
    flex-direction: column;
    gap: 2px;
  }
  h2,
  h3 {
    margin: 0;
    font-weight: 600;
  }
  h2 {
    font-size: var(--vt-text-lg);
  }
  h3 {
    font-size: var(--vt-text-md);
  }
  .muted {
    color: var(--vt-text-muted);
  }
  .small {
    font-size: var(--vt-text-sm);
  }
  .error {
    color: var(--vt-danger);
  }
  /* Touch targets of at least 44 px on a phone (WCAG 2.5.5); a checkbox's is its label. */
  @media (max-width: 720px) {
    button,
    select,
    summary,
    a.button,
    input:not([type='checkbox'], [type='radio'], [type='file']) {
      min-height: 44px;
    }
    button {
      min-width: 44px;
    }
    label:has(> input[type='checkbox'], > input[type='radio']) {
      display: inline-flex;
      align-items: center;
      gap: var(--vt-space-1);
      min-height: 44px;
    }
  }
  .visually-hidden {
    ${visuallyHidden}
  }
`;

/**
 * A side panel (Person, Introductions, Trash, Settings, the analysis views): padded, with
 * a header that puts the title and the panel's main action at either end.
 */
export const panelStyles = css`
  :host {
    padding: var(--vt-space-4);
  }
  header {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: var(--vt-space-2);
    margin-bottom: var(--vt-space-3);
  }
`;

/** A row of controls under a settings text: side by side, wrapping on a narrow screen. */
export const controlRowStyles = css`
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--vt-space-2);
    align-items: center;
    margin-top: var(--vt-space-2);
  }
`;

/** A settings section (a titled block with a rule under it) and a row of controls in it. */
export const settingsSectionStyles = css`
  section {
    margin: var(--vt-space-4) 0;
    padding-bottom: var(--vt-space-4);
    border-bottom: 1px solid var(--vt-border);
  }
  ${controlRowStyles}
`;

/** A plain list of one-line items (the trash, the paired devices), a rule under each. */
export const lineListStyles = css`
  ul {
    list-style: none;
    padding: 0;
  }
  li {
    display: flex;
    align-items: center;
    gap: var(--vt-space-2);
    padding: var(--vt-space-2) 0;
    border-bottom: 1px solid var(--vt-border);
  }
`;

/** The analysis panels (Needs attention, Clusters): padded, with a floating run status. */
export const analysisPanelStyles = css`
  :host {
    position: relative;
    padding: var(--vt-space-4);
  }
  .status {
    /* Out of the flow: "Updating…" comes and goes without moving the list. */
    position: absolute;
    top: var(--vt-space-1);
    right: var(--vt-space-4);
  }
`;
