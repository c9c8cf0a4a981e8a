import { LitElement, css, html, nothing } from 'lit';
import {
  getPerson,
  listPeople,
  vettingLevel,
  type IntroSuggestion,
  type Notebook,
  type Person,
} from '../../model/index.ts';
import { OVERVIEW_ABOVE, clusterLabel } from '../../app/analysis-client.ts';
import { AnalysisController } from '../controllers/analysis-controller.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { emit } from '../shell/component.ts';
import { WHO_SHOWS_UP, introduceButton, suggestedPairs } from '../intros/suggestions.ts';

/**
 * The analysis toggles that sit on the graph: "Without me" (hide the owner and see what
 * remains), "Brokers and bridges" (draw them large), "Clusters as nodes" (the overview),
 * "People I could introduce" (the suggested pairs, with the best few in words and a way
 * to start each), and, while the graph is filtered to one cluster, its name with "Show
 * everyone". The analysis toggles are session state in the client's `AnalysisView`; the
 * suggestions toggle belongs to `<vt-graph>`, which draws the pairs.
 *
 * @fires vt-suggestions-toggle - "People I could introduce" was pressed (not composed).
 * @fires vt-introduce - `detail: { id, other }`: start introducing the two.
 */
export class VtAnalysisBar extends LitElement {
  static override properties = {
    suggesting: { type: Boolean },
    suggestions: { attribute: false },
  };

  /** Whether "People I could introduce" is on. */
  suggesting = false;
  /** The pairs to describe, best first (set by `<vt-graph>` while the toggle is on). */
  suggestions: readonly IntroSuggestion[] = [];
  private readonly analysis = new AnalysisController(this);

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        justify-content: flex-end;
        gap: var(--vt-space-1);
        pointer-events: none;
      }
      :host > * {
        pointer-events: auto;
      }
      button {
        background: var(--vt-surface);
        box-shadow: var(--vt-shadow);
        font-size: var(--vt-text-sm);
        padding: 3px 10px;
      }
      .filter {
        display: inline-flex;
        align-items: center;
        gap: var(--vt-space-2);
        background: var(--vt-accent-soft);
        border: 1px solid var(--vt-accent);
        border-radius: var(--vt-radius-sm);
        padding: 2px 2px 2px 10px;
        font-size: var(--vt-text-sm);
        box-shadow: var(--vt-shadow);
      }
      .filter button {
        box-shadow: none;
        padding: 1px 8px;
      }
      .suggest {
        flex: 0 1 24rem;
        margin-left: auto;
        max-height: 40vh;
        overflow: auto;
        background: var(--vt-surface);
        border: 1px solid var(--vt-border);
        border-radius: var(--vt-radius);
        box-shadow: var(--vt-shadow);
        padding: var(--vt-space-1) var(--vt-space-3);
        font-size: var(--vt-text-xs);
      }
      .suggest p {
        margin: 0 0 var(--vt-space-1);
        color: var(--vt-text-muted);
      }
      .suggest ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .suggest li {
        display: flex;
        align-items: center;
        gap: var(--vt-space-2);
        padding: 3px 0;
      }
      .suggest li span {
        flex: 1;
        min-width: 0;
      }
      .suggest li button {
        flex: none;
        box-shadow: none;
        padding: 1px 8px;
      }
      @media (max-width: 600px) {
        /* On a phone the best pair only: the graph stays in view under the box. */
        .suggest li:nth-child(n + 2) {
          display: none;
        }
      }
      .break {
        flex-basis: 100%;
        height: 0;
      }
    `,
  ];

  override render() {
    const client = this.analysis.client;
    const nb = this.analysis.nb;
    if (!nb) return nothing;
    if (!client) return this.renderSuggestions(nb);
    const view = client.view;
    const a = client.latest;
    const cluster = view.clusterId ? a?.clusters.find((c) => c.id === view.clusterId) : undefined;
    // The same rule as the graph's input (`analysisGraphInput`).
    const big = listPeople(nb).length > OVERVIEW_ABOVE;
    const overviewOn = view.overview === 'on' || (view.overview === 'auto' && big);
    return html`${
        cluster
          ? html`<span class="filter" role="status"
              >Showing ${clusterLabel(cluster, (id) => getPerson(nb, id)?.name ?? id)}
              <button @click=${() => view.set({ clusterId: null })}>Show everyone</button></span
            >`
          : nothing
      }
      <button
        aria-pressed=${view.withoutMe ? 'true' : 'false'}
        title="Hide yourself and see which groups still hold together"
        @click=${() => view.set({ withoutMe: !view.withoutMe })}
      >
        Without me
      </button>
      <button
        aria-pressed=${view.highlight ? 'true' : 'false'}
        title="Draw the people who link groups, and the ends of ties that alone hold groups together, large"
        @click=${() => view.set({ highlight: !view.highlight })}
      >
        Brokers and bridges
      </button>
      <button
        aria-pressed=${overviewOn ? 'true' : 'false'}
        ?disabled=${!a?.clusters.length}
        title="Draw each cluster as one node"
        @click=${() => view.set({ overview: overviewOn ? 'off' : 'on', clusterId: null })}
      >
        Clusters as nodes
      </button>
      ${this.renderSuggestions(nb)}`;
  }

  /** The toggle and, while on, the best suggestions in words with "Introduce…" on each. */
  private renderSuggestions(nb: Notebook) {
    const toggle = html`<button
      aria-pressed=${this.suggesting ? 'true' : 'false'}
      title="Vetted people who share a tag and do not know each other yet"
      @click=${() => this.dispatchEvent(new Event('vt-suggestions-toggle', { bubbles: true }))}
    >
      People I could introduce
    </button>`;
    if (!this.suggesting) return toggle;
    const pairs = suggestedPairs(nb, this.suggestions);
    return html`${toggle}<span class="break"></span>
      <section class="suggest" role="region" aria-label="Suggested introductions">
        ${
          pairs.length
            ? html`<p role="status">
                  ${pairs.length === 1 ? 'One pair' : `${pairs.length} pairs`} could meet (dotted in
                  the graph). The best:
                </p>
                <ul>
                  ${pairs.slice(0, 3).map(
                    ({ s, a, b }) =>
                      html`<li>
                        <span>${suggestionSentence(a, b, s.sharedTags)}</span>
                        ${introduceButton(a, b, () => this.introduce(a.id, b.id))}
                      </li>`,
                  )}
                </ul>`
            : html`<p role="status">No one to suggest yet: ${WHO_SHOWS_UP}</p>`
        }
      </section>`;
  }

  /** Open the Introductions view with both people chosen. */
  private introduce(a: string, b: string): void {
    emit(this, 'vt-introduce', { id: a, other: b });
  }
}

const LEVEL_WORDS = {
  vetted: 'vetted',
  partly: 'partly vetted',
  heard: 'known second-hand',
  unknown: 'not vetted',
} as const;

/** "Ana and Bo: both vetted, both tagged climate" — why the pair is suggested. */
export function suggestionSentence(a: Person, b: Person, tags: readonly string[]): string {
  const la = vettingLevel(a);
  const lb = vettingLevel(b);
  const vetting =
    la === lb ? `both ${LEVEL_WORDS[la]}` : `${LEVEL_WORDS[la]} and ${LEVEL_WORDS[lb]}`;
  return `${a.name} and ${b.name}: ${vetting}, both tagged ${listWords(tags)}`;
}

function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

customElements.define('vt-analysis-bar', VtAnalysisBar);

declare global {
  interface HTMLElementTagNameMap {
    'vt-analysis-bar': VtAnalysisBar;
  }
}
