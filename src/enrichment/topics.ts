// Topic taxonomy for Woodstock Outlet customer messages, and an explainable multi-label classifier
// (English and Spanish) built from weighted phrase cues.
//
// How it works: the text is folded (lower case, accents and apostrophes removed, see text.ts), then
// each topic's cues — regular expressions written in that folded form — are matched with word
// boundaries. A topic is reported when the weights of its matched cues add up to at least 1
// (a strong cue weighs 1, a supporting cue less). `cues` lists the matched phrases as they appear
// in the folded text, so an agent can see why. Some cues are cancelled by a negation just before
// them in the same clause ("no damage at all", "I'm not asking for a refund", "I don't need a
// person"). All regular expressions are compiled once at module load.

import { normalizeText } from './text.ts';

export const TOPIC_IDS = [
  'order_status',
  'delivery_scheduling',
  'damaged_defective',
  'returns_refunds',
  'product_search',
  'pricing_financing',
  'store_locations_hours',
  'loyalty',
  'account_identity',
  'complaint',
  'human_request',
] as const;

export type TopicId = (typeof TOPIC_IDS)[number];

/** Human labels for UIs and summaries. */
export const TOPIC_LABELS: Record<TopicId, string> = {
  order_status: 'Order status',
  delivery_scheduling: 'Delivery scheduling',
  damaged_defective: 'Damaged or defective item',
  returns_refunds: 'Returns and refunds',
  product_search: 'Product search',
  pricing_financing: 'Pricing and financing',
  store_locations_hours: 'Store locations and hours',
  loyalty: 'Loyalty and rewards',
  account_identity: 'Account and identity',
  complaint: 'Complaint',
  human_request: 'Asked for a person',
};

export interface TopicMatch {
  topic: TopicId;
  /** 0..1, grows with the weight of matched cues (1 - e^-weight). */
  score: number;
  /** Matched phrases, in the folded form (lower case, no accents), at most 6. */
  cues: string[];
}

export function isTopicId(x: unknown): x is TopicId {
  return typeof x === 'string' && (TOPIC_IDS as readonly string[]).includes(x);
}

// ---------------------------------------------------------------------------------------------
// Cue vocabulary (folded form). Shared noun groups keep the cue lists readable.

/** Furniture the customers talk about, English. */
const FURN_EN =
  '(?:sofa|sofas|couch|couches|sectional|sectionals|loveseat|loveseats|love seat|recliner|recliners|' +
  'chair|chairs|accent chair|ottoman|ottomans|bed|beds|bunk bed|bunk beds|bed frame|headboard|' +
  'mattress|mattresses|box spring|adjustable base|adjustable bases|dresser|dressers|nightstand|' +
  'nightstands|chest|table|tables|dining set|dining table|dining room set|bedroom set|bedroom sets|' +
  'living room set|desk|desks|bookcase|tv stand|entertainment center|rug|rugs|lamp|lamps|futon|' +
  'sleeper|sleeper sofa|sleepers|patio furniture|outdoor furniture|furniture|crib|bar stools?|bench|' +
  'cabinet|mirror|pillows?|armoire|daybed|trundle|vanity|buffet|console|stools?|bar stool|sofa bed|' +
  'memory foam mattress(?:es)?|hybrid mattress(?:es)?)';

/** What a customer waits for: furniture, or the order itself (typos included). */
const ITEM_EN = `(?:${FURN_EN.slice(3, -1)}|set|stuff|order|orders|ordr|oder|purchase|package|delivery|items?)`;

/** Furniture, Spanish (folded). */
const FURN_ES =
  '(?:sofa|sofas|sofa cama|sofas cama|sillon|sillones|seccional|seccionales|love ?seat|reclinable|' +
  'reclinables|silla|sillas|cama|camas|litera|literas|colchon|colchones|comedor|comedores|' +
  'juego de (?:comedor|recamara|sala|cuarto|dormitorio)|recamara|recamaras|mesa|mesas|mesita|' +
  'comoda|comodas|cabecera|mueble|muebles|escritorio|ropero|tocador|base ajustable|bases ajustables|' +
  'box spring|otomana|banco|taburetes?|buro|buros|sala|salas|librero|centro de entretenimiento)';

const ORDER_EN = '(?:order|orders|ordr|oder|purchase|stuff|furniture|delivery|package)';
const ORDER_ES = '(?:pedido|pedidos|orden|ordenes|compra|compras|paquete)';
const DAY =
  '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|' +
  'mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays|' +
  'tomorrow|today|tonight|weekend|next week|this week|the \\d{1,2}(?:st|nd|rd|th)?)';
const DIA = '(?:lunes|martes|miercoles|jueves|viernes|sabados?|domingos?|hoy|manana|fin de semana|fines de semana)';
const COLOR =
  '(?:gr[ae]y|green|blue|navy|black|white|brown|beige|tan|red|cream|ivory|charcoal|leather|fabric|velvet|' +
  'linen|microfiber|other colou?rs?|a different colou?r|different colou?rs|king|queen|full|twin)';

// [pattern, weight, negation] — negation: 0 none, 1 any negator, 2 only verbal negators
// ("not", "don't", "never", "no quiero"…, not a bare "no": "still no refund" is not a negation).
type Cue = readonly [string, number, (0 | 1 | 2)?];

