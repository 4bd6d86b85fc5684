// Evaluates the enrichment analyzers on the labelled set and prints a report.
//   npx tsx bench/eval-enrichment.ts            report
//   npx tsx bench/eval-enrichment.ts --errors   also list every disagreement
//   npx tsx bench/eval-enrichment.ts --split holdout   the tables for one split only
// Exits 1 when topic macro-F1 < 0.8 or sentiment accuracy < 0.8.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeMessage } from '../src/enrichment/index.ts';
import { evaluate, SENTIMENT_LABELS, validateEvalItems } from '../src/enrichment/evaluate.ts';
import { PRIORITY_LEVELS } from '../src/enrichment/priority.ts';

const MIN_MACRO_F1 = 0.8;
const MIN_SENTIMENT_ACCURACY = 0.8;

const path = fileURLToPath(new URL('../test/fixtures/enrichment-eval.json', import.meta.url));
const all = validateEvalItems(JSON.parse(readFileSync(path, 'utf8')));
const splitArg = process.argv.indexOf('--split');
const only = splitArg !== -1 ? process.argv[splitArg + 1] : undefined;
const items = only ? all.filter((i) => i.split === only) : all;
const r = evaluate(items);
const bySplit = evaluate(all).perSplit;
const pct = (x: number) => (x * 100).toFixed(1).padStart(5) + '%';
const f = (x: number) => x.toFixed(3);

console.log(`Enrichment evaluation${only ? ` [split ${only}]` : ''} — ${r.n} messages (${Object.entries(r.byLang).map(([k, v]) => `${k} ${v}`).join(', ')})\n`);
console.log('topic                    support   TP   FP   FN  precision  recall     F1');
for (const t of r.topics) {
  console.log(
    `${t.topic.padEnd(24)} ${String(t.support).padStart(7)} ${String(t.tp).padStart(4)} ${String(t.fp).padStart(4)} ${String(t.fn).padStart(4)}      ${f(t.precision)}   ${f(t.recall)}  ${f(t.f1)}`,
  );
}
console.log(`\ntopic macro-F1: ${f(r.macroF1)}   micro-F1: ${f(r.microF1)}   exact topic set: ${pct(r.exactTopicSetAccuracy)}`);

console.log(`\nsentiment accuracy: ${pct(r.sentimentAccuracy)}`);
console.log(`gold \\ predicted  ${SENTIMENT_LABELS.map((l) => l.padStart(9)).join('')}`);
for (const g of SENTIMENT_LABELS) {
  console.log(`${g.padEnd(16)} ${SENTIMENT_LABELS.map((p) => String(r.sentimentConfusion[g][p]).padStart(9)).join('')}`);
}

console.log(`\npriority accuracy: ${pct(r.priorityAccuracy)}   within one level: ${pct(r.priorityWithinOne)}`);
console.log(`gold \\ predicted  ${PRIORITY_LEVELS.map((l) => l.padStart(8)).join('')}`);
for (const g of PRIORITY_LEVELS) {
  console.log(`${g.padEnd(16)} ${PRIORITY_LEVELS.map((p) => String(r.priorityConfusion[g][p]).padStart(8)).join('')}`);
}

console.log('\nper split (dev: cues written against it; holdout1: written after round 1, then used for round 2; holdout2: written after round 2, then used for round 3; holdout3: written after round 3, never tuned on):');
for (const [split, m] of Object.entries(bySplit)) {
  console.log(`  ${split.padEnd(8)} n=${m.n}  topic macro-F1 ${f(m.macroF1)}  sentiment ${pct(m.sentimentAccuracy)}  priority ${pct(m.priorityAccuracy)}`);
}
console.log('\nper language:');
for (const [lang, m] of Object.entries(r.perLang)) {
  console.log(`  ${lang}: n=${m.n}  topic macro-F1 ${f(m.macroF1)}  sentiment ${pct(m.sentimentAccuracy)}  priority ${pct(m.priorityAccuracy)}`);
}

// Cost of analyzeMessage (topics + sentiment), typical messages and a 6,000-char one.
const texts = items.map((i) => i.text);
const long = (texts.join(' ') + ' ').repeat(4).slice(0, 6000);
for (let i = 0; i < 3000; i++) analyzeMessage(texts[i % texts.length]);
const reps = 20_000;
let t0 = process.hrtime.bigint();
for (let i = 0; i < reps; i++) analyzeMessage(texts[i % texts.length]);
const perMsg = Number(process.hrtime.bigint() - t0) / reps / 1000;
t0 = process.hrtime.bigint();
for (let i = 0; i < 200; i++) analyzeMessage(long);
const perLong = Number(process.hrtime.bigint() - t0) / 200 / 1000;
console.log(`\nanalyzeMessage cost: ${perMsg.toFixed(1)} µs per eval message (avg ${Math.round(texts.join('').length / texts.length)} chars), ${perLong.toFixed(0)} µs for 6,000 chars`);

if (process.argv.includes('--errors')) {
  console.log('\nDisagreements (gold → predicted):');
  for (const p of r.predictions) {
    const gt = [...p.item.topics].sort().join(',');
    const pt = [...p.topics].sort().join(',');
    const bad: string[] = [];
    if (gt !== pt) bad.push(`topics [${gt}] → [${pt}]`);
    if (p.sentiment !== p.item.sentiment) bad.push(`sentiment ${p.item.sentiment} → ${p.sentiment} (${p.sentimentScore})`);
    if (p.priority !== p.item.priority) bad.push(`priority ${p.item.priority} → ${p.priority}`);
    if (bad.length) console.log(`- [${p.item.lang}/${p.item.split}] ${JSON.stringify(p.item.text.slice(0, 110))}\n    ${bad.join(' | ')}`);
  }
}

const ok = r.macroF1 >= MIN_MACRO_F1 && r.sentimentAccuracy >= MIN_SENTIMENT_ACCURACY;
console.log(
  `\n${ok ? 'PASS' : 'FAIL'}: topic macro-F1 ${f(r.macroF1)} (min ${MIN_MACRO_F1}), sentiment accuracy ${f(r.sentimentAccuracy)} (min ${MIN_SENTIMENT_ACCURACY})`,
);
process.exit(ok ? 0 : 1);
