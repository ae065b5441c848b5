/**
 * Typography props making an InfoCard title a level-3 heading, under the
 * level-2 section headings of the tab (InfoCard titles are not headings by default).
 */
export const CARD_TITLE_PROPS = { component: 'h3' } as const;
