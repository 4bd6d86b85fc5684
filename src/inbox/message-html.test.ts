import fc from 'fast-check';
import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { renderMessageHtml, withContentHtml, type MessageForHtml } from './message-html.ts';

const assistant = (content: string, extra: Partial<MessageForHtml> = {}): MessageForHtml => ({ content, role: 'assistant', sender_type: 'ai_assistant', function_name: null, components: null, ...extra });
const legacy = (content: string): MessageForHtml => ({ content, role: 'assistant', sender_type: null, function_name: null, components: null });
const customer = (content: string): MessageForHtml => ({ content, role: 'user', sender_type: 'customer', function_name: null, components: null });
const agent = (content: string): MessageForHtml => ({ content, role: 'assistant', sender_type: 'business_rep', function_name: null, components: null });

const ALLOWED_TAGS = new Set([
  // what sanitizeHtml keeps
  'p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'strike', 'del', 'ins', 'mark', 'small', 'sub', 'sup', 'code', 'pre',
  'blockquote', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'table', 'caption', 'colgroup', 'col',
  'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'a', 'img', 'figure', 'figcaption', 'abbr', 'time', 'address', 'section', 'article',
  'header', 'footer',
  // what this module adds
  'details', 'summary',
]);

/**
 * Parses the output as HTML and checks every tag: only allowed elements, no event-handler
 * attribute, no script-capable URL, no style that loads or computes anything. Text is free to
 * say anything ("url(" in a sentence is fine): only markup can run.
 */
