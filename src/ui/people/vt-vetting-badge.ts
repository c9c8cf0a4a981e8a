import { LitElement, css, html, nothing } from 'lit';
import {
  VETTING_PARTS,
  vettingCounts,
  vettingLevel,
  type Person,
  type VettingLevel,
} from '../../model/index.ts';

/** What each vetting level is called on screen. */
export const VETTING_LEVEL_LABELS: Record<VettingLevel, string> = {
  vetted: 'Vetted',
  partly: 'Partly vetted',
  heard: 'Heard of',
  unknown: 'Unknown',
};

const ICONS: Record<VettingLevel, string> = {
  vetted: '●',
  partly: '◐',
  heard: '◌',
  unknown: '○',
};

/** "Vetting: Partly vetted, 2 of 4 parts first-hand, 1 heard" for screen readers and tooltips. */
export function vettingDescription(p: Pick<Person, 'vetting'>): string {
  const level = vettingLevel(p);
  const { firstHand, heard } = vettingCounts(p);
  const parts = [`${firstHand} of ${VETTING_PARTS.length} parts first-hand`];
  if (heard) parts.push(`${heard} heard from someone`);
  return `Vetting: ${VETTING_LEVEL_LABELS[level]}, ${parts.join(', ')}`;
}

/**
 * A compact badge saying how well the owner knows someone: "Vetted", "Partly vetted",
 * "Heard of" or "Unknown", with the detail (parts first-hand, parts heard) as its
 * accessible name. Takes the person object (not an id), so a virtualised list of 10,000
 * rows pays nothing per badge beyond the row it already rendered.
 *
 * @csspart badge - the badge itself.
 */
export class VtVettingBadge extends LitElement {
  static override properties = {
    person: { attribute: false },
    compact: { type: Boolean, reflect: true },
  };

  person: Pick<Person, 'vetting'> | undefined;
  /** Icon only (the label stays the accessible name). */
  compact = false;

  static override styles = css`
    :host {
      display: inline-flex;
      vertical-align: middle;
    }
    span {
      display: inline-flex;
      align-items: center;
      gap: 3px;
      font-size: var(--vt-text-xs);
      line-height: 1.4;
      padding: 0 6px;
      border-radius: 999px;
      border: 1px solid currentColor;
      white-space: nowrap;
    }
    :host([compact]) span {
      border-color: transparent;
      padding: 0 2px;
    }
    .vetted {
      color: var(--vt-accent);
    }
    .partly {
      color: var(--vt-accent);
      border-style: dashed;
    }
    .heard {
      color: var(--vt-warn);
      border-style: dashed;
    }
    .unknown {
      color: var(--vt-text-muted);
      border-style: dotted;
    }
    i {
      font-style: normal;
    }
  `;

  override render() {
    const p = this.person;
    if (!p) return nothing;
    const level = vettingLevel(p);
    const label = vettingDescription(p);
    // role="img" makes the whole badge one item with one name for a screen reader.
    return html`<span part="badge" class=${level} role="img" aria-label=${label} title=${label}
      ><i aria-hidden="true">${ICONS[level]}</i>${
        this.compact ? nothing : html`<b aria-hidden="true">${VETTING_LEVEL_LABELS[level]}</b>`
      }</span
    >`;
  }
}

customElements.define('vt-vetting-badge', VtVettingBadge);

declare global {
  interface HTMLElementTagNameMap {
    'vt-vetting-badge': VtVettingBadge;
  }
}
