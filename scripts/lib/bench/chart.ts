/** One line of a chart: a name, a colour and (x, y) points. */
export interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  /** Drawn dashed: for targets and other reference lines. */
  readonly dashed?: boolean;
}

/** One panel: a title, axis labels and its lines. The x axis is logarithmic (corpus sizes grow tenfold). */
export interface Panel {
  readonly title: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
}

const WIDTH = 440;
const HEIGHT = 300;
const MARGIN = { left: 56, right: 16, top: 34, bottom: 74 };

/**
 * Panels side by side as one SVG document: line charts against corpus size (log scale), with
 * ticks, grid lines and a legend under each panel. Plain SVG, no scripts or fonts to fetch.
 */
export function renderChart(panels: readonly Panel[], caption: string): string {
  const body = panels.map((p, i) => `<g transform="translate(${i * WIDTH},0)">${renderPanel(p)}</g>`).join("\n");
  const width = panels.length * WIDTH;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT + 24}" viewBox="0 0 ${width} ${HEIGHT + 24}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    body,
    `<text x="${width / 2}" y="${HEIGHT + 16}" text-anchor="middle" fill="#555">${escapeXml(caption)}</text>`,
    `</svg>`,
    "",
  ].join("\n");
}

function renderPanel(panel: Panel): string {
  const points = panel.series.flatMap((s) => s.points).filter(([x, y]) => x > 0 && Number.isFinite(y));
  const xs = points.map(([x]) => x);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const yMax = niceCeiling(Math.max(...points.map(([, y]) => y), 0));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const lx = (x: number) =>
    xMax > xMin ? (Math.log10(x) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin)) : 0.5;
  const px = (x: number) => MARGIN.left + lx(x) * plotW;
  const py = (y: number) => MARGIN.top + plotH - (yMax > 0 ? (y / yMax) * plotH : 0);
  const out: string[] = [];
  out.push(
    `<text x="${WIDTH / 2}" y="18" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(panel.title)}</text>`,
  );
  for (let i = 0; i <= 4; i++) {
    const y = (yMax * i) / 4;
    out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${py(y)}" y2="${py(y)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${py(y) + 4}" text-anchor="end" fill="#555">${formatNumber(y)}</text>`);
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    out.push(`<line x1="${px(x)}" x2="${px(x)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#f0f0f0"/>`);
    out.push(
      `<text x="${px(x)}" y="${MARGIN.top + plotH + 14}" text-anchor="middle" fill="#555">${formatNumber(x)}</text>`,
    );
  }
  out.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH + 30}" text-anchor="middle" fill="#333">passages (log scale)</text>`,
  );
  out.push(
    `<text transform="translate(14,${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#333">${escapeXml(panel.yLabel)}</text>`,
  );
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  panel.series.forEach((s, i) => {
    const pts = s.points.filter(([x, y]) => x > 0 && Number.isFinite(y));
    const dash = s.dashed ? ` stroke-dasharray="5 4"` : "";
    out.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${pts.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(" ")}"/>`,
    );
    if (!s.dashed)
      for (const [x, y] of pts)
        out.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${s.color}"/>`);
    const lxPos = MARGIN.left + (i % 2) * (plotW / 2);
    const lyPos = MARGIN.top + plotH + 46 + Math.floor(i / 2) * 14;
    out.push(
      `<line x1="${lxPos}" x2="${lxPos + 16}" y1="${lyPos - 4}" y2="${lyPos - 4}" stroke="${s.color}" stroke-width="2"${dash}/>`,
    );
    out.push(`<text x="${lxPos + 20}" y="${lyPos}" fill="#333">${escapeXml(s.name)}</text>`);
  });
  return out.join("\n");
}

/** 1, 2, 2.5 or 5 times a power of ten, at least `x`: round numbers for the top of an axis. */
export function niceCeiling(x: number): number {
  if (x <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= x) return step * power;
  return 10 * power;
}

function formatNumber(x: number): string {
  if (x >= 1000) return `${Number((x / 1000).toFixed(1))}k`;
  return String(Number(x.toFixed(2)));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
