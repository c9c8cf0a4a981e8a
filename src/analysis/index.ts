/**
 * Network analysis over a plain {@link GraphSnapshot}: pure functions, no Yjs, no DOM, safe
 * to run in a Web Worker. See README.md in this folder.
 */
export type { GraphSnapshot, SnapshotIntro, SnapshotPerson, SnapshotTie } from './snapshot.ts';
export { analysisJson, analyze } from './analyze.ts';
export type { Analysis, AnalyzeOptions, AnalyzedCluster, Broker } from './analyze.ts';
export { clusters, DEFAULT_SEED } from './clusters.ts';
export type { Cluster, ClusterLike, ClusterOptions, ClusterResult } from './clusters.ts';
export { selfSustaining } from './self-sustaining.ts';
export type { SelfSustaining } from './self-sustaining.ts';
export { structuralHoles } from './holes.ts';
export type { StructuralHoles, StructureOptions } from './holes.ts';
export { bridges, embeddedness, localBridges } from './bridges.ts';
export type { Bridge, LocalBridge, TieEmbeddedness } from './bridges.ts';
export { neglectedTies, ONLY_LINK_WEIGHT } from './neglect.ts';
export type { NamedClusterLike, NeglectedTie, NeglectOptions } from './neglect.ts';
export { feeding } from './feeding.ts';
export type { Feeding, FollowOnTie, IntroducedTie, ReceivedIntro } from './feeding.ts';
export { suggestClusterName } from './naming.ts';
export type { ClusterName } from './naming.ts';
export {
  GROUP_NONE,
  GROUP_OTHER,
  STAR_SHARE,
  groupPeople,
  groupingTag,
  isStarLike,
  organisationKey,
  ownerTieShare,
  tagKey,
} from './grouping.ts';
export type { GroupBy, Grouping, GroupingOptions, PersonGroup } from './grouping.ts';
