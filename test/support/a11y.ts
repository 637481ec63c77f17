// Accessibility checks for the browser tests: axe-core injected into the page, and the element
// that has keyboard focus with its outline.
import axe from 'axe-core';
import type { Locator, Page } from 'playwright-core';
import type { AxeViolation } from './web.ts';

/** axe-core's impact levels that fail a page. Minor and moderate findings are not reported. */
const FAILING_IMPACTS = new Set(['serious', 'critical']);

/**
 * Injects axe-core's `axe.source` into the page unless it is loaded, runs the rules that axe-core
 * enables by default and target-size on the whole document, and returns the violations of
 * serious or critical impact.
 */
export async function findSeriousViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in globalThis);
  if (!loaded) await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const scope = globalThis as unknown as {
      document: unknown;
      axe: { run(context: unknown, options: object): Promise<{ violations: AxeViolation[] }> };
    };
    // target-size checks WCAG 2.2's minimum target size, which axe-core leaves off by default.
    const options = { resultTypes: ['violations'], rules: { 'target-size': { enabled: true } } };
    const result = await scope.axe.run(scope.document, options);
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({ target: node.target, failureSummary: node.failureSummary })),
    }));
  });
  return violations.filter((violation) => FAILING_IMPACTS.has(violation.impact ?? ''));
}

export interface FocusState {
  /** Tag, id and accessible text of the focused element, such as `button "Tilldela"`. */
  description: string;
  /** True when the focused element draws an outline at least 2 CSS pixels wide. */
  outlined: boolean;
  /** True when focus is inside an open dialog. */
  inDialog: boolean;
}

/** Describes the element that has focus, and whether its focus indicator is drawn. */
export function readFocus(page: Page): Promise<FocusState> {
  return page.evaluate(() => {
    const scope = globalThis as unknown as {
      document: { activeElement: FocusedElement | null; body: FocusedElement };
      getComputedStyle(element: FocusedElement): { outlineStyle: string; outlineWidth: string };
    };
    interface FocusedElement {
      tagName: string;
      id: string;
      textContent: string | null;
      getAttribute(name: string): string | null;
      closest(selector: string): FocusedElement | null;
      cloneNode(deep: boolean): FocusedElement;
      querySelectorAll(selector: string): { remove(): void }[];
    }
    const element = scope.document.activeElement ?? scope.document.body;
    const style = scope.getComputedStyle(element);
    // The text without parts hidden from assistive technology, such as a button's shortcut key.
    const visibleToScreenReaders = element.cloneNode(true);
    for (const hidden of visibleToScreenReaders.querySelectorAll('[aria-hidden="true"]')) hidden.remove();
    const label = element.getAttribute('aria-label') ?? visibleToScreenReaders.textContent ?? '';
    const text = label.replace(/\s+/g, ' ').trim().slice(0, 200);
    const id = element.id ? `#${element.id}` : '';
    return {
      description: `${element.tagName.toLowerCase()}${id} "${text}"`,
      outlined: style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2,
      inDialog: element.closest('dialog[open]') !== null,
    };
  });
}

/**
 * Presses Tab until `target` has focus, and returns the focus at every stop on the way, the
 * target last. Throws with the stops when the target is not reached within `maxPresses`.
 */
export async function tabTo(page: Page, target: Locator, maxPresses = 40): Promise<FocusState[]> {
  const stops: FocusState[] = [];
  for (let press = 0; press < maxPresses; press++) {
    await page.keyboard.press('Tab');
    stops.push(await readFocus(page));
    const reached = await target.evaluate((element) => element === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement);
    if (reached) return stops;
  }
  throw new Error(`Tab did not reach the target in ${maxPresses} presses. Focus went to:\n${stops.map((stop) => stop.description).join('\n')}`);
}
