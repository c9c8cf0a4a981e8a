/**
 * The graph's stylesheet. Only `data()` / `mapData()` mappers and selectors on data
 * fields — no function styles — because Cytoscape caches mapped styles and re-runs
 * function styles on every style pass (Cytoscape performance notes).
 */
import type { Css, StylesheetJson } from 'cytoscape';
import { EMPHASIS_COLOR, INTRO_COLOR, OVERDUE_COLOR, TIE_COLOR } from './elements.ts';
import { LABEL_FONT, LABEL_MARGIN, LABEL_MAX_WIDTH, MIN_SCREEN_FONT } from './labels.ts';
import { searchMarkStyle } from './search-marks.ts';

/** Above this many nodes the view switches to the large-graph settings. */
export const LARGE_GRAPH = 2000;

/** Node diameter range in model units, for importance 0..1. */
export const NODE_SIZE = { min: 10, max: 40 } as const;
/** Edge width range, for tie strength 1..5. */
export const EDGE_WIDTH = { min: 0.75, max: 5 } as const;

/** Colours of selection highlighting. */
export const SELECT_COLOR = '#0b63c5';

/**
 * Build the stylesheet. `large` switches edges to haystack (straight, unbundled, the
 * fastest edge type) and drops label outlines, which cost a second text pass.
 */
export function graphStyle(opts: { large: boolean }): StylesheetJson {
  const { large } = opts;
  return [
    ...(large
      ? [
          {
            // Every press lands on the background (see `events` below): no grey disc there.
            selector: 'core',
            // (Cytoscape's typings ask for every core property at once.)
            style: { 'active-bg-opacity': 0 } as Partial<Css.Core> as Css.Core,
          },
        ]
      : []),
    {
      selector: 'node',
      style: {
        'background-color': 'data(color)',
        width: `mapData(importance, 0, 1, ${NODE_SIZE.min}, ${NODE_SIZE.max})`,
        height: `mapData(importance, 0, 1, ${NODE_SIZE.min}, ${NODE_SIZE.max})`,
        label: 'data(label)',
        // Names sized by importance: the people who hold the network are read first.
        'font-size': `mapData(importance, 0, 1, ${LABEL_FONT.min}, ${LABEL_FONT.max})`,
        'font-family': 'system-ui, sans-serif',
        color: '#1f2933',
        'text-valign': 'bottom',
        'text-margin-y': LABEL_MARGIN,
        // Labels vanish when they would be drawn smaller than this on screen: a zoomed-out
        // hairball of names is unreadable and the most expensive thing to draw.
        'min-zoomed-font-size': large ? 10 : MIN_SCREEN_FONT,
        'text-max-width': `${LABEL_MAX_WIDTH}px`,
        'text-wrap': 'ellipsis',
        ...(large
          ? {
              'text-background-color': '#ffffff',
              'text-background-opacity': 1,
              'text-background-padding': '1px',
            }
          : {
              'text-outline-color': '#ffffff',
              'text-outline-width': 2,
            }),
        'border-width': 0,
        // A large graph's people take no pointer events: a press on one would mark it
        // `:active`, a restyle that makes Cytoscape draw every element again (issue 14
        // point 14). Taps land on the background and `hit-test.ts` finds the person.
        ...(large ? { events: 'no' } : {}),
      },
    },
    {
      selector: 'node[?underGlass]',
      style: {
        'border-width': 2,
        'border-color': '#ffffff',
        'border-style': 'double',
      },
    },
    {
      // The owner: a ringed diamond in the darkest colour, recognisable at any zoom.
      selector: 'node[?owner]',
      style: {
        shape: 'round-diamond',
        width: NODE_SIZE.max,
        height: NODE_SIZE.max,
        'border-width': 4,
        'border-color': '#f5b700',
        'font-weight': 'bold',
        'font-size': LABEL_FONT.max,
        'z-index': 20,
      },
    },
    {
      // No room for this name at this zoom (the adapter picks, see labels.ts): zooming in
      // brings it back. The selected, their neighbours and the emphasised keep theirs.
      selector: 'node.vt-nolabel',
      style: { label: '' },
    },
    {
      selector: 'edge',
      style: {
        'curve-style': large ? 'haystack' : 'straight',
        'haystack-radius': 0,
        width: `mapData(strength, 1, 5, ${EDGE_WIDTH.min}, ${EDGE_WIDTH.max})`,
        'line-color': TIE_COLOR,
        'z-index': 1,
        ...(large ? { events: 'no' } : {}),
      },
    },
    {
      selector: 'edge[?intro]',
      style: { 'line-color': INTRO_COLOR, 'z-index': 2 },
    },
    {
      // After the introduction rule: a neglected tie is the more urgent fact, so an
      // introduction-made tie that went cold is drawn as neglected.
      selector: 'edge[?overdue]',
      style: {
        'line-color': OVERDUE_COLOR,
        'line-style': 'dashed',
        'line-dash-pattern': [6, 4],
        'z-index': 3,
      },
    },
    {
      // A tie inferred from meetings together, not confirmed by the owner: thin and
      // dotted whatever its strength, so it reads as a guess beside the owner's own ties.
      selector: 'edge[?inferred]',
      style: { width: 1, 'line-style': 'dotted', 'z-index': 0 },
    },
    {
      // An introduction under way: not a tie yet, so dashed and thin, in the violet of the
      // ties introductions made.
      selector: 'edge.vt-pending-intro',
      style: {
        'curve-style': 'straight',
        width: 3,
        'line-color': INTRO_COLOR,
        'line-style': 'dashed',
        'line-dash-pattern': [8, 5],
        'z-index': 4,
      },
    },
    {
      // A pair the owner could introduce: dotted, in the emphasis colour of its two people.
      selector: 'edge.vt-suggested-intro',
      style: {
        'curve-style': 'straight',
        width: 1.5,
        'line-color': EMPHASIS_COLOR,
        'line-style': 'dotted',
        'z-index': 4,
      },
    },
    {
      selector: 'node.vt-hl',
      style: {
        label: 'data(label)',
        'border-width': 4,
        'border-color': EMPHASIS_COLOR,
        'border-style': 'solid',
        'min-zoomed-font-size': 0,
        'z-index': 15,
      },
    },
    {
      selector: 'edge.vt-hl',
      style: { 'line-color': EMPHASIS_COLOR, width: 4, 'z-index': 6 },
    },
    {
      selector: 'node.vt-selected',
      style: {
        label: 'data(label)',
        'border-width': 5,
        'border-color': SELECT_COLOR,
        'border-style': 'solid',
        'z-index': 30,
        'min-zoomed-font-size': 0,
        'font-weight': 'bold',
      },
    },
    {
      // Neighbours of the selected person keep their label at any zoom.
      selector: 'node.vt-near',
      style: {
        label: 'data(label)',
        'border-width': 3,
        'border-color': SELECT_COLOR,
        'z-index': 25,
        'min-zoomed-font-size': 0,
      },
    },
    {
      selector: 'edge.vt-near',
      style: { 'line-color': SELECT_COLOR, 'z-index': 10, opacity: 1 },
    },
    {
      selector: 'edge.vt-near[?overdue]',
      style: { 'line-color': OVERDUE_COLOR },
    },
    ...searchMarkStyle(SELECT_COLOR),
  ];
}
