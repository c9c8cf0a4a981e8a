import { LitElement, css, html, nothing } from 'lit';
import {
  acceptSuggestedCadences,
  acceptSuggestedCadencesForTag,
  cadenceSuggestions,
  getPerson,
  type CadenceSuggestion,
  type Notebook,
} from '../../model/index.ts';
import { AnalysisController } from '../controllers/analysis-controller.ts';
import { NotebookController } from '../controllers/notebook-controller.ts';
import { sharedStyles } from '../shell/shared-styles.ts';

/** People listed one by one before "Show more". */
const PAGE = 15;

interface Group {
  readonly label: string;
  readonly ids: readonly string[];
  /** A tag group is accepted by tag (the model command for it). */
  readonly tag?: string;
}

/**
 * Suggested keep-in-touch cadences (src/model/cadence.ts) for people with none: accept
 * one person's, or everyone's in a cluster or with a tag at once (one undoable step each).
 * Computed only while `active` (Today opens it on demand), since it reads every person's
 * touches.
 */
export class VtTodayCadences extends LitElement {
  static override properties = {
    active: { type: Boolean },
    shown: { state: true },
    status: { state: true },
  };

  active = false;
  shown = PAGE;
  status = '';
  private readonly suggestions = new NotebookController(this, (nb) =>
    this.active ? cadenceSuggestions(nb) : undefined,
  );
  private readonly analysis = new AnalysisController(this, ['result']);

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: var(--vt-space-2) 0;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: var(--vt-space-1) var(--vt-space-3);
        padding: var(--vt-space-2) 0;
        border-bottom: 1px solid var(--vt-border);
      }
      .why {
        flex-basis: 100%;
        order: 3;
      }
      .sets {
        display: flex;
        flex-wrap: wrap;
        gap: var(--vt-space-2);
        margin: var(--vt-space-2) 0;
      }
    `,
  ];

  override render() {
    const nb = this.suggestions.nb;
    const all = this.suggestions.value;
    if (!nb || !all) return nothing;
    if (!all.size) {
      return html`<p class="small muted">Everyone has a keep-in-touch cadence.</p>`;
    }
    const list = [...all.values()].sort(
      (a, b) => a.days - b.days || (name(nb, a.personId) < name(nb, b.personId) ? -1 : 1),
    );
    const groups = this.groups(nb, all);
    return html`<p class="small muted">
        ${all.size} ${all.size === 1 ? 'person has' : 'people have'} no keep-in-touch cadence. A
        cadence is suggested from how strong your tie is and how often you already touch.
      </p>
      ${
        groups.length
          ? html`<div class="sets" role="group" aria-label="Accept for a group">
              ${groups.map(
                (g) =>
                  html`<button @click=${() => this.acceptGroup(nb, g)}>
                    Accept for ${g.label} (${g.ids.length})
                  </button>`,
              )}
            </div>`
          : nothing
      }
      <p class="small" role="status">${this.status}</p>
      <ul aria-label="Suggested cadences">
        ${list.slice(0, this.shown).map((s) => this.renderOne(nb, s))}
      </ul>
      ${
        list.length > this.shown
          ? html`<button class="quiet" @click=${() => (this.shown += PAGE * 4)}>
              Show ${Math.min(PAGE * 4, list.length - this.shown)} more
            </button>`
          : nothing
      }`;
  }

  private renderOne(nb: Notebook, s: CadenceSuggestion) {
    const who = name(nb, s.personId);
    return html`<li>
      <span><strong>${who}</strong>: every ${s.days} days</span>
      <button
        aria-label=${`Accept every ${s.days} days for ${who}`}
        @click=${() => this.accept(nb, [s.personId], who)}
      >
        Accept
      </button>
      <span class="why small muted">${s.reason}</span>
    </li>`;
  }

  /** Clusters (from the analysis) and tags with at least two people to accept for. */
  private groups(nb: Notebook, all: ReadonlyMap<string, CadenceSuggestion>): Group[] {
    const out: Group[] = [];
    for (const c of this.analysis.latest?.clusters ?? []) {
      const ids = c.members.filter((id) => all.has(id));
      if (ids.length >= 2) out.push({ label: c.name ? `cluster ${c.name}` : 'a cluster', ids });
    }
    const byTag = new Map<string, string[]>();
    for (const id of all.keys()) {
      for (const tag of getPerson(nb, id)?.tags ?? []) {
        const list = byTag.get(tag);
        if (list) list.push(id);
        else byTag.set(tag, [id]);
      }
    }
    for (const [tag, ids] of [...byTag].sort((a, b) => b[1].length - a[1].length)) {
      if (ids.length >= 2) out.push({ label: `tag ${tag}`, ids, tag });
    }
    return out.slice(0, 12);
  }

  private acceptGroup(nb: Notebook, g: Group): void {
    const n = g.tag ? acceptSuggestedCadencesForTag(nb, g.tag) : acceptSuggestedCadences(nb, g.ids);
    this.status = `Cadence set for ${n} ${n === 1 ? 'person' : 'people'} (${g.label}). Undo with Ctrl+Z.`;
  }

  private accept(nb: Notebook, ids: string[], who: string): void {
    acceptSuggestedCadences(nb, ids);
    this.status = `Cadence set for ${who}. Undo with Ctrl+Z.`;
  }
}

function name(nb: Notebook, id: string): string {
  return getPerson(nb, id)?.name ?? id;
}

customElements.define('vt-today-cadences', VtTodayCadences);

declare global {
  interface HTMLElementTagNameMap {
    'vt-today-cadences': VtTodayCadences;
  }
}
