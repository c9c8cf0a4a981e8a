/**
 * The plain graph every analysis function reads: no Yjs, no DOM, so it can cross to a
 * Web Worker with `postMessage` (structured clone) and be built by hand in tests.
 *
 * The model produces it with `graphSnapshot()` in `src/model/snapshot.ts`; people and
 * ties in it are the visible ones only (deleted people and their ties are already gone).
 */

/** A visible person as the analysis sees them. */
export interface SnapshotPerson {
  readonly id: string;
  readonly name: string;
  readonly org?: string;
  readonly tags: readonly string[];
  readonly underGlass?: boolean;
  /** ISO date of the newest touch with this person, if any. */
  readonly lastTouched?: string;
  /** Effective keep-in-touch cadence in days (person's own, else the tightest of their tags). */
  readonly cadenceDays?: number;
}

/** A tie between two visible people, with its strength and last touch. */
export interface SnapshotTie {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly kind: string;
  /** 1 (faint) to 5 (very strong). */
  readonly strength: number;
  readonly since?: string;
  readonly createdAt: string;
  /** The introduction that made this tie. */
  readonly introId?: string;
  readonly introducedBy?: string;
  /**
   * `inferred`: made by an import from meetings or conversations together, not by the
   * owner. Counted like any tie (its strength, 1–3, already says how much it weighs);
   * drawn thin and dotted.
   */
  readonly provenance?: 'inferred';
  /**
   * ISO date of the newest touch that reached this tie: for a tie to the owner, the newest
   * touch with the other person; otherwise the newest touch with both ends.
   */
  readonly lastTouched?: string;
  /** Effective cadence in days: the tie's own, else the cadence of its non-owner end. */
  readonly cadenceDays?: number;
}

/** An introduction, for the feeding analysis (who introduced whom, and what came of it). */
export interface SnapshotIntro {
  readonly id: string;
  readonly a: string;
  readonly b: string;
  readonly by: string;
  readonly state: string;
  readonly outcome?: string;
  readonly createdAt: string;
  readonly tieId?: string;
}

/** Everything the analysis reads: plain data, built by the model or by hand in tests. */
export interface GraphSnapshot {
  /** The person who keeps the notebook. */
  readonly owner: string;
  /** "Now" for overdue computations (ISO), so results are reproducible. */
  readonly now: string;
  readonly people: readonly SnapshotPerson[];
  readonly ties: readonly SnapshotTie[];
  readonly intros: readonly SnapshotIntro[];
}
