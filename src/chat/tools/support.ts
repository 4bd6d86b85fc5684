// Reading an issue's category and priority from the customer's words, for escalations and
// requests for a person. An explicit category or priority from the model always wins.
import type { EscalationInput, HandoffRequest } from './types.ts';

export type EscalationCategory = NonNullable<EscalationInput['category']>;
export type Priority = HandoffRequest['priority'];

const categoryRules: [RegExp, EscalationCategory][] = [
  [/\b(damag|broke|broken|crack|scratch|dent|torn|tear|ripped|stain|defect|faulty|missing (part|piece|hardware|leg)|wobbl|sagg|tip(ped|ping|s)? over)/i, 'damaged_item'],
  [/\b(refund|money back|reimburs|charge ?back|overcharg|double[- ]charg|charged twice|return)/i, 'refund'],
  [/\b(deliver|late|never (arrived|came|showed)|reschedul|no[- ]show|driver|truck|arriv)/i, 'delivery'],
  [/\b(complain|rude|unhappy|terrible|awful|disappoint|unacceptable|worst|manager|frustrat)/i, 'complaint'],
];

const urgentPattern = /\b(urgent|emergency|danger|injur|hurt|unsafe|fire|smok|sparks?|electric|bleed|collaps|fell on|tipp(ed|ing) over)/i;

export function inferCategory(issue: string): EscalationCategory {
  return categoryRules.find(([pattern]) => pattern.test(issue))?.[1] ?? 'other';
}

/** urgent for safety words, high for damaged items and refunds, else normal. */
export function inferPriority(issue: string, category: EscalationCategory): Priority {
  if (urgentPattern.test(issue)) return 'urgent';
  if (category === 'damaged_item' || category === 'refund') return 'high';
  return 'normal';
}

export function isUrgent(text: string): boolean {
  return urgentPattern.test(text);
}

export const categoryTitles: Record<EscalationCategory, string> = {
  damaged_item: 'Damaged item',
  refund: 'Refund',
  complaint: 'Complaint',
  delivery: 'Delivery',
  other: 'Customer issue',
};

export function nextStepsFor(priority: Priority, category: EscalationCategory): string {
  const photos = category === 'damaged_item' ? ' If you can, add photos of the damage and the product label here.' : '';
  if (priority === 'urgent') {
    return `Our customer care team has been alerted and will reply in this chat as soon as possible. If anyone is hurt or in danger, please call 911 first.${photos}`;
  }
  return `A member of our customer care team will pick this up and reply right here in this chat.${photos}`;
}

export const truncate = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);
