/**
 * GraphML export (http://graphml.graphdrawing.org/), for Gephi and Cytoscape desktop.
 *
 * People are nodes and ties undirected edges, each attribute declared once as a typed
 * `<key>` (`string`, `int`, `double`, `boolean`). Gephi takes the node key named `label`
 * as the node label and the edge key named `weight` as the edge weight, so both are
 * written (weight = tie strength). List fields (emails, tags, …) are one string joined
 * by `; `, since GraphML has no list type. Only people not in the trash and the ties
 * between them; the owner is flagged with `owner = true`.
 *
 * Written by hand rather than through a graph library: the format is a few lines of
 * XML, and this keeps the typed keys and their order under our control.
 */
import {
  lastTouched,
  listPeople,
  listTies,
  type Notebook,
  type Person,
  type Tie,
} from '../model/index.ts';

type KeyType = 'string' | 'int' | 'double' | 'boolean';

interface Key<T> {
  id: string;
  name: string;
  type: KeyType;
  value: (x: T, nb: Notebook) => string | number | boolean | undefined;
}

const list = (v: readonly string[]) => (v.length ? v.join('; ') : undefined);

const NODE_KEYS: Key<Person>[] = [
  { id: 'n_label', name: 'label', type: 'string', value: (p) => p.name },
  { id: 'n_org', name: 'org', type: 'string', value: (p) => p.org },
  { id: 'n_role', name: 'role', type: 'string', value: (p) => p.role },
  { id: 'n_emails', name: 'emails', type: 'string', value: (p) => list(p.emails) },
  { id: 'n_phones', name: 'phones', type: 'string', value: (p) => list(p.phones) },
  { id: 'n_links', name: 'links', type: 'string', value: (p) => list(p.links) },
  { id: 'n_tags', name: 'tags', type: 'string', value: (p) => list(p.tags) },
  { id: 'n_location', name: 'location', type: 'string', value: (p) => p.location },
  { id: 'n_birthday', name: 'birthday', type: 'string', value: (p) => p.birthday },
  { id: 'n_howWeMet', name: 'howWeMet', type: 'string', value: (p) => p.howWeMet },
  { id: 'n_notes', name: 'notes', type: 'string', value: (p) => p.notes || undefined },
  { id: 'n_underGlass', name: 'underGlass', type: 'boolean', value: (p) => p.underGlass },
  { id: 'n_owner', name: 'owner', type: 'boolean', value: (p, nb) => p.id === nb.ownerId },
  { id: 'n_cadenceDays', name: 'cadenceDays', type: 'int', value: (p) => p.cadenceDays },
  {
    id: 'n_lastTouched',
    name: 'lastTouched',
    type: 'string',
    value: (p, nb) => lastTouched(nb, p.id),
  },
  { id: 'n_createdAt', name: 'createdAt', type: 'string', value: (p) => p.createdAt || undefined },
];

const EDGE_KEYS: Key<Tie>[] = [
  { id: 'e_kind', name: 'kind', type: 'string', value: (t) => t.kind },
  { id: 'e_strength', name: 'strength', type: 'int', value: (t) => t.strength },
  { id: 'e_weight', name: 'weight', type: 'double', value: (t) => t.strength },
  { id: 'e_since', name: 'since', type: 'string', value: (t) => t.since },
  { id: 'e_introducedBy', name: 'introducedBy', type: 'string', value: (t) => t.introducedBy },
  { id: 'e_introId', name: 'introId', type: 'string', value: (t) => t.introId },
  { id: 'e_note', name: 'note', type: 'string', value: (t) => t.note },
  { id: 'e_cadenceDays', name: 'cadenceDays', type: 'int', value: (t) => t.cadenceDays },
  { id: 'e_createdAt', name: 'createdAt', type: 'string', value: (t) => t.createdAt || undefined },
];

/**
 * Escape text for XML, dropping characters XML 1.0 cannot hold at all (C0 controls other
 * than tab and line breaks, lone surrogates, U+FFFE/U+FFFF). CR is written as `&#13;`: a
 * parser turns a raw CR or CRLF into LF (XML 1.0 §2.11), which would change the notes.
 */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;');
}

/** Escape an attribute value: also tab and LF, which a parser would turn into spaces. */
function xmlAttr(s: string): string {
  return xmlEscape(s).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

function data<T>(keys: Key<T>[], x: T, nb: Notebook, indent: string): string[] {
  const out: string[] = [];
  for (const k of keys) {
    const v = k.value(x, nb);
    if (v === undefined || v === '' || (k.type === 'boolean' && v === false)) continue;
    out.push(`${indent}<data key="${k.id}">${xmlEscape(String(v))}</data>`);
  }
  return out;
}

/** The notebook's people and ties as a GraphML document. */
export function exportGraphml(nb: Notebook): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
  ];
  for (const k of NODE_KEYS) {
    lines.push(`  <key id="${k.id}" for="node" attr.name="${k.name}" attr.type="${k.type}"/>`);
  }
  for (const k of EDGE_KEYS) {
    lines.push(`  <key id="${k.id}" for="edge" attr.name="${k.name}" attr.type="${k.type}"/>`);
  }
  lines.push('  <graph id="vitrine" edgedefault="undirected">');
  for (const p of listPeople(nb)) {
    lines.push(
      `    <node id="${xmlAttr(p.id)}">`,
      ...data(NODE_KEYS, p, nb, '      '),
      '    </node>',
    );
  }
  for (const t of listTies(nb)) {
    lines.push(
      `    <edge id="${xmlAttr(t.id)}" source="${xmlAttr(t.from)}" target="${xmlAttr(t.to)}">`,
      ...data(EDGE_KEYS, t, nb, '      '),
      '    </edge>',
    );
  }
  lines.push('  </graph>', '</graphml>', '');
  return lines.join('\n');
}