const CUES: Record<TopicId, readonly Cue[]> = {
  order_status: [
    [`(?:where|wher|whre|wheres|whres)(?: is| are|s)? (?:my|our|the) (?:[\\w-]+ ){0,2}${ITEM_EN}`, 1],
    [`(?:order|ordr) (?:status|update|number|no|num|confirmation)`, 1],
    [`order ?#? ?\\d{4,}`, 1],
    [`#\\d{5,}`, 0.6],
    [`status (?:of|on|for) (?:my|the|our|this) (?:[\\w-]+ )?(?:order|purchase)`, 1],
    [`(?:show|see|list|check|view|track|look ?up|pull up|find) (?:me )?(?:all )?(?:my|our|the) (?:[\\w-]+ ){0,2}orders?`, 1],
    [`(?:my|our) (?:last|recent|latest|previous|past|current) orders?`, 1],
    [`(?:last|recent|latest|previous) order`, 0.8],
    [`(?:has|have|did|was|is|were) (?:my|it|the|our|they|this) (?:[\\w-]+ ){0,2}(?:shipped|ship|been shipped|been delivered|been processed|processed|left the warehouse)`, 1],
    [`(?:when will|when does|when is|when do) (?:my|it|the|our|they) (?:[\\w-]+ ){0,2}(?:ship|shipping|be shipped|arrive|arriving|be ready|come in|be in)`, 1],
    [`(?:my|our|the) (?:order|purchase) (?:will|is|has|was|hasnt|isnt|didnt|still|ever|says|shows|get|got)`, 1],
    [`(?:says|shows|showing|still shows|still says) (?:pending|processing|shipped|delivered|backordered|on order)`, 1],
    [`(?:shipped|shipping|tracking|tracking number)`, 0.6],
    [`(?:on |still on )?(?:backorder|backordered|back ordered|back-ordered)|(?:stuck|sitting|still) (?:on|in) (?:processing|pending)|stuck (?:on|in) (?:the )?(?:warehouse|processing)`, 1],
    [`(?:any|an) (?:update|news|word|info|eta)(?: on| about| regarding| for)?|eta`, 0.6],
    [`when (?:is|are|will|does|do) (?:my|our|the|it|they) (?:[\\w-]+ ){0,3}(?:coming|arriving|getting here|going to (?:arrive|ship|come)|be here|be delivered|come in|ship|arrive)`, 1],
    [`(?:same|my|our|that|this|the) (?:[\\w-]+ )?orders? (?:been|is|was|has|got|get|went)|(?:added|add|put) (?:to|on) (?:my|the|same) order|same order`, 1],
    [`(?:waiting|wait) (?:on|for) (?:my|our|the) (?:[\\w-]+ ){0,2}${ITEM_EN}`, 1],
    [`still (?:waiting|havent (?:received|heard|gotten)|hasnt (?:arrived|come|shipped)|not here|no sign)`, 0.6],
    [`ready (?:for )?(?:pick ?up|pickup)`, 1],
    [`marked (?:as )?delivered`, 1],
    [`confirm(?:ing|ed)? (?:my|the|our) (?:[\\w-]+ )?order|order confirmation`, 1],
    [`(?:have|has|show|shows|see) (?:no |any )orders`, 1],
    [`orders?`, 0.3],
    [`status|confirmation(?: email| number)?|order number|went through|go through|warehouse|open orders|pending orders|eta`, 0.8],
    [`(?:i|we) (?:bought|ordered|purchased|placed an order)|since i ordered|(?:has|have|did) (?:the )?(?:warehouse|store|you|they) (?:receive|received|get|got)`, 0.6],
    [`(?:my|our) (?:new )?(?:${FURN_EN.slice(3, -1)})`, 0.3],
    // Spanish
    [`(?:donde|onde) (?:esta|estan|anda|andan|queda) (?:mi|mis|el|la|los|nuestro|nuestra) (?:[\\w-]+ ){0,2}(?:${ORDER_ES}|${FURN_ES})`, 1],
    [`(?:estado|estatus|status) de (?:mi|mis|la|el|su) (?:[\\w-]+ )?${ORDER_ES}`, 1],
    [`(?:mis|sus) (?:pedidos|ordenes|compras)`, 1],
    [`(?:mi|el|su) (?:pedido|orden) (?:numero |no |#)?\\d{3,}`, 1],
    [`(?:mi|nuestro|nuestra) (?:pedido|orden)`, 0.6],
    [`(?:mi|el|la|nuestro|nuestra) (?:pedido|orden|compra) (?:sigue|esta|no ha|ya|todavia|aun|dice|aparece)`, 1],
    [`(?:no se|no sabemos|no me dicen|no me han dicho|sin saber) nada (?:de|del|sobre) (?:mi|mis|el|la|los|las|nuestro|nuestra)`, 1],
    [`(?:mis|nuestros) muebles`, 0.5],
    [`(?:estado|estatus)`, 0.8],
    [`confirmacion|numero de (?:mi |la |el )?(?:orden|pedido|compra|factura)|(?:almacen|bodega)`, 0.8],
    [`no (?:me )?(?:llega|llegan|ha llegado|han llegado)|(?:hice|realice) (?:una|un|mi) (?:compra|pedido|orden)|(?:compre|pedi|ordene)`, 0.6],
    [`(?:mi|mis|nuestro|nuestra) (?:[\\w-]+ )?(?:${FURN_ES.slice(3, -1)})`, 0.4],
    [`(?:esta |ya esta )?list[oa] (?:mi|el|la) (?:pedido|orden|compra)|(?:mi|el) (?:pedido|orden) (?:ya )?esta list[oa]`, 1],
    [`(?:ya )?(?:enviaron|mandaron|despacharon|salio|sale|saldra|embarcaron) (?:mi|el|la|los|las|mis|nuestro|nuestra) [\\w-]+`, 1],
    [`(?:tiene|trae|incluye|contiene) (?:mi|el|la) (?:ultima |ultimo )?(?:compra|pedido|orden)`, 1],
    [`(?:ultima|reciente) (?:compra|orden)|ultimo pedido`, 0.6],
    [`lista? para recoger|recoger (?:mi|el|la) (?:pedido|orden|compra)`, 1],
    [`(?:sigo|seguimos|estoy|estamos) esperando (?:mi|el|la|los|las|mis|nuestro|nuestra) (?:[\\w-]+ )?(?:${ORDER_ES}|${FURN_ES})`, 1],
    [`sigo esperando|seguimos esperando`, 0.6],
    [`no (?:me )?(?:ha|han) (?:llegado|enviado|mandado)`, 0.8],
    [`no me han dicho nada`, 0.6],
  ],

  delivery_scheduling: [
    [`(?:re-?schedul\\w*|schedul\\w*|book|set up|arrange) (?:my |the |a |our |for )?deliver\\w*`, 1],
    [`deliver(?:y|ies) (?:date|day|time|window|appointment|slot|schedule|options?|fee|charge|cost|area)`, 1],
    [`(?:time|arrival|delivery) window`, 1],
    [`(?:change|move|push|switch|update) (?:my |the |our )?deliver\\w*`, 1],
    [`(?:do|does|can|will|would) (?:you|yall|u|ya) (?:guys )?deliver`, 1],
    [`deliver(?:y|ies)? (?:to|in|out to) (?:[a-z]+ )?(?:ga|georgia|tn|al|sc|nc|[a-z]+ county)?`, 0.5],
    [`how much (?:is|for|does|do you charge for|to) (?:the )?deliver\\w*`, 1],
    [`white ?glove|haul away|take away the old|remove the old|in-?home setup`, 1],
    [`(?:delivery|driver|drivers|truck|crew|team|guys|movers)(?: [\\w-]+){0,2} (?:never|didnt|did not|hasnt|has not|havent|still havent|wont) (?:show|come|came|arrive|call|showed)`, 1],
    [`never (?:showed|show) up|no[- ]show|nothing (?:came|arrived|showed up)|never came`, 0.6],
    [`deliver\\w* (?:[\\w-]+ ){0,3}(?:late|early|delayed|missed)|(?:hours?|hrs?|mins?|minutes) late`, 1],
    [`deliver\\w* (?:was|is|were) supposed|supposed to (?:be delivered|deliver|arrive|come)`, 1],
    [`between \\d{1,2} ?(?:am|pm)? ?(?:and|-|to) ?\\d{1,2}`, 0.5],
    [`(?:morning|afternoon|evening) (?:delivery|slot|window)|(?:in|for) the (?:morning|afternoon|evening)`, 0.4],
    [`deliver\\w* (?:for|on|by|this|next|is|was) ${DAY}`, 1],
    [`delivered (?:on |by |this |next )?${DAY}`, 1],
    [`(?:call|text|notify|contact|reach) me (?:\\d+ (?:minutes|mins|min) |an hour |a bit )?before (?:they|you|the driver|the truck|delivery|arriving|they arrive)`, 1],
    [`(?:driver|delivery team|delivery guys|delivery crew|truck)s? (?:can|could|will|to|is able to|are able to) (?:call|reach|contact|text|find)`, 1],
    [`free (?:delivery|shipping)`, 1],
    [`marked (?:as )?delivered`, 1],
    [`(?:my|our|the) deliver(?:y|ies)`, 0.6],
    [`deliver\\w*|driver|delivery truck`, 0.4],
    [`(?:earliest|soonest|fastest|quickest|when can you|how soon|how fast) (?:[\\w-]+ ){0,5}deliver\\w*|(?:can|could|will) you deliver`, 1],
    [`(?:be|not be|wont be|not going to be|am not|im not) (?:at )?home|(?:can|could) (?:we|you|they) (?:do|make it|come|switch to|move it to|change it to) (?:the )?(?:following |next )?${DAY}`, 0.6],
    [`pick (?:it|them|this|that|everything) up (?:myself|ourselves|at the store|in store)|pick ?up (?:myself|in store|at the (?:store|warehouse))|(?:store|in-?store|curbside|warehouse) pick ?up|instead of (?:having it |getting it )?deliver\\w*`, 1],
    [`packaging|boxes|set (?:everything|it|them|the \\w+) up|assembl\\w*|install\\w*|slot|slots`, 0.5],
    [`(?:come|arrive|deliver|be here|get here|show up) (?:a (?:bit|little) )?(?:earlier|later|sooner|instead)|(?:will|would) be here (?:at|between|around|by)`, 0.6],
    [`carry (?:it |them |the |this |my )?(?:[\\w-]+ ){0,2}(?:upstairs|downstairs|up the stairs|inside|in the house|to the \\w+ floor)|(?:upstairs|stairs|staircase|elevator|(?:second|third|fourth|2nd|3rd|4th) floor)`, 0.6],
    // Spanish
    [`fecha de (?:la )?(?:entrega|envio)`, 1],
    [`(?:cambiar|reprogramar|mover|programar|agendar|reagendar|posponer|adelantar) (?:la |mi |el )?(?:fecha de )?(?:entrega|envio)`, 1],
    [`reprogramar|reagendar`, 0.6],
    [`camion (?:de )?(?:entrega|reparto|mudanza)`, 1],
    [`(?:hacen|tienen|ofrecen) (?:entregas?|envios?|reparto)`, 1],
    [`(?:costo|cuesta|cobran|precio|vale) (?:del|de la|de|por el|por la|la|el) (?:envio|entrega|flete)`, 1],
    [`(?:envio|entrega|flete) (?:gratis|gratuit[oa]|incluid[oa])|(?:entrega|envio) incluye`, 1],
    [`(?:los|las) (?:de la )?(?:entrega|repartidores|choferes)`, 0.5],
    [`(?:chofer|repartidor|repartidores|transportista|los de la mudanza)`, 0.6],
    [`(?:chofer|repartidor|camion)(?: [\\w-]+){0,2} (?:me )?(?:pueda |puede |pudiera )?(?:llamar|contactar|encontrar|localizar)`, 1],
    [`(?:llamarme|avisarme|marcarme|llamen|avisen) antes de (?:llegar|venir|la entrega)`, 1],
    [`nunca (?:llegaron|llego|vinieron|vino)|no (?:llegaron|vinieron) a (?:entregar|dejar)`, 0.6],
    [`(?:horas?|hrs?|minutos) (?:de )?(?:tarde|retraso)|(?:llego|llegaron|vino|vinieron) tarde`, 0.6],
    [`(?:dijo|dijeron) que (?:venia|venian|llegaba|llegaban|llegaria|vendria)`, 0.6],
    [`cuando (?:llega|llegara|me llega|me llegan|llegan|lo entregan|la entregan|me entregan|entregan|lo traen|me lo traen)`, 1],
    [`armado|ensamblado|instalacion`, 0.4],
    [`entregas?|envio`, 0.6],
    [`(?:pueden|puede|podrian|podria|van a|vienen a|cuando|quiero que|necesito que) (?:me |nos )?(?:entregar|entreguen|traer|traigan|llevar|lleven)`, 1],
    [`entregar|entreguen|entregan|entregaran`, 0.6],
    [`(?:pueden|puede|podrian|podria|van a|a que hora|cuando) (?:venir|pasar|llegar|vienen|pasan|llegan)|en la (?:manana|tarde|noche)`, 0.6],
    [`recoger\\w*|pasar por (?:el|la|mi|mis|los|las)|(?:yo|nosotros) mism[oa]s?`, 0.6],
    [`cuanto (?:se )?(?:tardan|tarda|demoran|demora|tiempo)`, 0.4],
    [`(?:armar|armaron|armado|instalar|instalaron|desempacar|cajas|cochera|garaje)`, 0.4],
    [`(?:repartidor|repartidores|chofer|choferes|camion|entrega|mudanza)(?: [\\w-]+){0,2} no (?:llego|llegaron|vino|vinieron|se presento|se presentaron|aparecio)`, 1],
    [`(?:subir|bajar|cargar|meter) (?:los|el|la|las|mis|mi) (?:[\\w-]+ )?(?:muebles|mueble|${FURN_ES.slice(3, -1)})|(?:segundo|tercer|cuarto) piso|escaleras`, 0.6],
  ],

  damaged_defective: [
    [`(?:broken|broke|breaking)`, 1, 1],
    [`(?:damaged?|damages|damaging)`, 1, 1],
    [`(?:cracked|cracks?|chipped|chips?)`, 1, 1],
    [`(?:torn|tear in|tears in|tore|ripped|rips?|rip in|hole in|holes in)`, 1, 1],
    [`(?:scratch|scratched|scratches|scuffed|scuffs?|dent|dented|dents|gouged?)`, 1, 1],
    [`(?:stain|stained|stains|mold|mildew|water damage)`, 1, 1],
    [`defect\\w*|faulty|malfunction\\w*|manufacturing (?:issue|problem)`, 1, 1],
    [`(?:sag|sags|sagging|sagged|sinking|indentation|body impressions?|lumpy|lumps|gone (?:completely |totally )?flat|went flat|(?:is|are) flat)`, 1, 1],
    [`(?:squeak\\w*|creak\\w*|wobbl\\w*|rickety|loose|unstable|uneven|lopsided|scuff\\w*|lump\\w*|off track|off its track|wont stay)`, 1, 1],
    [`(?:bent|crushed|split|splitting|warped|peeling|pilling|fraying|frayed|faded|fading|unravell?ing|coming apart|fell apart|falling apart|came apart|collapsed)`, 1, 1],
    [`(?:stopped|quit) working|(?:doesnt|dont|wont|does not|do not|isnt|is not|not) (?:even )?(?:work|working|recline|close|open|shut|lock|stay up|fit together)`, 1],
    [`(?:snapped|shattered|busted|ruined|fell off|came off|broke off|came loose|popped off|caved in)`, 1, 1],
    [`(?:grinding|clicking|rattl\\w*|popping|clunking)(?: noise| sound)?|(?:weird|loud|strange) (?:noise|sound)|noise|noises|noisy`, 0.6],
    [`(?:doesnt|dont|does not|do not|wont) (?:line up|match up|align)|misaligned|(?:holes|pieces|parts) (?:dont|do not|doesnt) (?:match|line up|fit)`, 1],
    [`dangerous|unsafe|safety hazard|hazard|sharp edge`, 0.5],
    [`missing (?:parts?|hardware|screws?|bolts?|pieces?|legs?|slats?|cushions?|drawers?|instructions|knobs?|handles?)|(?:parts?|hardware|screws?|pieces?) (?:are |were |is )?missing`, 1],
    [`(?:replacement|spare|new) (?:parts?|leg|legs|piece|pieces|cushions?|hardware|slats?|drawers?|motor|remote)`, 1],
    [`warranty (?:claim|repair|service|replacement)|file (?:a |an )?(?:warranty )?claim|filed (?:a |an )?claim|damage claim`, 1],
    [`warranty|guarantee`, 0.5],
    [`(?:smell|smells|smelled|odor|odour|fumes?)(?: like)?(?: chemicals?)?`, 0.8],
    [`headaches?|allerg\\w*|rash|bed ?bugs?|back pain|(?:back|neck|hips?) hurts?`, 0.4],
    [`piece of junk|junk|poor quality|(?:quality|workmanship|craftsmanship) is (?:awful|terrible|bad|poor|horrible|garbage)|cheaply made|falling to pieces`, 0.8],
    [`(?:arrived|came|showed up|delivered|received it|got it) (?:\\w+ ){0,3}(?:with|in) (?:a |an |two |some )?(?:\\w+ ){0,2}(?:tear|crack|scratch|hole|stain|dent|rip|chip|damage|bad shape|pieces)`, 1],
    [`technician|repair\\w*|fix (?:it|this|the)|fixed|inspect (?:it|the)`, 0.5],
    // Spanish
    [`(?:roto|rota|rotos|rotas|rompio|rompieron|quebrad[oa]s?|quebro|quebraron|partid[oa]s?)`, 1, 1],
    [`(?:danad[oa]s?|dano|danos|averiad[oa]s?)`, 1, 1],
    [`(?:rayad[oa]s?|rayon|rayones|raspad[oa]s?|golpead[oa]s?|golpe|golpes|abollad[oa]s?|astillad[oa]s?)`, 1, 1],
    [`(?:manchad[oa]s?|mancha|manchas|moho|hongos)`, 1, 1],
    [`(?:defectuos[oa]s?|defecto|defectos|falla|fallas|fallando)`, 1, 1],
    [`(?:dejo de|ya no|no) (?:funciona|funcionar|sirve|cierra|abre|reclina|prende)`, 1],
    [`(?:faltan?|falto|faltaron) (?:\\w+ )?(?:tornillos|piezas|partes|patas|herrajes|cojines|tablas|instrucciones|pieza|parte)`, 1],
    [`(?:pieza|piezas|parte|partes) de (?:repuesto|reemplazo)|repuesto|refaccion|refacciones`, 1],
    [`(?:se )?(?:hund\\w*|sumid[oa]|desinfl\\w*)`, 1],
    [`(?:olor|huele|apesta)(?: \\w+){0,3} (?:fuerte|raro|feo|mal|a quimico|a quimicos)|huele mal|mal olor`, 1],
    [`(?:saltad[oa]s?|pelad[oa]s?|despintad[oa]s?|desgastad[oa]s?|descarapelad[oa]s?|despostillad[oa]s?|agrietad[oa]s?|grieta|grietas)`, 1, 1],
    [`(?:despeg\\w*|descosid[oa]s?|costura rota|costuras|desarm\\w* solo|se cayo|se zafo|se salio|floj[oa]s?)`, 1, 1],
    [`(?:cojea|tambalea|se mueve mucho|rechina|rechinan|cruje|crujen|chirria)`, 1],
    [`garantia`, 0.6],
    [`arreglar\\w*|reparar\\w*|reparacion|tecnico`, 0.5],
    [`(?:me )?(?:esta )?lastimando|me duele`, 0.4],
  ],

  returns_refunds: [
    [`refund\\w*|reimburs\\w*|money back|my money|credit (?:back|my card)`, 1, 2],
    [`return(?!s? (?:call|calls|my call|the call|your call))(?:s|ed|ing)?`, 1, 2],
    [`exchang\\w*|swap (?:it|this|the)|trade (?:it|this) in`, 1, 2],
    [`cancel\\w* (?:my|the|our|this|that) (?:[\\w-]+ ){0,2}(?:order|purchase|sale)|cancel (?:it|the whole thing|everything)`, 1, 2],
    [`(?:i|we)(?: just)? cancel(?:l?ed)?`, 0.8],
    [`(?:sleep|comfort|trial) (?:trial|guarantee|exchange|period)|\\d+[- ]?(?:night|day) (?:sleep )?trial`, 1],
    [`chargeback|charge ?back|dispute (?:the |this )?charge|disputing (?:the |this )?charge|restocking fee|store credit`, 1],
    [`(?:send|take|ship|bring) (?:it|this|them|these|the \\w+) back|(?:send|take|ship|bring) back|pick (?:it|this|them) (?:back )?up (?:and|for)`, 1, 2],
    [`cancel\\w* (?:(?:my|the|our|this|that|an|whole) )?(?:[\\w-]+ ){0,2}(?:order|purchase|sale)|please cancel`, 1, 2],
    [`(?:doesnt|does not|dont|do not) (?:match|look like) (?:the )?(?:picture|photo|pictures|photos|description|website|online)`, 0.6],
    // Spanish
    [`reembols\\w*|reintegr\\w*|(?:me )?(?:devuelven|devuelvan|regresen|regresan|devuelve) (?:mi |el )?dinero|(?:mi|el) dinero de (?:vuelta|regreso)`, 1, 2],
    [`devolver\\w*|devolucion|devoluciones|devolvi|devolvimos|devuelvo|regresar\\w* (?:el|la|los|las|mi) [\\w-]+|regrese (?:el|la) [\\w-]+|regresarl[oa]s?`, 1, 2],
    [`cancelar (?:mi|el|la|nuestro|nuestra) (?:[\\w-]+ ){0,2}(?:pedido|orden|compra)|cancelar (?:la |mi )?compra|cancele (?:mi|el|la)`, 1, 2],
    [`cambiar (?:el|la|mi|los|las) (?:[\\w-]+ ){0,2}por (?:otro|otra|otros|uno|una|un)|(?:hacer|quiero) (?:un )?cambio (?:de|del|por)`, 1],
    [`cambiar (?:el|mi|la) (?:colchon|sofa|sillon|cama|mueble|juego)`, 0.8],
    [`periodo de prueba|prueba de \\d+ (?:noches|dias)`, 1],
  ],

  product_search: [
    [`(?:do|does|did) (?:you|yall|u|ya|you guys|your store|the store) (?:[\\w-]+ )?(?:have|carry|sell|stock|make|got|offer) (?:any |a |an |the |some |more )?(?:[\\w-]+ ){0,3}${FURN_EN}`, 1],
    [`(?:looking for|searching for|shopping for|interested in|in the market for|show me|see|browse|need|want|recommend|suggest) (?:a |an |the |some |any |new |more |other |your )?(?:[\\w-]+ ){0,2}${FURN_EN}`, 1],
    [`in stock|out of stock|available in|availability|(?:does|do) (?:it|they|this|that) come in|comes? in (?:a |an )?${COLOR}|what colou?rs|other colou?rs|colou?r options|fabric options`, 1],
    [`what size|which size|sizes|dimensions|measurements|how (?:big|wide|long|tall|deep|high|heavy) (?:is|are)|will (?:it|that|this) fit|seat (?:\\d+|six|eight|four)`, 1],
    [`show me (?:the )?(?:second|first|third|fourth|next|last|other|previous) one|(?:the )?(?:second|first|third|last) one|the (?:leather|fabric|gray|grey|blue|white|black) one`, 1],
    [`(?:any|some|got) (?:[\\w-]+ ){0,2}(?:${FURN_EN})\\??$`, 1],
    [`memory foam|pillow ?top|firmness|firm|plush|hybrid|innerspring|reclining|power recliner|sleeper`, 0.3],
    [`(?:tempur(?:-?pedic)?|sealy|serta|beautyrest|simmons|stearns|purple|posturepedic|ashley|la-?z-?boy|bassett|klaussner|homelegance)`, 0.4],
    [`(?:whats|what is|hows) the warranty (?:on|for)`, 0.6],
    [`is (?:the|this|that) (?:[\\w-]+ ){0,2}(?:${FURN_EN.slice(3, -1)}) (?:[\\w-]+ )?(?:comfortable|comfy|good|sturdy|durable|worth|firm|soft|big|small|real|heavy|easy)`, 1],
    [`(?:are there|is there|do you have|got) any|(?:any|some) (?:[\\w-]+ ){0,3}(?:${FURN_EN.slice(3, -1)})`, 0.6],
    [`(?:modern|contemporary|farmhouse|rustic|traditional|mid-?century|industrial|coastal|glam|style|styles|matching|walnut|oak|cherry|espresso|velvet|leather|fabric|recliners?|sectionals?)`, 0.3],
    [`(?:what|which) (?:do|would) you recommend|any recommendations|recommendations?|suggestions?|(?:what|which) (?:is|are) (?:the )?best`, 1],
    [`(?:does|do|will) (?:it|they|this|that|the [\\w-]+(?: [\\w-]+)?) come with|comes? with (?:a|an|the|matching)`, 1],
    [`(?:what|which) (?:kinds?|types?|styles?|brands?|sizes?|models?) of`, 1],
    [`(?:do|does) you (?:guys )?(?:carry|sell|stock)$`, 1],
    [`(?:what|which) (?:mattress|sofa|bed|recliner|sectional|table)s? (?:do you|would you|is best|are best)`, 1],
    // Spanish
    [`(?:tienen|tiene|hay|venden|manejan|ofrecen|tendran|tendra) (?:algun |alguna |algunos |algunas |un |una |el |la |mas )?(?:[\\w-]+ ){0,2}${FURN_ES}`, 1],
    [`(?:busco|buscando|buscamos|necesito|quiero ver|quisiera ver|quisiera|me interesa|me interesan|muestrame|muestreme|ensename|enseneme|ver|recomiendan|recomienda) (?:un |una |unos |unas |el |la |los |las |mas |otros |otras )?(?:[\\w-]+ ){0,2}${FURN_ES}`, 1],
    [`en existencia|disponibles?|en stock|en inventario|hay en tienda|agotad[oa]s?`, 1],
    [`(?:que|cuales|cual es la|cual es el) (?:medidas|medida|tamano|tamanos|dimensiones|colores|telas)`, 1],
    [`(?:viene|vienen|hay|lo tienen|la tienen) (?:en )?(?:otro|otros|otra|otras|mas) (?:color|colores|tela|telas|tamano|tamanos)`, 1],
    [`(?:viene|vienen|lo tienen|la tienen|lo hay|la hay) en (?:color |tela |piel |tamano )?[a-z]+`, 1],
    [`(?:que|cuales) (?:tipos?|clases?|marcas?|modelos?|estilos?) de`, 1],
    [`que vi en (?:su|la) (?:pagina|web|sitio|tienda)`, 0.5],
    [`(?:trae|traen|incluye|incluyen|viene con|vienen con)(?: [\\w-]+){0,3}|incluid[oa]s?`, 0.6],
    [`(?:que|cuales) (?:[\\w-]+ )?tienen(?: en)?|(?:ando|estoy|andamos|estamos) buscando|busco|buscamos`, 0.6],
  ],

  pricing_financing: [
    [`financ\\w*`, 1],
    [`payment plans?|monthly payments?|make (?:a|my) payment|pay(?:ment)? (?:on|to|toward) my (?:account|card|balance)|pay (?:it )?off|minimum payment`, 1],
    [`interest|apr|0 ?%|no interest|interest[- ]free|same as cash`, 1],
    [`credit (?:card|application|check|approval|line|limit|score)|apply for (?:credit|a card)|credit account`, 0.8],
    [`synchrony|acima|progressive leasing|snap finance|affirm|katapult|koalafi|lease[- ]to[- ]own|rent[- ]to[- ]own|layaway`, 1],
    [`how much (?:is|are|does|do|for|would|will|did|was|were)|how much$`, 1],
    [`price match|price\\w*|pricing|(?:what|how much) (?:does|do|would) (?:it|that|this|they) cost|costs?|msrp`, 0.8],
    [`on sale|(?:next|big|upcoming|current|any|a) sales?\\b(?! tax)|sales? (?:event|price)|clearance|deals?|discount\\w*|coupons?|coupon codes?|promo\\w*|black friday|cyber monday|memorial day|labor day|presidents day|4th of july sale`, 1],
    [`sales tax|tax`, 1],
    [`balance|paid in full|pay in full|down payment|deposit`, 0.8],
    [`(?:charged|charge|billed) (?:me )?(?:twice|double|two times|again|wrong)|double (?:charged|charge|billed)|overcharged|charged me`, 1],
    [`declined|denied|approved|pre-?approv\\w*|pre-?qualif\\w*`, 0.5],
    [`\\$ ?\\d[\\d,]*|\\d+ (?:dollars|bucks)|(?:under|below|less than|around|max) \\$?\\d{3,5}`, 0.4],
    [`afford|budget|cheap\\w*|expensive|cost`, 0.5],
    [`specials?|special offers?|bill|billing|statement|invoice|fee|fees|surcharge|paying|payments?|pay (?:my|the|with|by|over|online|for)`, 0.8],
    [`(?:whats|what is|what are) the (?:price|prices|cost)|(?:price|prices|cost) (?:on|of|for)`, 1],
    [`pay (?:the rest|the balance|it off|off|monthly|cash|in cash|with|by)|cash or|pay cash|put (?:a |some )?(?:deposit|money) down`, 1],
    [`(?:holiday|christmas|labor day|memorial day|july 4th|fourth of july|black friday|spring|summer|winter|fall|anniversary|warehouse|tent) sales?|sales`, 1],
    // Spanish
    [`financiamiento|financiar|financiacion|financiad[oa]`, 1],
    [`(?:pagos?|pagar) (?:a|en) (?:plazos|meses|cuotas)|mensualidades|plazos|cuotas`, 1],
    [`intereses?|sin interes`, 1],
    [`credito`, 0.8],
    [`cuanto (?:cuesta|cuestan|vale|valen|sale|salen|es|son|cobran)|(?:el|los|su|sus) precios?|precios?`, 1],
    [`descuentos?|cupon(?:es)?|ofertas?|rebajas?|promocion(?:es)?|liquidacion|black friday|barat[oa]s?|car[oa]s?`, 1],
    [`(?:hacer|realizar|mandar) (?:un|mi|el) (?:pago|abono)|pago a mi cuenta|abono|abonar`, 1],
    [`saldo|deuda|pagado completo|ya pague`, 0.8],
    [`(?:me )?cobraron|cobro doble|(?:cobrado|cobraron) dos veces`, 1],
    [`(?:aplicar|solicitar|sacar) (?:para |a |un |el )?(?:credito|financiamiento|tarjeta)`, 1],
    [`impuestos?`, 1],
    [`enganche|anticipo|tarjeta de credito|tarjeta de debito|efectivo|cheque|pagar con|pagar en|apartado|apartar`, 1],
    [`cobran|cobrar|cobro|cargo extra|cargos?`, 0.8],
    [`pagar|pago|pagos|al mes|mensual|por mes|contado|de contado`, 0.8],
  ],

  store_locations_hours: [
    [`(?:store |business |opening |closing |your |the |showroom |holiday |sunday |saturday |weekend )hours|hours of operation|\\bhours\\b(?= (?:on|today|tomorrow|this))`, 1],
    [`(?:what|wat|wht|wut) time (?:[\\w-]+ ){0,6}(?:open|opens|opening|close|closes|closing)`, 1],
    [`(?:are|r|is|will) (?:you|yall|u|ya|you guys|the \\w+ (?:store|showroom|location)|the (?:store|showroom|location)|it|your (?:store|showroom)s?) (?:[\\w-]+ )?(?:open|closed)`, 1],
    [`(?:open|opens|close|closes|closed) (?:on|late|early|today|tomorrow|tonight|sundays?|saturdays?|mondays?|fridays?|weekends|holidays|until|till|til|at)`, 1],
    [`still open|permanently closed|closed for|open on (?:the )?\\d`, 1],
    [`(?:where|wheres|how do i get to) (?:is |are )?(?:your|the|you guys|yall) (?:[\\w-]+ ){0,2}(?:store|stores|showroom|showrooms|location|locations|outlet)`, 1],
    [`(?:closest|nearest|nearby|near me|close to me|closer to)(?: (?:store|showroom|location))?`, 1],
    [`directions`, 1],
    [`(?:address|phone number|number|hours) (?:for|of|to) (?:the|your) (?:[\\w-]+ ){0,2}(?:store|showroom|location)|(?:store|showroom|location)s? (?:address|phone|number)`, 1],
    [`(?:do you|yall|you guys) have (?:a |any )?(?:store|stores|showroom|showrooms|location|locations)`, 1],
    [`(?:stores?|showrooms?|locations?) in [a-z]+`, 0.6],
    [`(?:store|stores|showroom|showrooms|location|locations)`, 0.3],
    [`(?:woodstock|canton|marietta|acworth|rome|kennesaw|alpharetta|cumming|cartersville|dalton|gainesville|buford|roswell|calhoun)`, 0.2],
    [`stop by|come (?:in|by)|visit (?:the|your)`, 0.4],
    [`how late (?:is|are|do|does|will) (?:[\\w-]+ ){0,4}(?:open|close)|how early (?:do|does|is|are) (?:[\\w-]+ ){0,4}open`, 1],
    [`parking|park (?:at|near)`, 0.8],
    [`how far|(?:miles|minutes) (?:from|away)|which (?:store|location|showroom)s?|(?:your|the|all|six) (?:\\w+ )?(?:store|stores|showroom|showrooms|location|locations)`, 0.6],
    [`(?:open|opens|closed|closes|closing|opening)`, 0.4],
    [`gallery|in person|see it in (?:the )?store`, 0.3],
    // Spanish
    [`horarios?`, 1],
    [`a que hora (?:abren|cierran|abre|cierra|habren|estan abiertos)`, 1],
    [`(?:abren|cierran|abre|cierra) (?:el |los |las )?(?:${DIA}|feriados?|dias? festivos?|tarde|temprano)`, 1],
    [`(?:estan|esta|estaran|estara) (?:abiert[oa]s?|cerrad[oa]s?)`, 1],
    [`(?:abren|cierran|abierto|abiertos|abierta|cerrado)`, 0.6],
    [`(?:donde|en donde|adonde) (?:queda|esta|estan|quedan|se encuentra|se encuentran) (?:la|las|su|sus|el|la tienda|ustedes)(?: [\\w-]+)?(?: (?:tienda|tiendas|sucursal|sucursales|showroom|ubicacion|local|mueblerias?))?`, 1],
    [`(?:tienda|sucursal|local) mas cerca(?:n[oa])?|mas cerca(?:n[oa])?|cerca de (?:mi|aqui|mi casa)`, 1],
    [`direccion (?:de|del) (?:la|su|el) (?:tienda|sucursal|local|showroom)|como llego|como llegar`, 1],
    [`(?:numero|telefono) (?:de telefono )?(?:de|del) (?:la|el) (?:tienda|sucursal|local)`, 1],
    [`(?:tienen|hay) (?:una |alguna )?(?:tienda|sucursal)`, 1],
    [`(?:hasta|desde) (?:que|cual) hora|a que hora (?:cierra|abre)`, 1],
    [`estacionamiento|donde (?:me )?estaciono`, 0.8],
    [`(?:en )?que calle|ubicacion|ubicad[oa]s?|direccion|(?:me )?queda`, 0.6],
    [`(?:abren|cierran)`, 1],
    [`(?:tienda|tiendas|sucursal|sucursales|local)`, 0.4],
  ],

  loyalty: [
    [`loyalty|rewards?|reward points|points|perks|redeem\\w*|redemption`, 1],
    [`(?:gold|platinum|silver|bronze|vip|diamond|elite) (?:member|members|membership|tier|status|level|rewards|club|card)`, 1],
    [`(?:member|membership) (?:benefits|perks|discount|tier|level|program|card)`, 1],
    [`(?:next|higher|top) tier|tiers?|tier status`, 1],
    [`\\bvip\\b|(?:gold|platinum|silver) (?:status)`, 0.6],
    [`members?|membership`, 0.5],
    [`(?:gold|silver|platinum|bronze|diamond)`, 0.5],
    [`(?:join|enroll|sign up for|sign me up for) (?:the |your )?(?:[\\w-]+ )?(?:club|program)`, 1],
    // Spanish
    [`puntos|recompensas?|lealtad|fidelidad|canje\\w*|canjear`, 1],
    [`(?:miembro|miembros|socio|socios|cliente|nivel) (?:gold|oro|platino|plata|vip|preferente|frecuente)`, 1],
    [`(?:subir|bajar|siguiente|proximo) (?:de )?nivel|programa de (?:puntos|recompensas|lealtad|clientes)`, 1],
    [`(?:miembro|membresia|beneficios)`, 0.5],
    [`(?:nivel|categoria) (?:oro|plata|platino|bronce|gold|vip)|(?:inscribo|inscribir\\w*|registrarme|unirme) (?:en|a) (?:el |su )?(?:programa|club)`, 1],
  ],

  account_identity: [
    [`log ?in|login|logged in|sign ?in|signin|password|username|user name|two[- ]factor|verification code|otp`, 1],
    [`(?:look ?up|find|pull up|locate|access|open|check|see|get into) (?:my|our|the) (?:[\\w-]+ )?(?:account|profile|records?|customer info|information|info)`, 1],
    [`(?:update|change|correct|fix|edit|add|remove) (?:my|the|our) (?:[\\w-]+ ){0,2}(?:email|e-mail|phone|phone number|number|address|name|info|information|profile|contact)`, 1],
    [`changed (?:my|our) (?:[\\w-]+ )?(?:email|e-mail|phone|number|address|name)`, 1],
    [`verify|verified|verification|verifying|identity|identify me|authenticate`, 1],
    [`account holder|under (?:his|her|my|our|their) name|on file|on the account|in the system|in your system`, 1],
    [`my (?:phone|phone number|cell|cell number|number|email|e-mail|email address|customer id|customer number|account number) is`, 1],
    [`(?:need|want|ask for|asking for) my (?:phone|email|number|info|information|address|name)`, 1],
    [`use (?:my )?(?:[\\w-]+ ){0,2}(?:phone|number|email) (?:instead|on the account)|(?:new|old) (?:phone|number|email|address)|i moved|we moved|moved to`, 1],
    [`account (?:says|shows|doesnt|does not|is|was|has)|(?:my|our|the) account`, 0.6],
    [`locked out|lock out|(?:dont|do not|doesnt) have an account|(?:create|make|open|register|set up) (?:an |my )?account|birth ?date|date of birth|last four|ssn`, 1],
    [`accounts?|profile`, 0.4],
    [`(?:which|what) (?:email|e-mail|phone|phone number|number|account|name) (?:i|we|did i|is it|was)|(?:remember|forgot|recall) (?:which|what|my) (?:email|e-mail|phone|number|password|account)`, 1],
    [`(?:my )?(?:wife|husband|spouse|son|daughter|mom|mother|dad|father|partner|boyfriend|girlfriend)s? (?:made|placed|has|is on|bought|opened|put)(?: \\w+){0,2} (?:purchase|order|account|name)`, 1],
    [`\\d{3}[-. )] ?\\d{3}[-. ]\\d{4}|[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}`, 0.4],
    // Spanish
    [`contrasena|iniciar sesion|inicio de sesion|usuario|codigo de verificacion|(?:entrar|acceder|ingresar) (?:a|en) mi cuenta|no puedo entrar`, 1],
    [`(?:buscar|encontrar|localizar|revisar|ver) (?:mi|su) (?:cuenta|perfil|registro|informacion)`, 1],
    [`(?:actuali[zc]|cambi|correg|modific)\\w* (?:mi|el|la|su|sus|mis) (?:[\\w-]+ )?(?:correo|email|telefono|numero|direccion|nombre|datos|informacion)`, 1],
    [`verificar|verificacion|verifique|identidad|identificarme|titular`, 1],
    [`(?:mi|su) (?:numero de telefono|telefono|numero|celular|correo|correo electronico|email) es`, 1],
    [`(?:mi |la )?direccion (?:cambio|es otra)|me mude|nos mudamos|nueva direccion|ahora vivo en`, 1],
    [`a nombre de|(?:usen?|use) (?:su|mi|el) (?:telefono|numero|correo)`, 1],
    [`(?:mi|su|la) cuenta`, 0.6],
    [`codigo (?:de )?(?:verificacion|acceso|seguridad)|no me llega el codigo`, 1],
    [`(?:no me acuerdo|no recuerdo|olvide|no se) (?:con |de |en )?(?:que|cual|mi) (?:telefono|correo|numero|email|cuenta|contrasena|usuario)`, 1],
    [`fecha de nacimiento|datos personales|mis datos|informacion personal|identificacion|a mi nombre|a su nombre|(?:cambiar|pasar|poner|transferir) la cuenta`, 1],
  ],

  complaint: [
    [`(?:worst|terrible|horrible|awful|bad|poor|pathetic|lousy|disgusting|atrocious) (?:customer )?(?:service|experience|company|store|communication|support)`, 1],
    [`worst|pathetic|disgrace\\w*|unacceptable|ridiculous|absurd|outrageous|joke|rude|disrespect\\w*|incompetent|unprofessional|scam\\w*|fraud|lied|lying|liars?|ripped off|rip ?off`, 1],
    [`terrible|horrible|awful|shameful`, 0.8],
    [`(?:nobody|no one|noone|no body|none of you) (?:\\w+ )?(?:answers?|answered|calls?|called|responds?|responded|picks? up|picked up|got back|gets back|returns?|returned|replies|replied|cares?|helps?|helped|bothered)`, 1],
    [`(?:third|3rd|fourth|4th|fifth|second|2nd) time|(?:three|four|five|\\d+) times (?:now|already|i)|(?:again and again|over and over)`, 1],
    [`never again|never (?:buying|buy|shop|shopping|order|ordering|purchase|coming back|recommend)|wont (?:be )?(?:buying|shopping|coming back|recommend)`, 1],
    [`(?:file|make|filing|submit|lodge|have) an? (?:formal )?complaint|complain\\w*`, 1],
    [`bbb|better business bureau|(?:bad |1[- ]star |one[- ]star )?reviews? (?:on|at) (?:google|yelp|facebook)|leave (?:a |an )?(?:bad |negative |1[- ]star |one[- ]star )?review|attorney|lawyer|legal action|small claims|sue you`, 1],
    [`on hold (?:for)?|been holding|hold for`, 0.8],
    [`(?:called|call|emailed|messaged|texted|written|wrote|tried|reached out|contacted you) (?:\\w+ )?(?:three|four|five|six|several|multiple|many|so many|\\d+) times`, 1],
    [`voicemail|voice mail|(?:taking|taken|gone on|going on) (?:way )?too long|(?:its|it has) been (?:a|an|over a|more than a|\\d+) (?:month|months|weeks)`, 0.5],
    [`disappoint\\w*|dissatisfied|unsatisfied|fed up|expected better|expect better|deserve better|(?:how|the way) (?:this|it|my \\w+|everything) (?:was|has been|is being) handled|mishandled|poorly handled`, 0.8],
    [`waste of (?:my |our )?(?:time|day|saturday|sunday|money|gas|morning|afternoon)|attorney general|consumer protection|report(?:ing)? (?:this|you)|(?:nobody|no one|none of you) (?:in|at) (?:your|the) (?:company|store)|keep (?:getting )?told|keeps? telling me|run ?around`, 1],
    [`(?:keep|kept|keeps) (?:promising|saying|telling)|(?:never|nobody) (?:called|calls|call) (?:me )?back|callbacks? (?:that )?never|no (?:call ?back|callback|response|reply|answer)|promised (?:\\w+ ){0,4}never`, 1],
    [`fed up|sick of|tired of|frustrat\\w*|furious|livid|angry|upset|disappointed|disgusted|not happy|unhappy|fuming`, 0.5],
    [`dispute (?:the |this )?charge|disputing (?:the |this )?charge|chargeback`, 1],
    [`took (?:the|a|off) (?:day|morning|afternoon) off|took off work|wasted? (?:my |a |the |whole )?(?:time|day|morning|afternoon)`, 0.8],
    [`never showed up|no[- ]show`, 0.3],
    [`(?:still waiting|its been \\d+ (?:weeks|wks|months))`, 0.3],
    // Spanish
    [`(?:el |la )?peor (?:servicio|atencion|experiencia|tienda|empresa|compania|compra)|(?:el|la|los|las) peor(?:es)?`, 1],
    [`pesim[oa]s?|fatal|terrible|horrible|malisim[oa]|mal servicio|mala atencion`, 1],
    [`verguenza|falta de respeto|falta de seriedad|irrespetuos\\w*|groser[oa]s?|maleducad[oa]s?|mal educad[oa]s?|prepotente|inaceptable|ridicul[oa]|burla|estafa\\w*|fraude|rateros?|mentiros[oa]s?|mintieron|enganaron`, 1],
    [`nadie (?:\\w+ )?(?:contesta|responde|me responde|me contesta|me llama|atiende|avisa|me dice|me ayuda|hace nada|sabe nada)`, 1],
    [`nunca (?:mas|llaman|contestan|responden|regresan la llamada|me llamaron|me regresaron)`, 1],
    [`(?:tercera|segunda|cuarta|quinta) vez|(?:tres|cuatro|cinco|\\d+) veces`, 1],
    [`queja|quejarme|reclamo|reclamacion|denuncia|resena|profeco|bbb|abogado|demanda\\w*`, 1],
    [`hart[oa]s?|cansad[oa]s? de|me tienen (?:cansad[oa]|hart[oa])|ya basta|decepcionad[oa]s?|indignad[oa]s?|furios[oa]s?|enojad[oa]s?|molest[oa]s?`, 0.5],
    [`(?:prometen|prometieron|prometio|dicen que) (?:\\w+ ){0,3}(?:y )?nunca`, 1],
    [`(?:siempre )?(?:prometen|prometieron)`, 0.4],
    [`(?:falta de |poco |nada |sin )profesional\\w*|plantad[oa]s?|me dejaron plantad[oa]|(?:me|ya me) (?:canse|harte)|excusas|pretextos`, 1],
    [`(?:contar|publicar|poner|decir)\\w* (?:[\\w-]+ ){0,3}en (?:facebook|redes|google|yelp|internet|tiktok)|redes sociales|(?:que )?nadie les compre|no les compren`, 1],
    [`exijo|exigo|asco`, 0.6],
    [`(?:me|nos) (?:trataron|atendieron|hablaron|contestaron) (?:muy |bien |super )?(?:mal|feo|groseramente)`, 1],
    [`robo|nos robaron|me robaron|ladrones|abuso|abusivos|perdi (?:el|un|todo el|mi) (?:dia|tiempo)|llevo (?:una|dos|tres|\\d+) (?:semana|semanas|dias|meses) (?:llamando|esperando|escribiendo)`, 1],
    [`sin respuesta|no (?:me )?(?:dan|dieron|han dado) (?:una )?(?:respuesta|solucion)`, 0.8],
  ],

  human_request: [
    [`^(?:agent|human|person|representative|rep|operator|real person|live agent|customer service|support|manager)[.!? ]*$`, 1],
    [`(?:talk|speak|chat|speaking|talking) (?:to|with) (?:a |an |the |some |your |one of your )?(?:[\\w-]+ )?(?:person|human|humans|agent|rep|representative|manager|supervisor|someone|somebody|anyone|anybody|people|associate|employee|staff|salesperson|customer service|live agent|operator|being)`, 1, 1],
    [`(?:real|live|actual) (?:person|human|agent|people|representative|rep)|human being`, 1, 1],
    [`(?:get|give|put|transfer|connect|patch) me (?:to |through to |with )?(?:a |an |the |some )?(?:human|person|agent|rep|representative|manager|supervisor|someone|somebody|customer service|support|operator)`, 1, 1],
    [`connect me|transfer me|put me through|escalate (?:this|my)|escalation`, 1, 1],
    [`get me (?:someone|somebody|a person|a human|a manager|a real)|someone who can (?:actually )?help`, 1],
    [`(?:need|want|like|prefer|request|requesting) (?:a |to talk to a |to speak to a |to speak with a |to talk with a )?(?:human|person|agent|representative|real person|manager|supervisor)`, 1, 1],
    [`(?:call|ring|phone) me back|give me a call|(?:someone|somebody|anyone|agent|rep|representative|manager|person) (?:to |can |could |please |should )?(?:call|contact|phone|text|email) me|call me (?:please|asap|at|on|today|when)`, 1, 1],
    [`(?:someone|somebody|person|anyone) in charge|(?:call|callback|call back|phone call) from (?:a|an|the|your) (?:manager|supervisor|person|human|agent|rep|representative|real person)`, 1],
    [`(?:someone|somebody|anyone) (?:please )?(?:pick up|answer) (?:the |your )?phone|(?:someone|somebody|anyone) (?:help|there|available)`, 1],
    [`(?:is there|are there|any) (?:a |an |any )?(?:representative|agent|person|human|someone|somebody)s? (?:available|there|online|i can)`, 1],
    [`representative|\\bagent\\b|operator|\\bhuman\\b`, 0.8, 1],
    [`(?:stop|no more|enough) (?:with )?(?:the )?(?:bot|robot|automated|ai|machine)|(?:not|dont want) (?:a |to talk to a )?(?:bot|robot)|useless bot`, 0.6],
    // Spanish
    [`hablar (?:por telefono |directamente )?con (?:una |un |el |la |algun |alguna |su |sus |un ser )?(?:persona|humano|agente|representante|gerente|supervisor|supervisora|encargad[oa]|alguien|asesor|asesora|empleado|empleada|vendedor|vendedora|ser humano|operador|operadora)`, 1, 1],
    [`(?:pasame|paseme|pasenme|comuniqueme|comunicame|comuniquenme|transfiereme|transfierame|conecteme|conectame|contacteme) (?:con|a)`, 1],
    [`(?:que|quiero que|necesito que|puede|pueden) (?:alguien|un agente|una persona|un representante|el gerente) (?:me )?(?:llame|contacte|marque|hable|atienda|llamen)`, 1],
    [`(?:llamenme|llameme|marquenme|me pueden llamar|me puede llamar|pueden llamarme|puede llamarme)(?! antes)`, 0.6],
    [`(?:hay|tienen|habra|existe) (?:algun |alguna |un |una )?(?:representante|agente|persona|asesor|asesora|humano)`, 1],
    [`(?:persona real|ser humano|humano|agente|asesor|representante|operador)`, 0.8, 1],
    [`(?:me puede|me pueden|puede|pueden|alguien que me) (?:atender|ayudar)`, 0.4],
    [`(?:me )?comunic\\w* con|(?:que )?me (?:llame|llamen|contacte|contacten|marque|marquen|atienda) (?:una persona|alguien|un agente|un humano|un representante|el gerente|un gerente|un supervisor|una persona real)`, 1],
    [`servicio al cliente|atencion al cliente`, 0.5],
    [`(?:un |una |el |la )?(?:asesor|asesora|agente|persona|gerente|representante|supervisor|supervisora)(?: [\\w-]+){0,2} (?:marcarme|llamarme|contactarme|me llame|me marque|me contacte)`, 1],
    [`(?:ya no quiero|no quiero) hablar con (?:un |una )?(?:robot|maquina|bot)`, 0.4],
  ],
};

