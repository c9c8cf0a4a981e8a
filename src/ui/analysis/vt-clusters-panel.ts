import { LitElement, css, html, nothing } from 'lit';
import type { AnalyzedCluster } from '../../analysis/index.ts';
import type { AppAnalysis } from '../../app/analysis.worker.ts';
import { clusterColor, type GroupColours } from '../../graph/elements.ts';
import { getPerson } from '../../model/index.ts';
import { clusterLabel, scoreWords } from '../../app/analysis-client.ts';
import {
  GROUP_CHOICES,
  groupDisplay,
  starOffer,
  type DisplayGroup,
  type GroupChoice,
  type GroupDisplay,
} from '../../app/group-display.ts';
import { AnalysisController } from '../controllers/analysis-controller.ts';
import { analysisPanelStyles, sharedStyles } from '../shell/shared-styles.ts';
import { emit } from '../shell/component.ts';

/** Modularity in words: how clearly the network falls into groups. */
export function modularityWords(q: number): string {
  const v = q.toFixed(2);
  if (q >= 0.5) return `Your network falls into clearly separate groups (modularity ${v}).`;
  if (q >= 0.3) return `Your network has distinct groups with some overlap (modularity ${v}).`;
  if (q > 0) return `Your groups overlap a lot (modularity ${v}).`;
  return 'There are no groups to tell apart yet.';
}

/**
 * The Clusters panel: each cluster with its suggested name, size, self-sustaining score
 * (in words, as a bar, and the sentence that explains it) and who holds it together;
 * clicking a cluster filters the graph to it. "Group by" switches the panel and the graph
 * to organisations or tags instead (offered up front when most ties run through the owner,
 * as in a LinkedIn-only notebook, where clusters show nothing). Also brokers and bridges
 * (shown and highlighted in the graph on demand), the owner's own position and "the
 * network feeding itself" — every number with its explanation in words.
 *
 * @fires vt-select - `detail: { id }` when a person's name is clicked.
 */
export class VtClustersPanel extends LitElement {
  private readonly analysis = new AnalysisController(this);

  static override styles = [
    sharedStyles,
    analysisPanelStyles,
    css`
      .group-by {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--vt-space-1) var(--vt-space-3);
        margin: var(--vt-space-2) 0;
        padding: 0;
        border: 0;
      }
      .group-by legend {
        float: left;
        padding: 0;
        margin-right: var(--vt-space-2);
      }
      .group-by label {
        display: inline-flex;
        align-items: center;
        gap: var(--vt-space-1);
        cursor: pointer;
      }
      .offer {
        border: 1px solid var(--vt-accent);
        border-radius: var(--vt-radius);
        background: var(--vt-accent-soft);
        padding: var(--vt-space-3);
        margin: var(--vt-space-2) 0 var(--vt-space-3);
      }
      .offer p {
        margin: 0 0 var(--vt-space-2);
      }
      .tools {
        display: flex;
        flex-wrap: wrap;
        gap: var(--vt-space-2);
        margin: var(--vt-space-3) 0;
      }
      ol,
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .cluster {
        border: 1px solid var(--vt-border);
        border-radius: var(--vt-radius);
        padding: var(--vt-space-3);
        margin-bottom: var(--vt-space-2);
        background: var(--vt-surface);
      }
      .cluster[data-active] {
        border-color: var(--vt-accent);
        box-shadow: 0 0 0 1px var(--vt-accent);
      }
      .title {
        display: flex;
        align-items: center;
        gap: var(--vt-space-2);
        width: 100%;
        text-align: left;
        border: 0;
        padding: 0;
        background: none;
        font-weight: 600;
      }
      .title:hover:not(:disabled) {
        background: none;
        text-decoration: underline;
      }
      .dot {
        flex: none;
        width: 12px;
        height: 12px;
        border-radius: 50%;
      }
      .size {
        margin-left: auto;
        font-weight: 400;
        white-space: nowrap;
      }
      .score {
        display: flex;
        align-items: center;
        gap: var(--vt-space-2);
        margin: var(--vt-space-2) 0 var(--vt-space-1);
        font-size: var(--vt-text-sm);
      }
      .bar {
        flex: none;
        width: 72px;
        height: 6px;
        border-radius: 3px;
        background: var(--vt-surface-2);
        overflow: hidden;
      }
      .bar span {
        display: block;
        height: 100%;
        background: var(--vt-accent);
      }
      p {
        margin: var(--vt-space-1) 0;
      }
      .link {
        border: 0;
        padding: 0;
        background: none;
        color: var(--vt-accent-strong);
        text-decoration: underline;
        font-size: inherit;
      }
      .link:hover:not(:disabled) {
        background: none;
      }
      section {
        margin-top: var(--vt-space-4);
      }
      section > ul > li {
        padding: var(--vt-space-2) 0;
        border-bottom: 1px solid var(--vt-border);
      }
    `,
  ];

