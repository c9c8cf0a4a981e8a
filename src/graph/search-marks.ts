/**
 * Search marks: while a search is on, the people it found carry the class `vt-match` and
 * everything else — other people, and every line with an end that is not a match — the
 * class `vt-dim`, so the matches stand out where they sit in the network. Class toggles
 * only (no data change, no layout), and only the difference from the previous marks
 * changes class.
 */
import type { Collection, Core, StylesheetJson } from 'cytoscape';

/** Class of the people a search found. */
export const MATCH_CLASS = 'vt-match';
/** Class of everything a search did not find. */
export const DIM_CLASS = 'vt-dim';

/** Outline of a found person: the darkest ink, unlike any cluster, selection or emphasis. */
const MATCH_BORDER = '#1f2933';

/** The search marks of one graph view; the adapter re-applies them after each update. */
export class SearchMarks {
  private ids: ReadonlySet<string> | null = null;
  private on: Core | undefined;
  private matched: Collection | undefined;
  private dimmed: Collection | undefined;

  /** Mark these people as found (`null`: no search, nothing marked or dimmed). */
  set(ids: ReadonlySet<string> | null): void {
    this.ids = ids;
  }

  /** Whether there is anything to apply or to take off. */
  get active(): boolean {
    return this.ids !== null || !!this.matched || !!this.dimmed;
  }

  /** Apply the marks to `cy`, changing class only where they differ from what it has. */
  apply(cy: Core): void {
    if (cy !== this.on) {
      // A new instance (a rebuild): it carries no marks yet.
      this.on = cy;
      this.matched = this.dimmed = undefined;
    }
    const ids = this.ids;
    cy.batch(() => {
      let match = cy.collection();
      let dim = cy.collection();
      if (ids) {
        for (const id of ids) {
          const n = cy.getElementById(id);
          if (n.nonempty() && n.isNode()) match = match.union(n);
        }
        const others = cy.nodes().difference(match);
        dim = others.union(others.connectedEdges());
      }
      swap(this.matched, match, MATCH_CLASS);
      swap(this.dimmed, dim, DIM_CLASS);
      this.matched = match.nonempty() ? match : undefined;
      this.dimmed = dim.nonempty() ? dim : undefined;
    });
  }
}

function swap(before: Collection | undefined, after: Collection, cls: string): void {
  if (before) before.difference(after).removeClass(cls);
  (before ? after.difference(before) : after).addClass(cls);
}

/** The stylesheet rules of the marks; they come last, so they win over emphasis. */
export function searchMarkStyle(selectColor: string): StylesheetJson {
  return [
    { selector: '.vt-dim', style: { opacity: 0.15 } },
    {
      selector: `node.${MATCH_CLASS}`,
      style: {
        // A found person keeps their name even where the label picker had no room for it.
        label: 'data(label)',
        'border-width': 3,
        'border-color': MATCH_BORDER,
        'border-style': 'solid',
        'min-zoomed-font-size': 0,
        'font-weight': 'bold',
        'z-index': 18,
      },
    },
    // The open person keeps the selection ring whether or not the search found them.
    { selector: `node.vt-selected`, style: { 'border-color': selectColor, 'border-width': 5 } },
  ];
}
