// Intent recognition for the offline model: which of the 14 functions (or a canned reply) a user
// message asks for, in English and common Spanish. Patterns run on normalise()d text (lower case,
// accents stripped), in priority order: the first intent that matches wins.

export type Intent =
  | 'connect'
  | 'escalate'
  | 'directions'
  | 'analytics'
  | 'patterns'
  | 'journey'
  | 'loyalty'
  | 'confirm'
  | 'details'
  | 'orders'
  | 'recommend'
  | 'products'
  | 'lookup'
  | 'financing'
  | 'thanks'
  | 'goodbye'
  | 'greeting';

const any = (...res: RegExp[]) => (t: string) => res.some((r) => r.test(t));

export const isIssue = any(
  // damage and defects
  /\b(damaged?|broken|broke|torn|tear|ripped|rip|scratch(?:ed|es)?|dent(?:ed)?|stain(?:ed|s)?|defect(?:ive|s)?|cracked|crack|wobbly|sagging|faulty|missing (?:parts?|pieces?|hardware)|wrong (?:item|color|colour|size|piece|sofa|bed|mattress)|not what i ordered)\b/,
  /\b(danad[oa]s?|rot[oa]s?|rayad[oa]s?|manchad[oa]s?|defectuos[oa]s?|quebrad[oa]s?|rasgad[oa]s?|roto|rajad[oa]|llego mal|vino mal|no funciona|incomplet[oa]|equivocad[oa]|pata rota)\b/,
  // refunds and returns
  /\b(refund|money back|return (?:it|this|the|my|a|an)|want to return|(?:how do|how can|can) i return|cancel (?:my|the|this) order|chargeback)\b/,
  /\b(reembolso|devolucion|devolver|devuelvo|mi dinero|cancelar (?:mi|el) pedido)\b/,
  // complaints and delivery problems
  /\b(complain\w*|complaint|unacceptable|unhappy|disappointed|terrible|awful|worst|horrible|rude|frustrat\w*|ridiculous|nobody (?:answers|called|showed)|never (?:arrived|showed|came|delivered)|didn'?t (?:arrive|show up|come)|no[- ]show|missed (?:my )?delivery|late delivery|reschedule)\b/,
  /\b(queja|reclamo|reclamacion|inaceptable|molest[oa]|pesim[oa]|terrible|nunca llego|no llego|reprogramar|cambiar la fecha)\b/,
);

const isConnect = any(
  /\b(talk|speak|chat)(?:ing)? (?:to|with) (?:a |an |some |the |your |one of your )?(?:real |live |actual |human )?(person|human|agent|representative|rep|someone|somebody|manager|associate|staff|people|team|employee|salesperson|sales person|customer service)\b/,
  /\b(live|real|human) (agent|person|support|help|being)\b/,
  /\b(connect|transfer|put) me (?:to|with|through)\b/,
  /\b(have|can) (?:someone|somebody) (?:call|contact|reach)\b/,
  /\bcall me(?: back)?\b/,
  /^(agent|human|representative|operator|a person|person)(?: please)?[.!]?$/,
  /\b(hablar|comunicarme|conversar|platicar) con (?:una |un |alguien|algun|el |la )?(persona|humano|agente|representante|asesor|alguien|vendedor|gerente|encargado)?/,
  /\b(me comunica|me pasa|comuniqueme|paseme) con\b/,
  /\b(una persona real|un agente|un humano|un representante|que me llamen|atencion al cliente|servicio al cliente)\b/,
);

const isDirections = any(
  /\bdirections?\b/,
  /\bwhere (?:are|r) (?:you|u|y'?all|ya)\b/,
  /\bwhere(?:'s| is| are) (?:the |your |a |one of your )?(?:nearest |closest |\w+ )?(store|showroom|location|outlet|shop)s?\b/,
  /\bwhere (?:is|are) (woodstock|acworth|canton|cartersville|douglasville|dallas)\b/,
  /\b(?:store|showroom)s? (?:near|close to|in|around)\b/,
  /\b(?:nearest|closest) (?:store|showroom|location)\b/,
  /\bhours\b/,
  /\b(?:what time|when) (?:do|does|are|is) (?:you|the|your)\b.*\b(open|close)\b/,
  /\b(?:are|is) (?:you|the \w+ (?:store|showroom)|your \w+ (?:store|showroom)) open\b/,
  /\bopen (?:today|tomorrow|on (?:sunday|saturday|weekends?)|sunday|saturday|now|late)\b/,
  /\baddress (?:of|for) (?:the |your )?(?:\w+ )?(?:store|showroom|location)\b/,
  /\b(?:your|the|store|showroom) (?:address|locations?)\b/,
  /\blocations?\b/,
  /\bhow (?:do|can) i get (?:to|there)\b/,
  /\bdonde (?:estan|esta|queda|quedan|se encuentra|se encuentran|hay)\b/,
  /\b(direccion|ubicacion|ubicaciones|horario|horarios|sucursal|sucursales|como llego|como llegar)\b/,
  /\b(?:a que hora|cuando) (?:abren|cierran)\b/,
  /\b(?:abren|abierto|abierta) (?:hoy|manana|el domingo|los domingos)\b/,
  /\b(?:la )?tienda (?:de|en|mas cercana)\b/,
);

const isAnalytics = any(
  /\banalytics\b/,
  /\b(?:full|complete|360|whole|entire) (?:analysis|profile|picture|view|report|overview|summary)\b/,
  /\boverview\b/,
  /\b360\b/,
  /\beverything (?:about|on)\b/,
  /\binsights?\b/,
  /\bdashboard\b/,
  /\b(analitica|analiticas|resumen completo|resumen general|panorama|perfil completo|vista completa)\b/,
);

const isPatterns = any(
  /\banaly[sz](?:e|is|ing)\b/,
  /\b(?:buying|shopping|purchase|purchasing|spending) (?:patterns?|habits?|behaviou?r)\b/,
  /\bpatterns?\b/,
  /\bhow much (?:have|did|has) (?:i|we|they|he|she|this customer) (?:spent|spend)\b/,
  /\b(?:total|lifetime) spen(?:d|t|ding)\b/,
  /\bspending\b/,
  /\b(analiza|analizar|analisis|patron|patrones|habitos de compra|cuanto he gastado|cuanto ha gastado|gasto total)\b/,
);

const isOrderHistory = any(/\b(order|purchase) history\b/, /\bhistorial de (pedidos|ordenes)\b/);
const isJourney = any(
  /\bjourney\b/,
  /\btimeline\b/,
  /\bhistory\b/,
  /\b(?:since|from) (?:the|my) (?:first|start|beginning)\b/,
  /\b(historial|trayectoria|cronologia|linea de tiempo|recorrido)\b/,
);

const isLoyalty = any(
  /\b(loyalty|rewards?|reward points|points|tier|vip|membership|member status|member level)\b/,
  /\bupgrade (?:my )?(?:tier|status|level|membership)\b/,
  /\b(lealtad|fidelidad|puntos|recompensas?|nivel|membresia|programa de premios)\b/,
);

const isConfirm = any(/\bconfirm(?:ed|ation|s|ing)?\b/, /\b(confirmar|confirmad[oa]|confirmacion|confirmen|confirme)\b/);

const isDetailsWord = any(
  /\bdetails?\b/,
  /\bwhat(?:'s| is| was| were) (?:in|on)\b/,
  /\bitems? (?:in|on|of|from)\b/,
  /\bwhat did i (?:buy|order|get|purchase)\b/,
  /\bline items?\b/,
  /\bbreakdown\b/,
  /\b(?:tell me|more) about (?:the |my |that )?(?:\w+ )?(?:order|one)\b/,
  /\b(detalle|detalles|que (?:hay|incluye|trae|contiene|tiene)|que compre|articulos|productos del pedido)\b/,
);

const isOrders = any(
  /\b(?:my|their|his|her|the|your|all|any|recent|past|previous|open) orders?\b/,
  /\borders\b/,
  /\border (?:status|history)\b/,
  /\bpurchases\b/,
  /\b(?:deliver(?:y|ies)|shipment|shipping)\b/,
  /\bwhere(?:'s| is) my\b/,
  /\bwhen (?:will|does|is|do) (?:my|i get my|it|they)\b/,
  /\bstatus\b/,
  /\btrack(?:ing)?\b/,
  /\bwhat (?:did|have) i (?:order|bought|buy)\b/,
  /\b(pedido|pedidos|ordenes|orden|mis compras|compras|entrega|entregas|envio|cuando llega|donde esta mi|estado de mi)\b/,
);

export const isRecommend = any(
  /\brecommend\w*\b/,
  /\bsuggest\w*\b/,
  /\b(?:any )?ideas?\b/,
  /\bwhat (?:should|would|could|do) (?:i|you) (?:buy|get|recommend|suggest)\b/,
  /\b(?:top )?picks?\b/,
  /\bfor me\b/,
  /\bbased on (?:my|their|what i)\b/,
  /\bpersonali[sz]ed\b/,
  /\b(recomien\w*|recomend\w*|recomiend\w*|sugier\w*|sugerenc\w*|para mi|que me (?:recomienda|sugiere))\b/,
);

/** Personalised: "for me", "based on my purchases" (not a plain product search). */
export const isPersonal = any(/\bfor me\b/, /\bbased on\b/, /\bpersonali[sz]ed\b/, /\bmy (?:taste|style|purchases|history)\b/, /\bwould (?:you )?recommend\b/, /\bpara mi\b/, /\bmis compras\b/, /\bque me recomienda\b/);

export const isShopping = any(
  /\b(?:looking for|shopping for|in the market for|do you (?:have|sell|carry)|i need (?:a|an|some|new)|i want (?:a|an|some|to buy)|show me|any (?:deals|sales)|on sale|deals?|featured|best ?sellers?|catalog|browse|in stock)\b/,
  /\b(busco|buscando|necesito|tienen|venden|quiero comprar|quiero un|quiero una|muestrame|ensename|ofertas?|catalogo|en existencia)\b/,
);

const isLookup = any(
  /\b(?:find|look ?up|search|pull up|check|get)\b.*\b(customer|account|client|profile|record)\b/,
  /\b(?:look|find) me up\b/,
  /\b(?:my|the) (?:phone|number|cell|email|e-mail) (?:is|number is)\b/,
  /\b(buscar|busca|busque|encuentre|encontrar)\b.*\b(cliente|cuenta|perfil)\b/,
  /\b(mi (?:telefono|numero|celular|correo|email) es)\b/,
);

const isFinancing = any(/\b(financ\w*|0% interest|zero percent|monthly payments?|payment plans?|credit (?:card|application)|lease to own|layaway)\b/, /\b(financiamiento|financiacion|pagos mensuales|meses sin intereses|a plazos|credito)\b/);
const isThanks = any(/\b(thanks|thank you|thx|ty|appreciate it|gracias|muy amable)\b/);
const isGoodbye = any(/^(?:ok(?:ay)?,? )?(bye|goodbye|see you|that'?s all|nothing else|adios|hasta luego|eso es todo|nada mas)\b/);
const isGreeting = any(/^(hi|hello|hey|hiya|howdy|good (?:morning|afternoon|evening)|hola|buenas|buenos dias|buenas tardes|buenas noches|saludos)\b/);

export const isAffirmative = (t: string) =>
  t.split(' ').length <= 6 &&
  /^(yes|yeah|yep|yup|sure|ok|okay|please|yes please|go ahead|do it|sounds good|absolutely|of course|si|claro|dale|por favor|de acuerdo|esta bien|adelante|perfecto)\b/.test(t);

export interface IntentSignals {
  hasPhone: boolean;
  hasEmail: boolean;
  hasCustomerId: boolean;
  hasOrderId: boolean;
  hasOrdinal: boolean;
  hasProductFilter: boolean;
  /** an order list is the most recent list in the conversation (for "the second one") */
  ordersShownLast: boolean;
}

/** The user's intent, in priority order. `undefined` when nothing is recognised. */
export function detectIntent(t: string, s: IntentSignals): Intent | undefined {
  const short = t.split(' ').length <= 8;
  if (isIssue(t)) return 'escalate';
  if (isConnect(t)) return 'connect';
  if (isAnalytics(t)) return 'analytics';
  if (isPatterns(t)) return 'patterns';
  if (isLoyalty(t)) return 'loyalty';
  if (isConfirm(t)) return 'confirm';
  if (isOrderHistory(t)) return 'orders';
  if (isJourney(t)) return 'journey';
  if (isDetailsWord(t) && (s.hasOrderId || s.hasOrdinal || /\b(order|pedido|orden|compra|purchase|one|uno|una)\b/.test(t))) return 'details';
  if (s.hasOrderId) return 'details';
  if (s.hasOrdinal && /\b(order|pedido|orden|purchase)\b/.test(t) && !/\b(orders|pedidos|ordenes|purchases)\b/.test(t)) return 'details';
  if (s.hasOrdinal && s.ordersShownLast && (short || /\b(one|uno|una)\b/.test(t))) return 'details';
  if (isDirections(t)) return 'directions';
  if (isOrders(t)) return 'orders';
  if (isRecommend(t)) return 'recommend';
  if (s.hasProductFilter || isShopping(t)) return 'products';
  if (s.hasPhone || s.hasEmail || isLookup(t)) return 'lookup';
  if (s.hasCustomerId) return 'lookup';
  if (isFinancing(t)) return 'financing';
  if (isGoodbye(t)) return 'goodbye';
  if (isThanks(t)) return 'thanks';
  if (isGreeting(t)) return 'greeting';
  return undefined;
}
