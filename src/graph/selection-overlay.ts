/**
 * The selected person in a large drawn graph, on a canvas of our own laid over Cytoscape's:
 * their ring, their ties, their neighbours' rings and everyone's names, redrawn after each
 * Cytoscape frame (`render`) from public API only.
 *
 * Why not the selection classes, as small graphs do: a large graph's node canvas is drawn
 * from Cytoscape's cached texture of every element, and any style change of a drawn element
 * (a class is one) invalidates it — the next frames draw all of them one by one (about a
 * second at 10,000 people and 50,000 ties, in one main-thread task) and the texture is then
 * rebuilt. Opening a person would pay that on every click (issue 14). Drawn here, the
 * selection changes no element, so Cytoscape's texture stays valid and a click costs a
 * frame of its cached drawing plus a few dozen shapes.
 */
import type { Core, EdgeSingular, NodeSingular } from 'cytoscape';
import { OVERDUE_COLOR } from './elements.ts';
import { SELECT_COLOR } from './style.ts';

/** The node label's font (as the stylesheet's), in model units scaled by the zoom. */
const FONT_SIZE = 11;
const FONT_FAMILY = 'system-ui, sans-serif';
/** The selected person's name is never drawn smaller than this on screen (pixels). */
const MIN_SELECTED_FONT_PX = 11;
/** Neighbours' names smaller than this on screen are left out (unreadable, as Cytoscape does). */
const MIN_NEAR_FONT_PX = 5;
const LABEL_GAP = 3;
const LABEL_MAX_WIDTH = 120;

/** Who the overlay shows, for tests: the selected node and the ids of its neighbourhood. */
export interface OverlayState {
  readonly selected: string | null;
  readonly nodes: readonly string[];
  readonly edges: readonly string[];
}

/** Draws the selection of one Cytoscape instance; `destroy()` removes the canvas. */
export class SelectionOverlay {
  readonly canvas: HTMLCanvasElement;
  private selected: string | null = null;
  private readonly onRender = () => this.draw();
  private frame: number | undefined;

  constructor(private readonly cy: Core) {
    const canvas = document.createElement('canvas');
    canvas.className = 'vt-selection-overlay';
    canvas.setAttribute('aria-hidden', 'true');
    // Above Cytoscape's canvases, and every pointer event goes through to them.
    canvas.style.cssText =
      'position:absolute;left:0;top:0;pointer-events:none;z-index:10;width:100%;height:100%';
    this.canvas = canvas;
    const container = cy.container();
    if (container) {
      if (getComputedStyle(container).position === 'static') container.style.position = 'relative';
      container.append(canvas);
    }
    cy.on('render', this.onRender);
  }

  /** Show `id` (and their ties and neighbours) as selected; `null` shows nobody. */
  show(id: string | null): void {
    if (id === this.selected) return;
    this.selected = id;
    this.canvas.dataset.selected = id ?? '';
    // Drawn in the next frame, whether or not Cytoscape draws one (nothing of it changed).
    if (this.frame === undefined)
      this.frame = requestAnimationFrame(() => {
        this.frame = undefined;
        this.draw();
      });
  }

  /** What is drawn now (for tests). */
  state(): OverlayState {
    const node = this.node();
    if (!node) return { selected: null, nodes: [], edges: [] };
    const hood = node.neighborhood();
    return {
      selected: node.id(),
      nodes: hood.nodes().map((n) => n.id()),
      edges: hood.edges().map((e) => e.id()),
    };
  }

  destroy(): void {
    this.cy.off('render', this.onRender);
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.canvas.remove();
  }

  private node(): NodeSingular | undefined {
    if (this.selected === null) return undefined;
    const n = this.cy.getElementById(this.selected);
    return n.nonempty() && n.isNode() && n.visible() ? (n as NodeSingular) : undefined;
  }

  private draw(): void {
    const cy = this.cy;
    const canvas = this.canvas;
    const ratio = globalThis.devicePixelRatio || 1;
    const w = cy.width();
    const h = cy.height();
    if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const node = this.node();
    if (!node) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const zoom = cy.zoom();
    const hood = node.neighborhood();
    const near = hood.nodes().filter((n) => n.visible());
    // Ties first, then the people over them (as Cytoscape draws nodes over edges).
    hood.edges().forEach((e) => {
      if (e.visible()) this.drawEdge(ctx, e, zoom);
    });
    near.forEach((n) => this.drawNode(ctx, n, 3));
    this.drawNode(ctx, node, 5);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    near.forEach((n) => this.drawLabel(ctx, n, zoom, false));
    this.drawLabel(ctx, node, zoom, true);
  }

  private drawEdge(ctx: CanvasRenderingContext2D, e: EdgeSingular, zoom: number): void {
    const a = e.source().renderedPosition();
    const b = e.target().renderedPosition();
    const width = (Number(e.numericStyle('width')) || 1) * zoom;
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.lineWidth = Math.max(1, width);
    ctx.strokeStyle = e.data('overdue') ? OVERDUE_COLOR : SELECT_COLOR;
    ctx.stroke();
  }

  private drawNode(ctx: CanvasRenderingContext2D, n: NodeSingular, ring: number): void {
    const p = n.renderedPosition();
    const r = Math.max(1, n.renderedWidth() / 2);
    ctx.beginPath();
    ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
    ctx.fillStyle = String(n.style('background-color') || SELECT_COLOR);
    ctx.fill();
    ctx.beginPath();
    ctx.arc(p.x, p.y, r + ring / 2, 0, Math.PI * 2);
    ctx.lineWidth = ring;
    ctx.strokeStyle = SELECT_COLOR;
    ctx.stroke();
  }

  private drawLabel(
    ctx: CanvasRenderingContext2D,
    n: NodeSingular,
    zoom: number,
    selected: boolean,
  ): void {
    let text = String(n.data('label') ?? '');
    if (!text) return;
    const size = selected ? Math.max(MIN_SELECTED_FONT_PX, FONT_SIZE * zoom) : FONT_SIZE * zoom;
    if (size < MIN_NEAR_FONT_PX) return;
    const scale = size / FONT_SIZE;
    ctx.font = `${selected ? 'bold ' : ''}${size}px ${FONT_FAMILY}`;
    const max = LABEL_MAX_WIDTH * scale;
    if (ctx.measureText(text).width > max) {
      while (text.length > 1 && ctx.measureText(`${text}…`).width > max) text = text.slice(0, -1);
      text = `${text}…`;
    }
    const p = n.renderedPosition();
    const y = p.y + n.renderedHeight() / 2 + LABEL_GAP * scale;
    const width = ctx.measureText(text).width;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(p.x - width / 2 - 2, y - 1, width + 4, size + 3);
    ctx.fillStyle = '#1f2933';
    ctx.fillText(text, p.x, y);
  }
}
