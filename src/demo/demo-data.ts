import { LeadSource } from '../features/leads/lead.enums';
import { StageKind } from '../features/pipelines/stage-kind';

/** The demo's pipelines: the stages of a classic B2B funnel, renewals, and post-sale onboarding. */
export const DEMO_PIPELINES = {
  newBusiness: {
    name: 'New business',
    stages: [
      { name: 'Lead in', kind: StageKind.OPEN, probability: 0.1, rottingAfterDays: 14 },
      { name: 'Qualified', kind: StageKind.OPEN, probability: 0.25, rottingAfterDays: 14 },
      { name: 'Proposal', kind: StageKind.OPEN, probability: 0.5, rottingAfterDays: 10 },
      { name: 'Negotiation', kind: StageKind.OPEN, probability: 0.75, rottingAfterDays: 7 },
      { name: 'Won', kind: StageKind.WON, probability: 1 },
      { name: 'Lost', kind: StageKind.LOST, probability: 0 },
    ],
  },
  renewals: {
    name: 'Renewals',
    stages: [
      { name: 'Renewal due', kind: StageKind.OPEN, probability: 0.6, rottingAfterDays: 21 },
      { name: 'In discussion', kind: StageKind.OPEN, probability: 0.75, rottingAfterDays: 14 },
      { name: 'Contract sent', kind: StageKind.OPEN, probability: 0.9, rottingAfterDays: 7 },
      { name: 'Renewed', kind: StageKind.WON, probability: 1 },
      { name: 'Churned', kind: StageKind.LOST, probability: 0 },
    ],
  },
  onboarding: {
    name: 'Onboarding',
    stages: [
      { name: 'Kickoff', kind: StageKind.OPEN, probability: 0.3, rottingAfterDays: 7 },
      { name: 'Data import', kind: StageKind.OPEN, probability: 0.5, rottingAfterDays: 10 },
      { name: 'Training', kind: StageKind.OPEN, probability: 0.8, rottingAfterDays: 10 },
      { name: 'Live', kind: StageKind.WON, probability: 1 },
      { name: 'Stalled out', kind: StageKind.LOST, probability: 0 },
    ],
  },
};

/** Companies the demo's leads and deals belong to. */
export const COMPANIES = [
  'Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Industries', 'Wayne Enterprises', 'Soylent', 'Tyrell',
  'Cyberdyne', 'Vandelay', 'Wonka', 'Gringotts', 'Oscorp', 'Massive Dynamic', 'Aperture', 'Black Mesa', 'Virtucon',
  'Pied Piper', 'Dunder Mifflin', 'Sterling Cooper', 'Prestige Worldwide', 'Monarch', 'Nakatomi', 'Weyland',
  'Rekall', 'Blue Sun', 'Sirius Cybernetics', 'Bluth', 'Krusty', 'Los Pollos', 'Duff', 'Gekko', 'Ollivanders',
  'Zorg', 'Omni Consumer', 'InGen', 'Cogswell', 'Spacely', 'Ajax', 'Hanso', 'Kerbal', 'Benthic', 'Contoso',
  'Fabrikam', 'Northwind', 'Tailspin', 'Litware', 'Proseware', 'Adatum',
];

/** First names of the demo's contacts. */
export const FIRST_NAMES = ['Ana', 'Ben', 'Chloé', 'Dev', 'Eva', 'Femi', 'Gus', 'Hana', 'Ivan', 'Jade', 'Kai', 'Lena', 'Milo', 'Nia', 'Omar', 'Pia'];

/** What the demo's deals sell; a deal's title is its company and one of these. */
export const PRODUCTS = ['Platform', 'Analytics add-on', 'Enterprise plan', 'Team plan', 'Data connectors', 'Premium support'];

/** Why demo deals were lost. */
export const LOST_REASONS = ['Chose a competitor', 'No budget this year', 'No decision', 'Price too high', 'Missing integration'];

/** Sources weighted like a B2B mix: inbound and outbound lead, paid and partners follow. */
export const SOURCES: LeadSource[] = [
  LeadSource.INBOUND, LeadSource.INBOUND, LeadSource.INBOUND, LeadSource.OUTBOUND, LeadSource.OUTBOUND,
  LeadSource.PAID_ADS, LeadSource.PAID_ADS, LeadSource.ORGANIC_SEARCH, LeadSource.REFERRAL, LeadSource.PARTNER,
  LeadSource.EVENT, LeadSource.EMAIL, LeadSource.SOCIAL, LeadSource.OTHER,
];

/** Campaigns of the demo's leads (null: none). */
export const CAMPAIGNS = ['Spring webinar', 'Outbound Q1', 'Pricing page', 'Partner summit', 'Newsletter', null];

/** The demo's people: one user per role, plus two more reps who own deals. */
export const DEMO_REPS = [
  { sub: 'demo-rep', name: 'Riley Rep' },
  { sub: 'demo-rep-sam', name: 'Sam Ortega' },
  { sub: 'demo-rep-kim', name: 'Kim Lindqvist' },
];

/** A small seeded generator (mulberry32), so every demo workspace tells the same story. */
export function randomSource(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    between: (min: number, max: number) => min + next() * (max - min),
    int: (min: number, max: number) => Math.floor(min + next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}

/** The demo's seeded random source. */
export type Random = ReturnType<typeof randomSource>;
