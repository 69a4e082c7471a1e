/**
 * The palette meets WCAG 2.1 AA at its source: every text token on every surface it is drawn
 * on (badge fills, the hovered row, the selected item, a disabled control) reaches 4.5:1, and
 * the outline of form controls and the focus ring 3:1 (non-text contrast). The tokens are read
 * from styles.css, so a new shade that fails is caught here before any screen shows it; axe
 * in the browser suite checks the screens, but not hover, selection or disabled states.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

type Rgb = [number, number, number];

const css = fs.readFileSync(path.join(import.meta.dirname, "styles.css"), "utf8");

/** `--color-<name>: oklch(L C H)` from the @theme block. */
function token(name: string): Rgb {
  const match = new RegExp(`--color-${name}:\\s*oklch\\(([\\d.]+) ([\\d.]+) ([\\d.]+)\\)`).exec(
    css,
  );
  if (!match) throw new Error(`styles.css has no oklch token --color-${name}`);
  const [l, c, h] = match.slice(1).map(Number) as [number, number, number];
  return oklchToSrgb(l, c, h);
}

/** OKLCH to gamma-encoded sRGB in [0, 1] (Björn Ottosson's matrices), clipped to the gamut. */
function oklchToSrgb(lightness: number, chroma: number, hue: number): Rgb {
  const a = chroma * Math.cos((hue * Math.PI) / 180);
  const b = chroma * Math.sin((hue * Math.PI) / 180);
  const l = (lightness + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (lightness - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (lightness - 0.0894841775 * a - 1.291485548 * b) ** 3;
  const linear: Rgb = [
    4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s,
    -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s,
    -0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s,
  ];
  return linear.map((v) => {
    const c = Math.min(1, Math.max(0, v));
    return c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
  }) as Rgb;
}

/** `color/alpha` (Tailwind's `bg-success/10`) drawn over an opaque colour, as browsers blend. */
function over(color: Rgb, alpha: number, below: Rgb): Rgb {
  return color.map((c, i) => alpha * c + (1 - alpha) * below[i]!) as Rgb;
}

function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(x: Rgb, y: Rgb): number {
  const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const card = token("card");
const background = token("background");
const muted = token("muted");
const accent = token("accent");
const secondary = token("secondary");
const hoverRow = over(muted, 0.5, card);

/** Where text sits: plain surfaces and their interactive states. */
const surfaces: Record<string, Rgb> = {
  card,
  background,
  "muted (disabled control, code)": muted,
  "accent (selected item, active nav)": accent,
  secondary,
  "hovered table row (muted/50)": hoverRow,
  "sign-in page (muted/40)": over(muted, 0.4, background),
};

/** A translucent fill (badge, alert, toast) on the surfaces it appears on. */
const fills = (color: string, alpha: number): Record<string, Rgb> => ({
  [`${color}/${alpha * 100} on card`]: over(token(color), alpha, card),
  [`${color}/${alpha * 100} on a hovered row`]: over(token(color), alpha, hoverRow),
  [`${color}/${alpha * 100} on accent`]: over(token(color), alpha, accent),
});

const textCases: Array<[string, Record<string, Rgb>]> = [
  ["foreground", surfaces],
  ["muted-foreground", surfaces],
  ["primary", { ...surfaces, ...fills("primary", 0.1) }],
  ["destructive", { ...surfaces, ...fills("destructive", 0.1), ...fills("destructive", 0.05) }],
  ["success", { ...surfaces, ...fills("success", 0.1) }],
  ["warning-foreground", { ...surfaces, ...fills("warning", 0.2), ...fills("warning", 0.1) }],
  ["secondary-foreground", { secondary, "secondary/80 (hover)": over(secondary, 0.8, card) }],
  [
    "primary-foreground",
    { primary: token("primary"), "primary/90 (hover)": over(token("primary"), 0.9, card) },
  ],
  [
    "destructive-foreground",
    {
      destructive: token("destructive"),
      "destructive/90 (hover)": over(token("destructive"), 0.9, card),
    },
  ],
];

describe("palette contrast (WCAG 2.1 AA)", () => {
  for (const [text, on] of textCases) {
    for (const [surface, colour] of Object.entries(on)) {
      it(`${text} text on ${surface} reaches 4.5:1`, () => {
        expect(contrast(token(text), colour)).toBeGreaterThanOrEqual(4.5);
      });
    }
  }

  for (const component of ["input", "ring"]) {
    for (const [surface, colour] of Object.entries({ card, background, muted })) {
      it(`${component} (control outline) on ${surface} reaches 3:1`, () => {
        expect(contrast(token(component), colour)).toBeGreaterThanOrEqual(3);
      });
    }
  }

  it("computes contrast as WCAG does", () => {
    expect(contrast([0, 0, 0], [1, 1, 1])).toBeCloseTo(21, 5);
    // #767676 on white is the classic 4.54:1.
    const grey = 0x76 / 255;
    expect(contrast([grey, grey, grey], [1, 1, 1])).toBeCloseTo(4.54, 2);
    // The old success badge, as axe measured it in Chromium (3.95; 8-bit rounding aside).
    expect(
      contrast(oklchToSrgb(0.55, 0.15, 150), over(oklchToSrgb(0.55, 0.15, 150), 0.1, card)),
    ).toBeLessThan(4);
  });
});