  override render() {
    const client = this.analysis.client;
    const nb = this.analysis.nb;
    if (!client || !nb) return nothing;
    const a = client.latest;
    const view = client.view;
    const nameOf = (id: string) => getPerson(nb, id)?.name ?? 'someone no longer here';
    const noun = view.groupBy === 'clusters' ? 'cluster' : 'group';
    return html` <h2 class="visually-hidden">Clusters</h2>
      <span class="status small muted" role="status"
        >${client.status !== 'idle' ? 'Updating…' : client.error ? 'Analysis failed' : ''}</span
      >
      ${a ? this.renderGroupBy(a, view.groupBy) : nothing}
      ${
        view.clusterId
          ? html`<div class="tools">
              <span class="small">The graph shows one ${noun}.</span>
              <button @click=${() => view.set({ clusterId: null })}>Show everyone</button>
            </div>`
          : html`<p class="small muted">
              Pick a ${noun} to show only its people in the graph. "Without me" above the graph
              shows what holds together without you.
            </p>`
      }
      ${
        !a
          ? html`<p class="muted">Looking at your network…</p>`
          : view.groupBy === 'clusters'
            ? this.renderResult(a, nameOf)
            : this.renderGroups(a, groupDisplay(a, view.groupBy), nameOf)
      }`;
  }

  /**
   * The grouping choice, and — when most ties run through the owner and clusters are on —
   * the offer to group by organisation (or tag) in words.
   */
  private renderGroupBy(a: AppAnalysis, by: GroupChoice) {
    const view = this.analysis.client!.view;
    const offer = by === 'clusters' ? starOffer(a) : undefined;
    const choose = (value: GroupChoice) => view.set({ groupBy: value });
    return html`${
        offer
          ? html`<div class="offer" data-testid="group-offer">
              <p>
                <strong>Most ties run through you</strong> — group by
                ${offer === 'org' ? 'organisation' : 'tag'} to see structure.
                ${Math.round(a.ownerTieShare * 100)}% of the ties in this notebook are yours, so
                clusters have little to go on.
              </p>
              <button class="primary" @click=${() => choose(offer)}>
                Group by ${offer === 'org' ? 'organisation' : 'tag'}
              </button>
            </div>`
          : nothing
      }
      <fieldset class="group-by">
        <legend class="small">Group by</legend>
        ${GROUP_CHOICES.map(
          (c) =>
            html`<label
              ><input
                type="radio"
                name="group-by"
                .checked=${by === c.value}
                @change=${() => choose(c.value)}
              />${c.label}</label
            >`,
        )}
      </fieldset>`;
  }

  /** Organisations or tags: each group in its graph colour, with its size; a click filters. */
  private renderGroups(a: AppAnalysis, d: GroupDisplay, nameOf: (id: string) => string) {
    const view = this.analysis.client!.view;
    const named = d.groups.filter((g) => g.kind === 'named');
    const what = d.by === 'org' ? 'organisation' : 'tag';
    const total = a.groupings[d.by === 'tag' ? 'tag' : 'org'].namedTotal;
    return html`${
        named.length
          ? html`<p class="small muted">
              ${
                d.by === 'org'
                  ? 'People at the same organisation, however its name is spelled.'
                  : 'People by tag; someone with several tags goes with the one most people share.'
              }
              ${
                total > named.length
                  ? html`The ${named.length} largest of ${total} ${what}s with two or more people;
                    the rest are under "${d.groups.find((g) => g.kind === 'other')?.name}".`
                  : nothing
              }
            </p>`
          : html`<p class="muted">
              No ${what} has two people yet: add ${d.by === 'org' ? 'organisations' : 'tags'} to
              people to see groups.
            </p>`
      }
      <ol aria-label=${d.by === 'org' ? 'Organisations' : 'Tags'}>
        ${d.groups.map((g) => this.renderGroup(g, d.colours, view.clusterId === g.id))}
      </ol>
      ${this.renderBrokers(a, nameOf)} ${this.renderYou(a)}`;
  }

  private renderGroup(g: DisplayGroup, colours: GroupColours, active: boolean) {
    return html`<li class="cluster" ?data-active=${active} data-group=${g.id}>
      ${this.renderTitle('group', g.id, g.name ?? g.id, g.size, colours, active)}
    </li>`;
  }

  /** A group's or cluster's title: shows only it in the graph, or everyone again. */
  private renderTitle(
    what: 'group' | 'cluster',
    id: string,
    name: string,
    size: number,
    colours: GroupColours,
    active: boolean,
  ) {
    return html`<button
      class="title"
      aria-pressed=${active ? 'true' : 'false'}
      title=${active ? 'Show everyone in the graph' : `Show only this ${what} in the graph`}
      @click=${() => this.analysis.client!.view.set({ clusterId: active ? null : id })}
    >
      <span class="dot" style="background:${clusterColor(id, colours)}"></span>
      <span class="name">${name}</span>
      <span class="size small muted">${size} ${size === 1 ? 'person' : 'people'}</span>
    </button>`;
  }