// ---------------------------------------------------------------------------------------------
// Compilation

interface CompiledTopic {
  topic: TopicId;
  re: RegExp; // global; group i+1 ↔ cue i
  weights: Float64Array;
  negation: Uint8Array;
}

const NEG_ANY_RE =
  /(?:^|[^a-z0-9])(?:not|(?<!still )no(?! one| body| more| longer)|never|dont|doesnt|didnt|isnt|wasnt|arent|werent|wont|without|nothing|none|nor|neither|sin|nunca|tampoco|ningun|ninguna|ni)(?![a-z0-9])/;
const NEG_VERBAL_RE =
  /(?:^|[^a-z0-9])(?:not|never|dont|doesnt|didnt|isnt|wasnt|wont|no (?:quiero|necesito|pido|estoy pidiendo|busco|deseo|voy a pedir))(?![a-z0-9])/;
const CLAUSE_BREAK_RE = /[.,;:!?¡¿()\n]|\bbut\b|\bpero\b/g;

function compileTopic(topic: TopicId, cuesIn: readonly Cue[]): CompiledTopic {
  // Strongest cues first: at a given position the regex takes the first alternative that matches,
  // so "chofer me pueda llamar" (1.0) must be tried before "chofer" (0.6).
  const cues = cuesIn
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c[1] - a.c[1] || a.i - b.i)
    .map((x) => x.c);
  const parts = cues.map(([p]) => {
    if (/\((?!\?)/.test(p.replace(/\\\(/g, ''))) throw new Error(`cue for ${topic} has a capturing group: ${p}`);
    return `(${p})`;
  });
  // Word boundaries around every alternative (folded text is ASCII for letters).
  const re = new RegExp(`(?<![a-z0-9])(?:${parts.join('|')})(?![a-z0-9])`, 'g');
  return {
    topic,
    re,
    weights: Float64Array.from(cues.map((c) => c[1])),
    negation: Uint8Array.from(cues.map((c) => c[2] ?? 0)),
  };
}

const COMPILED: readonly CompiledTopic[] = TOPIC_IDS.map((t) => compileTopic(t, CUES[t]));

function insideSpan(spans: number[], start: number, end: number): boolean {
  for (let k = 0; k < spans.length; k += 2) if (start >= spans[k] && end <= spans[k + 1]) return true;
  return false;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

/** Folded-text window before `index`, limited to the current clause and ~32 chars. */
function clauseBefore(text: string, index: number): string {
  let w = text.slice(Math.max(0, index - 32), index);
  CLAUSE_BREAK_RE.lastIndex = 0;
  let cut = -1;
  let m: RegExpExecArray | null;
  while ((m = CLAUSE_BREAK_RE.exec(w)) !== null) cut = m.index + m[0].length;
  if (cut >= 0) w = w.slice(cut);
  return w;
}

/** True when the cue at `index` is negated ("no damage", "not asking for a refund"). */
export function isNegatedAt(text: string, index: number, mode: 1 | 2): boolean {
  const w = clauseBefore(text, index);
  if (w.length === 0) return false;
  return (mode === 1 ? NEG_ANY_RE : NEG_VERBAL_RE).test(w);
}

/** Topic classification of text that is already folded (see `normalizeText`). */
export function classifyFolded(folded: string): TopicMatch[] {
  const out: TopicMatch[] = [];
  if (folded.length === 0) return out;
  for (const ct of COMPILED) {
    const re = ct.re;
    re.lastIndex = 0;
    let total = 0;
    let cues: string[] | null = null;
    // Counted spans [start, end, …]. Matches may overlap ("still waiting" and "waiting on my
    // recliner" both count) but one wholly inside a counted match does not count again.
    let spans: number[] | null = null;
    let m: RegExpExecArray | null;
    while ((m = re.exec(folded)) !== null) {
      const start = m.index;
      const end = start + m[0].length;
      re.lastIndex = start + 1;
      if (m[0].length === 0 || (start > 0 && isWordChar(folded.charCodeAt(start - 1)))) continue;
      if (spans !== null && insideSpan(spans, start, end)) continue;
      let g = 1;
      while (g < m.length && m[g] === undefined) g++;
      const i = g - 1;
      if (i >= ct.weights.length) continue;
      const neg = ct.negation[i] as 0 | 1 | 2;
      if (neg !== 0 && isNegatedAt(folded, start, neg)) continue;
      total += ct.weights[i];
      if (spans === null) spans = [start, end];
      else spans.push(start, end);
      const cue = m[0].trim();
      if (cues === null) cues = [cue];
      else if (cues.length < 6 && !cues.includes(cue)) cues.push(cue);
    }
    if (total >= 1 && cues !== null) {
      out.push({ topic: ct.topic, score: Math.round((1 - Math.exp(-total)) * 1000) / 1000, cues });
    }
  }
  out.sort((a, b) => b.score - a.score || TOPIC_IDS.indexOf(a.topic) - TOPIC_IDS.indexOf(b.topic));
  return out;
}

/**
 * Multi-label topics of one customer message (English or Spanish), strongest first. Empty when
 * nothing matched (the "other" bucket). Never throws.
 */
export function classifyTopics(text: string): TopicMatch[] {
  return classifyFolded(normalizeText(text));
}

// ---------------------------------------------------------------------------------------------
// Conversation roll-up

export interface TopicRollup {
  topic: TopicId;
  /** Customer messages that carried this topic. */
  count: number;
  /** Time of the latest such message. */
  last_at: Date;
  /** Recency-weighted strength used for the ordering (half-life: 10 messages). */
  relevance: number;
}

const ROLLUP_HALF_LIFE = 10;

/**
 * Topics of a conversation from its customer messages (chronological order expected; they are
 * sorted by `at` when not). Each message's topics may be `TopicMatch[]` or plain ids. Sorted by
 * relevance: Σ score × 0.5^(messages since / 10), then latest, then taxonomy order.
 */
export function rollupTopics(
  perMessage: readonly { topics: readonly (TopicMatch | TopicId)[]; at: Date }[],
): TopicRollup[] {
  if (!Array.isArray(perMessage) || perMessage.length === 0) return [];
  const time = (d: unknown) => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.getTime() : 0);
  let msgs = perMessage;
  for (let i = 1; i < msgs.length; i++) {
    if (time(msgs[i].at) < time(msgs[i - 1].at)) {
      msgs = [...perMessage].sort((a, b) => time(a.at) - time(b.at));
      break;
    }
  }
  const acc = new Map<TopicId, { count: number; last: number; relevance: number }>();
  const n = msgs.length;
  for (let i = 0; i < n; i++) {
    const msg = msgs[i];
    if (!msg || !Array.isArray(msg.topics)) continue;
    const decay = Math.pow(0.5, (n - 1 - i) / ROLLUP_HALF_LIFE);
    const t = time(msg.at);
    const seen = new Set<TopicId>();
    for (const tp of msg.topics) {
      const id = typeof tp === 'string' ? tp : tp?.topic;
      if (!isTopicId(id) || seen.has(id)) continue;
      seen.add(id);
      const score = typeof tp === 'string' ? 1 : Number.isFinite(tp.score) ? tp.score : 1;
      const cur = acc.get(id);
      if (cur) {
        cur.count++;
        cur.last = Math.max(cur.last, t);
        cur.relevance += score * decay;
      } else acc.set(id, { count: 1, last: t, relevance: score * decay });
    }
  }
  return [...acc.entries()]
    .map(([topic, v]) => ({
      topic,
      count: v.count,
      last_at: new Date(v.last),
      relevance: Math.round(v.relevance * 1000) / 1000,
    }))
    .sort(
      (a, b) =>
        b.relevance - a.relevance ||
        b.last_at.getTime() - a.last_at.getTime() ||
        TOPIC_IDS.indexOf(a.topic) - TOPIC_IDS.indexOf(b.topic),
    );
}
