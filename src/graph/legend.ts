/**
 * What the graph's styling means, as data the app renders as a legend (so the legend and
 * the stylesheet cannot drift apart: both read the same constants).
 */
import {
  CLUSTER_PALETTE,
  EMPHASIS_COLOR,
  INTRO_COLOR,
  NO_CLUSTER_COLOR,
  OVERDUE_COLOR,
  OWNER_COLOR,
  TIE_COLOR,
  assignClusterColors,
  clusterColor,
  type GroupColours,
} from './elements.ts';
import { EDGE_WIDTH, NODE_SIZE } from './style.ts';

/** One legend entry: a swatch (node or line) and what it means. */
export interface LegendItem {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  /** How to draw the swatch. */
  readonly swatch:
    | {
        readonly kind: 'node';
        readonly color: string;
        readonly size: number;
        readonly shape: 'ellipse' | 'diamond';
        readonly border?: string;
      }
    | {
        readonly kind: 'line';
        readonly color: string;
        readonly width: number;
        readonly dashed: boolean;
        /** Dotted rather than dashed (when `dashed` is true). */
        readonly dotted?: boolean;
      }
    | { readonly kind: 'palette'; readonly colors: readonly string[] };
}

/** A legend entry for a kind of line, drawn `style`. */
function line(
  id: string,
  label: string,
  description: string,
  color: string,
  width: number,
  style: 'solid' | 'dashed' | 'dotted' = 'solid',
): LegendItem {
  return {
    id,
    label,
    description,
    swatch: {
      kind: 'line',
      color,
      width,
      dashed: style !== 'solid',
      ...(style === 'dotted' ? { dotted: true } : {}),
    },
  };
}

/**
 * Legend entries for the current styling. Pass the clusters (or groups) to name, with
 * display names, to get one entry per group in its colour; without them a single
 * "clusters" entry shows the palette. Pass `colours`, the very assignment the graph draws
 * with (see `assignClusterColors`): the legend may name only the largest groups, and
 * colours derived from that subset would not be the graph's. `meaning` says what colour
 * shows ("the cluster a person belongs to", "a person's organisation").
 */
export function legendItems(
  clusters?: readonly { readonly id: string; readonly name?: string }[],
  colours?: GroupColours,
  meaning = 'the cluster a person belongs to',
): LegendItem[] {
  const items: LegendItem[] = [
    {
      id: 'owner',
      label: 'You',
      description: 'The owner of the notebook: a ringed diamond.',
      swatch: { kind: 'node', color: OWNER_COLOR, size: 18, shape: 'diamond', border: '#f5b700' },
    },
    {
      id: 'size-small',
      label: 'Few ties',
      description: 'Node size shows importance: small for a person with few ties.',
      swatch: { kind: 'node', color: NO_CLUSTER_COLOR, size: 8, shape: 'ellipse' },
    },
    {
      id: 'size-large',
      label: 'Many ties',
      description: 'Large for a well-connected or important person.',
      swatch: {
        kind: 'node',
        color: NO_CLUSTER_COLOR,
        size: Math.round((8 * NODE_SIZE.max) / NODE_SIZE.min),
        shape: 'ellipse',
      },
    },
    line(
      'tie-strong',
      'Strong tie',
      'Line width shows tie strength: thick for a strong tie.',
      TIE_COLOR,
      EDGE_WIDTH.max,
    ),
    line('tie-weak', 'Weak tie', 'Thin for a faint tie.', TIE_COLOR, 1),
    line(
      'tie-overdue',
      'Going cold',
      'Dashed orange: a tie overdue for a touch.',
      OVERDUE_COLOR,
      2.5,
      'dashed',
    ),
    line(
      'tie-intro',
      'Made by an introduction',
      'Violet: a tie an introduction created.',
      INTRO_COLOR,
      2.5,
    ),
    line(
      'intro-pending',
      'Introduction in progress',
      'Dashed violet: an introduction under way (an idea, or asked and waiting).',
      INTRO_COLOR,
      2,
      'dashed',
    ),
    line(
      'intro-suggested',
      'Could introduce',
      'Dotted: two vetted people who share a tag and do not know each other (shown with "People I could introduce").',
      EMPHASIS_COLOR,
      2,
      'dotted',
    ),
  ];
  if (clusters && clusters.length) {
    const assigned = colours ?? assignClusterColors(clusters.map((c) => c.id));
    for (const c of clusters) {
      items.push({
        id: `cluster:${c.id}`,
        label: c.name ?? `Cluster ${c.id}`,
        description: `Colour shows ${meaning}.`,
        swatch: { kind: 'node', color: clusterColor(c.id, assigned), size: 12, shape: 'ellipse' },
      });
    }
  } else {
    items.push({
      id: 'clusters',
      label: 'Clusters',
      description: 'Colour shows the cluster a person belongs to; grey when in none.',
      swatch: { kind: 'palette', colors: CLUSTER_PALETTE },
    });
  }
  return items;
}