  private renderResult(a: AppAnalysis, nameOf: (id: string) => string) {
    const view = this.analysis.client!.view;
    const colours = groupDisplay(a, 'clusters').colours;
    if (!a.clusters.length) {
      return html`<p class="muted">
        No clusters yet: clusters appear once the people you know are tied to each other, not only
        to you.
      </p>`;
    }
    return html`<p class="small muted">${modularityWords(a.modularity)}</p>
      <ol aria-label="Clusters">
        ${a.clusters.map((c) => this.renderCluster(c, colours, nameOf, view.clusterId === c.id))}
      </ol>
      ${
        a.unclustered.length
          ? html`<p class="small">
              ${a.unclustered.length} ${a.unclustered.length === 1 ? 'person knows' : 'people know'}
              no one here but you.
            </p>`
          : nothing
      }
      ${this.renderBrokers(a, nameOf)} ${this.renderYou(a)}
      <section>
        <h3>The network feeding itself</h3>
        <p class="small">${a.feeding.summary}</p>
      </section>`;
  }

  private renderCluster(
    c: AnalyzedCluster,
    colours: GroupColours,
    nameOf: (id: string) => string,
    active: boolean,
  ) {
    const label = clusterLabel(c, nameOf);
    const holders = c.holders.slice(0, 5);
    const alone = c.heldOnlyByOwner.slice(0, 5);
    const pct = Math.round(c.selfSustaining * 100);
    return html`<li class="cluster" ?data-active=${active} data-cluster=${c.id}>
      ${this.renderTitle('cluster', c.id, label, c.size, colours, active)}
      <div class="score">
        <span class="bar" role="img" aria-label=${`Self-sustaining score ${pct} out of 100`}
          ><span style="width:${pct}%"></span
        ></span>
        <strong>${scoreWords(c.selfSustaining)}</strong>
      </div>
      <p class="small">${c.explanation}</p>
      ${
        holders.length
          ? html`<p class="small">
              Holding it together:
              ${this.names(holders, nameOf)}${
                c.holders.length > 5 ? ` and ${c.holders.length - 5} more` : ''
              }.
            </p>`
          : nothing
      }
      ${
        alone.length
          ? html`<p class="small muted">
              Only you link
              ${this.names(alone, nameOf)}${
                c.heldOnlyByOwner.length > 5 ? ` and ${c.heldOnlyByOwner.length - 5} more` : ''
              }
              to this group.
            </p>`
          : nothing
      }
    </li>`;
  }

  private renderBrokers(a: AppAnalysis, nameOf: (id: string) => string) {
    const brokers = a.brokers.filter((b) => b.clusters.length > 1).slice(0, 8);
    const bridges = a.bridges.filter((b) => b.splitsOff > 1).slice(0, 8);
    return html`<section aria-label="Brokers and bridges">
      <h3>Brokers</h3>
      <p class="small muted">
        People who link groups that would otherwise not meet. "Brokers and bridges" above the graph
        draws them large.
      </p>
      ${
        brokers.length
          ? html`<ul>
              ${brokers.map(
                (b) =>
                  html`<li class="small">
                    ${this.names([b.personId], nameOf)} — ${b.explanation}
                  </li>`,
              )}
            </ul>`
          : html`<p class="small">Nobody links separate groups yet.</p>`
      }
      <h3>Bridges</h3>
      <p class="small muted">Ties whose loss would cut people off from the rest.</p>
      ${
        bridges.length
          ? html`<ul>
              ${bridges.map(
                (b) =>
                  html`<li class="small">
                    ${this.names([b.a], nameOf)} and ${this.names([b.b], nameOf)}: without this tie,
                    ${b.splitsOff} people would be cut off from the rest.
                  </li>`,
              )}
            </ul>`
          : html`<p class="small">
              No single tie holds groups together: every group is linked more than once.
            </p>`
      }
    </section>`;
  }

  private renderYou(a: AppAnalysis) {
    const you = a.you;
    if (!you || you.degree === 0) return nothing;
    const share = you.effectiveSize / you.degree;
    const words =
      share >= 0.6
        ? 'your contacts mostly do not know each other, so you reach many separate circles'
        : share >= 0.3
          ? 'your contacts partly know each other'
          : 'most of your contacts know each other';
    return html`<section>
      <h3>Your position</h3>
      <p class="small">
        ${you.effectiveSize.toFixed(1)} of your ${you.degree} contacts are non-redundant: ${words}
        (constraint ${you.constraint.toFixed(2)}; lower means more room to broker).
      </p>
    </section>`;
  }

  private names(ids: readonly string[], nameOf: (id: string) => string) {
    // Written without whitespace between the parts, so no space lands before a comma.
    return ids.map(
      (id, i) =>
        html`${i === 0 ? '' : i === ids.length - 1 ? ' and ' : ', '}<button
            class="link"
            @click=${() => emit(this, 'vt-select', { id })}
          >
            ${nameOf(id)}
          </button>`,
    );
  }
}

customElements.define('vt-clusters-panel', VtClustersPanel);

declare global {
  interface HTMLElementTagNameMap {
    'vt-clusters-panel': VtClustersPanel;
  }
}
