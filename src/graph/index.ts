/**
 * The graph module: the only place that imports cytoscape. The app uses
 * `createGraphView` and `legendItems`; tests and benches use `createHeadlessGraphView`.
 */
export * from './graph-view.ts';
export { createHeadlessGraphView } from './headless.ts';
export {
  assignClusterColors,
  clusterColor,
  stableHash,
  CLUSTER_PALETTE,
  OTHER_GROUP_COLOR,
  type GroupColours,
} from './elements.ts';