function expectInert(out: string) {
  const problems: string[] = [];
  const parser = new Parser({
    onopentag(name, attribs) {
      if (!ALLOWED_TAGS.has(name)) problems.push(`<${name}>`);
      for (const [attr, value] of Object.entries(attribs)) {
        if (/^on/i.test(attr)) problems.push(`${name}[${attr}]`);
        if (['href', 'src', 'action', 'formaction', 'xlink:href', 'background', 'srcdoc', 'srcset'].includes(attr)) {
          const v = value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
          if (attr === 'srcdoc' || attr === 'srcset' || /^(javascript|vbscript|data):/.test(v) || v.startsWith('//')) problems.push(`${name}[${attr}=${value}]`);
          if (name === 'img' && attr === 'src' && v.startsWith('http:')) problems.push(`http image ${value}`);
        }
        if (attr === 'style' && /url\s*\(|expression\s*\(|position|@import|behavior/i.test(value)) problems.push(`${name}[style=${value}]`);
      }
    },
  }, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  parser.write(out);
  parser.end();
  expect(problems, out).toEqual([]);
}

const corpus = [
  '<script>window.__xss=2</script>',
  '<img src=x onerror=window.__xss=1>',
  '<img src="x" onerror="alert(1)">',
  '<a href="javascript:window.__xss=3">click</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="&#106;avascript:alert(1)">x</a>',
  '<a href="java\tscript:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<iframe src="https://evil.example"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<div style="width: expression(alert(1))">x</div>',
  '<p style="color:red;position:fixed;top:0">styled</p>',
  '<style>body{display:none}</style>',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<img src="//evil.example/x.png">',
  '<body onload=alert(1)>',
  '<object data="x.swf"></object><embed src="x.swf">',
  '<form action="javascript:alert(1)"><input type=submit formaction="javascript:alert(1)"></form>',
  '<details open ontoggle=alert(1)>',
  '<a href="https://ok.example" onclick="alert(1)">ok</a>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<<script>script>alert(1)<</script>/script>',
  '<scr<script>ipt>alert(1)</script>',
  '"><script>alert(1)</script>',
  '<img """><script>alert(1)</script>">',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  '<template><script>alert(1)</script></template>',
  '<a href="javascript&colon;alert(1)">x</a>',
  '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
];

describe('renderMessageHtml: the XSS corpus', () => {
  for (const senderMaker of [assistant, legacy, customer, agent]) {
    for (const payload of corpus) {
      it(`${senderMaker.name}: ${payload.slice(0, 60)}`, () => {
        expectInert(renderMessageHtml(senderMaker(payload)));
        // Wrapped in text and markers too.
        expectInert(renderMessageHtml(senderMaker(`Hello **there** ${payload}\n\n**Function Result (x):** {"a":"${payload.replace(/["\\]/g, '')}"}`)));
      });
    }
  }

  it('customer text is never HTML: tags show as text', () => {
    const out = renderMessageHtml(customer('<b>hi</b> <img src=x onerror=alert(1)>\nsecond line'));
    expect(out).toBe('<p>&lt;b&gt;hi&lt;/b&gt; &lt;img src&#61;x onerror&#61;alert(1)&gt;<br>second line</p>');
  });

  it('agent text is never HTML either (only the assistant\'s legacy rows carry HTML)', () => {
    const out = renderMessageHtml(agent('Use <b>this</b> **now**'));
    expect(out).toBe('<p>Use &lt;b&gt;this&lt;/b&gt; <strong>now</strong></p>');
  });

  it('legacy HTML keeps its formatting, loses handlers, scripts and javascript: links', () => {
    const out = renderMessageHtml(legacy('<div class="customer-card"><h3>Ann Lee</h3><p onclick="x()">📞 +14045551000</p><script>window.__xss=2</script><a href="javascript:window.__xss=3">click</a><img src=x onerror=window.__xss=1></div>'));
    expect(out).toContain('<div class="wo-legacy-html">');
    expect(out).toContain('<h3>Ann Lee</h3>');
    expect(out).toContain('📞 +14045551000');
    expect(out).toContain('click');
    expect(out).not.toContain('onclick');
    expect(out).not.toContain('__xss=2');
    expect(out).not.toContain('javascript');
    expect(out).not.toContain('onerror');
  });

  it('images: relative and https stay, http and data: go', () => {
    const out = renderMessageHtml(legacy('<p>x</p><img src="/assets/products/sofas.svg" alt="a"><img src="https://cdn.example/a.png" alt="b"><img src="http://cdn.example/c.png" alt="c"><img src="data:image/png;base64,AAAA" alt="d">'));
    expect(out).toContain('src="/assets/products/sofas.svg"');
    expect(out).toContain('src="https://cdn.example/a.png"');
    expect(out).not.toContain('http://cdn.example');
    expect(out).not.toContain('data:');
  });

  it('inline styles are dropped (the page CSP refuses them); text that mentions style is kept', () => {
    const out = renderMessageHtml(legacy('<p style="color:red" title="a style=&quot;x&quot;">Say style="bold" here</p>'));
    const styled: string[] = [];
    const parser = new Parser({ onopentag: (name, attribs) => { if ('style' in attribs) styled.push(name); } });
    parser.write(out);
    parser.end();
    expect(styled).toEqual([]);
    expect(out).toContain('Say style="bold" here');
    expect(out).toContain('title="a style=&quot;x&quot;"');
  });

  it('stray closing tags in legacy HTML cannot close the wrapper', () => {
    const out = renderMessageHtml(legacy('</div></div><p>after</p></details>'));
    expect(out).toBe('<div class="wo-legacy-html"><p>after</p></div>');
  });
});

describe('renderMessageHtml: markers', () => {
  it('a function result becomes a collapsed details block with escaped pretty JSON', () => {
    const out = renderMessageHtml(legacy('<div class="customer-card"><h3>Ann</h3></div>\n\n**Function Result (getCustomerByPhone):** {"entry":[{"customerid":"C1","firstname":"<img src=x onerror=alert(1)>"}]}'));
    expect(out).toContain('<details class="wo-fn-result">');
    expect(out).not.toContain('<details open');
    expect(out).toContain('<code class="wo-fn-result__name">getCustomerByPhone</code>');
    expect(out).toContain('&quot;customerid&quot;: &quot;C1&quot;');
    expect(out).toContain('&lt;img src&#61;x onerror&#61;alert(1)&gt;');
    expect(out).toContain('<h3>Ann</h3>');
    expectInert(out);
  });

  it('a result with ok:false is marked as an error', () => {
    expect(renderMessageHtml(assistant('**Function Result (getOrdersByCustomer):** {"ok":false,"error":"timeout"}'))).toContain('wo-fn-result--error');
  });

  it('text after the JSON is kept, and several markers in one message all render', () => {
    const out = renderMessageHtml(assistant('Before\n**Function Result (a):** {"x":1} middle **Function Result (b):** [1,2] end'));
    expect(out.match(/<details/g)).toHaveLength(2);
    expect(out).toContain('<p>Before</p>');
    expect(out).toContain('middle');
    expect(out).toContain('end');
  });

  it('braces inside JSON strings do not end the value early', () => {
    const out = renderMessageHtml(assistant('**Function Result (f):** {"a":"} {[ \\" ]","b":2} tail'));
    expect(out).toContain('&quot;b&quot;: 2');
    expect(out).toContain('tail</p>');
  });

  it('a carousel becomes escaped product chips with our own images only', () => {
    const out = renderMessageHtml(legacy('Here are some options for you!\n\n**CAROUSEL_DATA:** {"products":[{"sku":"REC-1025","name":"Dalton <b>Recliner</b>","price":1279.99,"image":"/assets/products/recliners.svg"},{"sku":"X","name":"Evil","price":"1e9","image":"javascript:alert(1)"},{"name":"Remote","image":"https://evil.example/x.png"}]}'));
    expect(out).toContain('<p>Here are some options for you!</p>');
    expect(out).toContain('Product carousel · 3 products');
    expect(out).toContain('Dalton &lt;b&gt;Recliner&lt;/b&gt;');
    expect(out).toContain('$1,279.99');
    expect(out).toContain('src="/assets/products/recliners.svg"');
    expect(out).not.toContain('javascript');
    expect(out).not.toContain('evil.example');
    expect(out).not.toContain('1e9');
  });

  it('a carousel without a products array shows its JSON instead', () => {
    expect(renderMessageHtml(assistant('**CAROUSEL_DATA:** {"items":[1]}'))).toContain('wo-fn-result');
  });

  for (const broken of [
    '**Function Result (getOrdersByCustomer):** {"ok":true,"data":{"orders":[',
    '**Function Result (getOrdersByCustomer):** not json at all <script>alert(1)</script>',
    '**Function Result (x):**',
    '**Function Result ():** {}',
    '**CAROUSEL_DATA:** {"products":[{"name":"a"}',
    '**CAROUSEL_DATA:** <img src=x onerror=alert(1)>',
    '**Function Result (a):** {"x": } **Function Result (b):** {"y":1}',
    '**Function Result (unclosed paren:** {"a":1}',
  ]) {
    it(`a broken marker renders as escaped text: ${broken.slice(0, 50)}`, () => {
      const out = renderMessageHtml(legacy(broken));
      expectInert(out);
      expect(out.length).toBeGreaterThan(0);
    });
  }

  it('a broken marker is followed by the next good one', () => {
    const out = renderMessageHtml(assistant('**Function Result (a):** {"x": } **Function Result (b):** {"y":1}'));
    expect(out).toContain('Unreadable result');
    expect(out).toContain('&quot;y&quot;: 1');
  });

  it('huge JSON is cut with a note', () => {
    const big = JSON.stringify({ rows: Array.from({ length: 3000 }, (_, i) => ({ i, name: `row ${i}` })) });
    const out = renderMessageHtml(assistant(`**Function Result (big):** ${big}`));
    expect(out).toContain('more characters)');
    expect(out.length).toBeLessThan(40_000);
  });
});

describe('renderMessageHtml: light markdown', () => {
  it('bold, italics, line breaks, lists and http(s) links', () => {
    const out = renderMessageHtml(assistant('Your **Sierra sectional** is *scheduled*.\nSecond line\n\n- one\n- two\n\n1. first\n2. second\n\nSee https://www.woodstockoutlet.com/delivery. Or [our site](https://woodstockoutlet.com/a?b=1&c=2).'));
    expect(out).toContain('<p>Your <strong>Sierra sectional</strong> is <em>scheduled</em>.<br>Second line</p>');
    expect(out).toContain('<ul><li>one</li><li>two</li></ul>');
    expect(out).toContain('<ol><li>first</li><li>second</li></ol>');
    expect(out).toContain('<a href="https://www.woodstockoutlet.com/delivery" target="_blank" rel="noopener noreferrer nofollow">https://www.woodstockoutlet.com/delivery</a>.');
    expect(out).toContain('href="https://woodstockoutlet.com/a?b&#61;1&amp;c&#61;2"');
    expect(out).toContain('>our site</a>');
  });

  it('markdown links to anything but http(s) stay text', () => {
    const out = renderMessageHtml(assistant('[click](javascript:alert(1)) [x](data:text/html,hi) [y](vbscript:z)'));
    expect(out).not.toContain('<a');
    expectInert(out);
  });

  it('HTML inside markdown text is escaped for agents; quotes cannot break out of attributes', () => {
    const out = renderMessageHtml(agent('[a" onmouseover="alert(1)](https://x.example/"onmouseover="alert(1))'));
    expectInert(out);
  });

  it('emoji and Spanish survive untouched', () => {
    const text = '¡Hola, señora Muñoz! 🛋️ Su pedido **SO-2026-100370** llegará el miércoles. ¿Algo más? 😊';
    const out = renderMessageHtml(assistant(text));
    expect(out).toBe('<p>¡Hola, señora Muñoz! 🛋️ Su pedido <strong>SO-2026-100370</strong> llegará el miércoles. ¿Algo más? 😊</p>');
    expect(renderMessageHtml(customer('Mañana a las 3 👍'))).toBe('<p>Mañana a las 3 👍</p>');
  });

  it('a 6,000-character message renders whole and quickly', () => {
    const long = 'El sofá llegó dañado y necesito ayuda. '.repeat(160).slice(0, 6000);
    for (const m of [customer(long), assistant(long), legacy(`<p>${long}</p>`)]) {
      const started = performance.now();
      const out = renderMessageHtml(m);
      expect(performance.now() - started).toBeLessThan(200);
      expect(out.length).toBeGreaterThanOrEqual(6000);
    }
  });

  it('pathological star runs stay fast', () => {
    const started = performance.now();
    renderMessageHtml(assistant('**a '.repeat(1500)));
    renderMessageHtml(assistant('*'.repeat(6000)));
    renderMessageHtml(assistant(`${'**'.repeat(3000)}x`));
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('empty and odd content renders as nothing, never throws', () => {
    expect(renderMessageHtml(assistant(''))).toBe('');
    expect(renderMessageHtml(assistant('   \n  '))).toBe('');
    expect(renderMessageHtml({ content: null, role: 'user' })).toBe('');
    expect(renderMessageHtml({ content: 42 as unknown as string, role: 'assistant' })).toBe('');
  });

  it('withContentHtml adds content_html and leaves content byte for byte', () => {
    const content = '<img src=x onerror=alert(1)>\r\n**CAROUSEL_DATA:** {"products":[]}  ';
    const m = withContentHtml({
      message_id: 'm', conversation_id: 'c', role: 'assistant', sender_type: 'ai_assistant', sender_name: null, content,
      components: null, function_name: null, function_input: null, function_output: null, function_status: null, is_internal_note: false, created_at: '2026-01-01T00:00:00.000Z',
    });
    expect(m.content).toBe(content);
    expect(typeof m.content_html).toBe('string');
    expectInert(m.content_html);
  });
});

describe('renderMessageHtml: generated input', () => {
  const fragments = fc.constantFrom(
    '<', '>', '"', "'", '=', '/', ' ', '\n', '**', '*', '[', ']', '(', ')', '{', '}', ':', 'javascript:', 'data:', 'on', 'onerror', 'onload',
    'script', 'img', 'svg', 'a', 'href', 'src', 'x', '&#', ';', '**Function Result (f):** ', '**CAROUSEL_DATA:** ', '{"products":[', 'https://a.example', 'style', 'expression(', 'url(',
  );
  const content = fc.array(fragments, { maxLength: 60 }).map((a) => a.join(''));
  it('never produces a live tag, handler or script URL', () => {
    fc.assert(
      fc.property(content, fc.constantFrom(assistant, legacy, customer, agent), (text, make) => {
        expectInert(renderMessageHtml(make(text)));
      }),
      { numRuns: 3000 },
    );
  });
});
