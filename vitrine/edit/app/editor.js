/* Vitrine's editor: the browser side of `vitrine edit`, and of the online editor at site/admin/.
 *
 * Plain JavaScript, no library, nothing from another origin. The server (vitrine/edit/server.py) gives the
 * campaign's schemas and words (GET /api/campaign); every form is generated from those schemas, every word
 * shown comes from `strings` (the key itself when a word is missing). API: notes/edit-api.md. Online, the
 * same description is the site's admin/campaign.json and git.js answers the API's questions (`backend`).
 */
(function (root) {
  'use strict';

  var SLUG = '[a-z0-9]+(-[a-z0-9]+)*';
  var SLUG_RE = new RegExp('^' + SLUG + '$');
  var TABS = ['people', 'products', 'testimonies', 'events'];
  var KIND = { people: 'person', products: 'product', testimonies: 'testimony', events: 'event' };
  var MULTILINE = { address: true };
  // Keys a translation may hold when the server sends no translation schema (schemas.translation).
  var TRANSLATED = ['name', 'title', 'photo_alt', 'craft', 'occupation', 'origin', 'category'];
  // Keys shown first, in this order, then the schema's own order; `lang` last.
  var FIRST = ['consent', 'consent_until', 'name', 'title', 'rating', 'start', 'end', 'place', 'address'];
  var AFTER = { photo_alt: 'photo', photo_focus: 'photo_alt', photo_credit: 'photo_focus' };
  var LAST = ['lang'];

  var state = {
    campaign: null,
    strings: {},
    entries: { people: [], products: [], testimonies: [], events: [] },
    problems: [],
    tab: 'people',
    entry: null, // {kind, path, isNew, fields, body, files, page, translations, source}
    lang: '', // '' = the campaign's own language, else a translation
    controls: [],
    dirty: false,
    uid: 0
  };

  var $ = function (id) { return document.getElementById(id); };
  var wide = window.matchMedia('(min-width: 60em)');

  /* ---------- words ---------- */

  function t(key, vars) {
    var s = state.strings[key];
    if (typeof s !== 'string' || !s) s = key;
    if (vars) {
      s = s.replace(/\{(\w+)\}/g, function (m, k) { return Object.prototype.hasOwnProperty.call(vars, k) ? String(vars[k]) : m; });
    }
    return s;
  }

  function tabWord(tab) {
    // A makers campaign says "makers" and "accounts" where a charity says "people" and "testimonies".
    if (state.campaign && state.campaign.kind === 'makers') {
      if (tab === 'people' && state.strings.makers) return t('makers');
      if (tab === 'testimonies' && state.strings.accounts) return t('accounts');
    }
    return t(tab);
  }

  function newWord(kind) {
    if (state.campaign && state.campaign.kind === 'makers') {
      if (kind === 'person' && state.strings.new_maker) return t('new_maker');
      if (kind === 'testimony' && state.strings.new_account) return t('new_account');
    }
    return state.strings['new_' + kind] ? t('new_' + kind) : t('new') + ' · ' + kindWord(kind);
  }

  function kindWord(kind) {
    if (state.campaign && state.campaign.kind === 'makers') {
      if (kind === 'person' && state.strings.maker) return t('maker');
      if (kind === 'testimony' && state.strings.account) return t('account');
    }
    return t(kind);
  }

  function langName(code) {
    try {
      var name = new Intl.DisplayNames([state.campaign.lang || 'fr'], { type: 'language' }).of(code);
      if (name && name !== code) return name.charAt(0).toLocaleUpperCase(state.campaign.lang) + name.slice(1);
    } catch (e) { /* an old browser: the code */ }
    return code;
  }

  /* ---------- DOM ---------- */

  function h(tag, attrs) {
    var el = document.createElement(tag);
    var k, v;
    attrs = attrs || {};
    for (k in attrs) {
      if (!Object.prototype.hasOwnProperty.call(attrs, k)) continue;
      v = attrs[k];
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'value' || k === 'checked' || k === 'selected') el[k] = v;
      else if (k.slice(0, 2) === 'on' && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }

  function append(el, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(el, c); }); return; }
    el.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }

  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

  function nextId(key) { state.uid += 1; return 'f-' + String(key).replace(/[^a-z0-9_-]/gi, '') + '-' + state.uid; }

  function svgIcon(name) {
    // Icons drawn inline (no file, no font), hidden from assistive technology: each button has its own words.
    var paths = {
      up: 'M12 5l-7 7h4v7h6v-7h4z',
      down: 'M12 19l7-7h-4V5H9v7H5z',
      remove: 'M6 7h12l-1 13H7zM9 4h6l1 2H8z',
      plus: 'M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z'
    };
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '18');
    svg.setAttribute('height', '18');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    var p = document.createElementNS(ns, 'path');
    p.setAttribute('d', paths[name]);
    p.setAttribute('fill', 'currentColor');
    svg.appendChild(p);
    return svg;
  }

  /* ---------- API ---------- */

  function api(method, url, body, raw) {
    var opts = { method: method, headers: {}, credentials: 'same-origin' };
    if (body !== undefined) {
      if (raw) { opts.body = body; opts.headers['Content-Type'] = body.type || 'application/octet-stream'; }
      else { opts.body = JSON.stringify(body); opts.headers['Content-Type'] = 'application/json'; }
    }
    return fetch(url, opts).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (!res.ok) {
          var err = new Error((data && data.error) || t('error_server', { status: res.status }));
          err.status = res.status;
          throw err;
        }
        return data;
      });
    }, function () { throw new Error(t('error_network')); });
  }

  function fileUrl(path) { return '/api/file?path=' + encodeURIComponent(path) + '&v=' + Date.now(); }

  // Where the editor's data comes from: `vitrine edit`'s local API here, or the Git host's API (git.js, the
  // online editor at site/admin/), which answers the same questions with the same shapes.
  var local = {
    campaign: function () { return api('GET', '/api/campaign'); },
    entries: function () { return api('GET', '/api/entries'); },
    entry: function (path, lang) {
      return api('GET', '/api/entry?path=' + encodeURIComponent(path) + (lang ? '&lang=' + encodeURIComponent(lang) : ''));
    },
    save: function (payload) { return api('POST', '/api/entry', payload); },
    upload: function (dir, file) {
      return api('POST', '/api/upload?dir=' + encodeURIComponent(dir) + '&name=' + encodeURIComponent(file.name), file, true);
    },
    image: function (path) { return Promise.resolve(fileUrl(path)); },
    problems: function () { return api('GET', '/api/problems'); }
  };
  var backend = local;

  function showImage(img, path) {
    backend.image(path).then(function (url) { if (url) img.src = url; }, function () { /* no thumbnail */ });
  }

  /* ---------- schema ---------- */

  function resolve(node, root, depth) {
    depth = depth || 0;
    if (!node || typeof node !== 'object' || depth > 20) return node || {};
    if (typeof node.$ref === 'string' && node.$ref.indexOf('#/') === 0) {
      var target = root;
      node.$ref.slice(2).split('/').forEach(function (part) {
        part = part.replace(/~1/g, '/').replace(/~0/g, '~');
        target = target && target[part];
      });
      var merged = {};
      Object.keys(target || {}).forEach(function (k) { merged[k] = target[k]; });
      Object.keys(node).forEach(function (k) { if (k !== '$ref') merged[k] = node[k]; });
      return resolve(merged, root, depth + 1);
    }
    return node;
  }

  // One property as the form needs it: its type, constraints, and whether null is allowed (anyOf with null).
  function norm(prop, root) {
    prop = resolve(prop, root);
    var out = {};
    var nullable = false;
    var base = prop;
    if (Array.isArray(prop.anyOf) || Array.isArray(prop.oneOf)) {
      var variants = (prop.anyOf || prop.oneOf).map(function (v) { return resolve(v, root); });
      nullable = variants.some(function (v) { return v.type === 'null'; });
      var rest = variants.filter(function (v) { return v.type !== 'null'; });
      base = rest.filter(function (v) { return v.type === 'number' || v.type === 'integer'; })[0] || rest[0] || {};
      out.looseNumber = (base.type === 'number' || base.type === 'integer') && rest.some(function (v) { return v.type === 'string'; });
    }
    Object.keys(base).forEach(function (k) { out[k] = base[k]; });
    ['description', 'title', 'default'].forEach(function (k) { if (prop[k] !== undefined) out[k] = prop[k]; });
    if (Array.isArray(out.type)) {
      nullable = nullable || out.type.indexOf('null') >= 0;
      out.type = out.type.filter(function (x) { return x !== 'null'; })[0];
    }
    if (out.items) out.items = resolve(out.items, root);
    out.nullable = nullable;
    return out;
  }

  function orderedKeys(schema) {
    var keys = Object.keys(schema.properties || {});
    var first = FIRST.filter(function (k) { return keys.indexOf(k) >= 0; });
    var last = LAST.filter(function (k) { return keys.indexOf(k) >= 0; });
    var middle = keys.filter(function (k) { return first.indexOf(k) < 0 && last.indexOf(k) < 0 && !AFTER[k]; });
    var list = first.concat(middle);
    // photo_alt, photo_focus and photo_credit right after the photo
    Object.keys(AFTER).forEach(function (k) {
      if (keys.indexOf(k) < 0) return;
      var at = list.indexOf(AFTER[k]);
      if (at < 0) list.push(k); else list.splice(at + 1, 0, k);
    });
    return list.concat(last);
  }

  function validPattern(p) {
    if (typeof p !== 'string') return null;
    try { new RegExp(p, 'v'); return p; } catch (e) { /* not for `v` */ }
    try { new RegExp(p, 'u'); return p; } catch (e2) { return null; }
  }

  function isDateTimeLike(p) {
    if (!p.pattern) return false;
    try {
      var re = new RegExp(p.pattern);
      return re.test('2027-03-14') && re.test('2027-03-14 10:00');
    } catch (e) { return false; }
  }

  function isHttps(p) {
    return p.format === 'uri' || (typeof p.pattern === 'string' && p.pattern.indexOf('^https') === 0) ||
      (typeof p.description === 'string' && p.description.indexOf('https://') >= 0);
  }

  /* ---------- field chrome ---------- */

  function label(key) { return t(key); }

  function fieldWrap(key, p, id, required, control, extraClass) {
    var helpId = id + '-help';
    var errId = id + '-err';
    var help = helpText(key, p);
    var describedBy = [help ? helpId : null, errId].filter(Boolean).join(' ');
    if (control.setAttribute) control.setAttribute('aria-describedby', describedBy);
    var wrap = h('div', { class: 'field' + (extraClass ? ' ' + extraClass : ''), 'data-key': key },
      h('label', { for: id }, label(key), required ? reqMark() : null),
      control,
      help ? h('p', { class: 'help', id: helpId, text: help }) : null,
      h('p', { class: 'field-error', id: errId }));
    return wrap;
  }

  function helpText(key, p) {
    var parts = [];
    var own = state.strings['help_' + key];
    if (own) parts.push(own);
    else if (p && p.description) parts.push(p.description);
    if (state.lang && state.entry && state.entry.source) {
      var orig = state.entry.source.fields[key];
      if (orig !== undefined && orig !== null && orig !== '') parts.push(t('original', { text: String(orig) }));
    }
    return parts.join(' ');
  }

  function reqMark() {
    return h('span', { class: 'req' }, h('span', { 'aria-hidden': 'true', text: ' *' }), h('span', { class: 'sr', text: ' (' + t('required') + ')' }));
  }

  function setError(ctrl, msg) {
    var wrap = ctrl.wrap;
    if (!wrap) return;
    wrap.classList.toggle('has-error', !!msg);
    var err = wrap.querySelector('.field-error');
    if (err) err.textContent = msg || '';
    if (ctrl.focusEl) {
      if (msg) ctrl.focusEl.setAttribute('aria-invalid', 'true');
      else ctrl.focusEl.removeAttribute('aria-invalid');
    }
  }

  /* ---------- widgets: each returns {key, wrap, focusEl, get(), set(v), check()} ---------- */

  function textWidget(key, p, required) {
    var id = nextId(key);
    var input;
    if (MULTILINE[key] || p.format === 'multiline') {
      input = h('textarea', { id: id, name: key, rows: 3, required: required });
    } else {
      var type = isHttps(p) ? 'url' : (p.format === 'email' ? 'email' : 'text');
      var pattern = validPattern(p.pattern);
      if (type === 'url' && !pattern) pattern = 'https://.+';
      input = h('input', { type: type, id: id, name: key, required: required, pattern: pattern,
        minlength: p.minLength > 1 ? p.minLength : null, maxlength: p.maxLength || null,
        placeholder: type === 'url' ? 'https://' : null, inputmode: type === 'url' ? 'url' : null,
        spellcheck: type === 'url' || key === 'lang' ? 'false' : null });
    }
    return {
      key: key, focusEl: input, wrap: fieldWrap(key, p, id, required, input),
      get: function () { var v = input.value.trim(); return v === '' ? null : v; },
      set: function (v) { input.value = v === null || v === undefined ? '' : String(v); }
    };
  }

  function numberWidget(key, p, required) {
    var id = nextId(key);
    var integer = p.type === 'integer';
    var input = h('input', { type: 'number', id: id, name: key, required: required,
      min: p.minimum !== undefined ? p.minimum : null, max: p.maximum !== undefined ? p.maximum : null,
      step: integer ? '1' : 'any', inputmode: integer ? 'numeric' : 'decimal' });
    return {
      key: key, focusEl: input, wrap: fieldWrap(key, p, id, required, input, 'narrow'),
      get: function () {
        var raw = input.value.trim();
        if (raw === '') return null;
        if (input.type === 'text') return p.looseNumber ? raw : Number(raw.replace(',', '.'));
        var n = Number(raw);
        return isNaN(n) ? raw : n;
      },
      set: function (v) {
        if (v === null || v === undefined || v === '') { input.type = 'number'; input.value = ''; return; }
        if (typeof v === 'string' && isNaN(Number(v))) { input.type = 'text'; input.value = v; return; }
        input.type = 'number';
        input.value = String(v);
      }
    };
  }

  function boolWidget(key, p) {
    var id = nextId(key);
    var input = h('input', { type: 'checkbox', id: id, name: key });
    var help = helpText(key, p);
    var wrap = h('div', { class: 'field check', 'data-key': key },
      input, h('label', { for: id, text: label(key) }),
      help ? h('p', { class: 'help', id: id + '-help', text: help }) : null,
      h('p', { class: 'field-error', id: id + '-err' }));
    input.setAttribute('aria-describedby', (help ? id + '-help ' : '') + id + '-err');
    return {
      key: key, focusEl: input, wrap: wrap,
      get: function () { return input.checked ? true : null; },
      set: function (v) { input.checked = v === true; }
    };
  }

  function selectWidget(key, p, required) {
    var id = nextId(key);
    var select = h('select', { id: id, name: key, required: required },
      h('option', { value: '', text: t('choose') }),
      p.enum.map(function (v) { return h('option', { value: String(v), text: state.strings['enum_' + v] || String(v) }); }));
    return {
      key: key, focusEl: select, wrap: fieldWrap(key, p, id, required, select),
      get: function () {
        if (select.value === '') return null;
        var hit = p.enum.filter(function (v) { return String(v) === select.value; })[0];
        return hit === undefined ? select.value : hit;
      },
      set: function (v) { select.value = v === null || v === undefined ? '' : String(v); }
    };
  }

  function dateWidget(key, p, required, extraClass) {
    var id = nextId(key);
    var input = h('input', { type: 'date', id: id, name: key, required: required, min: '1900-01-01', max: '2999-12-31' });
    return {
      key: key, focusEl: input, wrap: fieldWrap(key, p, id, required, input, extraClass || 'narrow'),
      get: function () { return input.value || null; },
      set: function (v) { input.value = typeof v === 'string' ? v.slice(0, 10) : ''; }
    };
  }

  function dateTimeWidget(key, p, required) {
    var id = nextId(key);
    var date = h('input', { type: 'date', id: id, name: key, required: required, min: '1900-01-01', max: '2999-12-31' });
    var time = h('input', { type: 'time', id: id + '-time', name: key + '-time', step: 60 });
    var help = helpText(key, p);
    var wrap = h('fieldset', { class: 'field datetime', 'data-key': key },
      h('legend', {}, label(key), required ? reqMark() : null),
      h('div', { class: 'row' },
        h('span', { class: 'sub' }, h('label', { for: id, text: t('day') }), date),
        h('span', { class: 'sub' }, h('label', { for: id + '-time', text: t('time_optional') }), time)),
      help ? h('p', { class: 'help', id: id + '-help', text: help }) : null,
      h('p', { class: 'field-error', id: id + '-err' }));
    [date, time].forEach(function (el) { el.setAttribute('aria-describedby', (help ? id + '-help ' : '') + id + '-err'); });
    return {
      key: key, focusEl: date, wrap: wrap,
      get: function () {
        if (!date.value) return null;
        return time.value ? date.value + ' ' + time.value.slice(0, 5) : date.value;
      },
      set: function (v) {
        var m = typeof v === 'string' ? /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?/.exec(v) : null;
        date.value = m ? m[1] : '';
        time.value = m && m[2] ? (m[2].length === 1 ? '0' : '') + m[2] + ':' + m[3] : '';
      },
      check: function () {
        time.setCustomValidity(time.value && !date.value ? t('time_needs_day') : '');
        return true;
      }
    };
  }

  function starsWidget(key, p, required) {
    var name = nextId(key);
    var min = p.minimum || 1;
    var max = p.maximum || 5;
    var radios = [];
    var labels = [];
    var row = h('div', { class: 'stars' });
    for (var n = min; n <= max; n++) {
      var id = name + '-' + n;
      var radio = h('input', { type: 'radio', id: id, name: name, value: String(n), required: required, class: 'sr-radio' });
      var lab = h('label', { for: id, class: 'star', title: t('stars', { n: n, max: max }) },
        h('span', { 'aria-hidden': 'true', text: '★' }), h('span', { class: 'sr', text: t('stars', { n: n, max: max }) }));
      radios.push(radio);
      labels.push(lab);
      row.appendChild(radio);
      row.appendChild(lab);
    }
    var shown = h('span', { class: 'stars-value', 'aria-hidden': 'true' });
    function paint() {
      var v = 0;
      radios.forEach(function (r) { if (r.checked) v = Number(r.value); });
      labels.forEach(function (l, i) { l.classList.toggle('on', min + i <= v); });
      shown.textContent = v ? t('stars', { n: v, max: max }) : '';
    }
    row.addEventListener('change', paint);
    var help = helpText(key, p);
    var wrap = h('fieldset', { class: 'field rating', 'data-key': key },
      h('legend', {}, label(key), required ? reqMark() : null),
      row, shown,
      help ? h('p', { class: 'help', text: help }) : null,
      h('p', { class: 'field-error' }));
    return {
      key: key, focusEl: radios[0], wrap: wrap,
      get: function () { var v = null; radios.forEach(function (r) { if (r.checked) v = Number(r.value); }); return v; },
      set: function (v) { radios.forEach(function (r) { r.checked = Number(r.value) === Number(v); }); paint(); }
    };
  }

  function linesWidget(key, p, required) {
    var id = nextId(key);
    var area = h('textarea', { id: id, name: key, rows: 3, required: required });
    var wrap = fieldWrap(key, p, id, required, area);
    wrap.insertBefore(h('p', { class: 'help', text: t('one_per_line') }), area);
    return {
      key: key, focusEl: area, wrap: wrap,
      get: function () {
        var items = area.value.split('\n').map(function (s) { return s.trim(); }).filter(Boolean);
        return items.length ? items : null;
      },
      set: function (v) { area.value = Array.isArray(v) ? v.join('\n') : ''; }
    };
  }

  // An event's people: a checkbox per person of the campaign (a slug not among them is kept, checked).
  function peopleWidget(key, p) {
    var box = h('div', { class: 'checks' });
    var help = helpText(key, p);
    var wrap = h('fieldset', { class: 'field people', 'data-key': key },
      h('legend', { text: label(key) }),
      help ? h('p', { class: 'help', text: t('help_event_people') === 'help_event_people' ? help : t('help_event_people') }) : null,
      box, h('p', { class: 'field-error' }));
    function build(selected) {
      clear(box);
      var known = state.entries.people.map(function (e) { return e.slug; });
      var all = state.entries.people.map(function (e) { return { slug: e.slug, title: e.title || e.slug }; });
      (selected || []).forEach(function (s) { if (known.indexOf(s) < 0) all.push({ slug: s, title: s }); });
      all.forEach(function (person) {
        var id = nextId(key);
        box.appendChild(h('span', { class: 'check' },
          h('input', { type: 'checkbox', id: id, value: person.slug, checked: (selected || []).indexOf(person.slug) >= 0 }),
          h('label', { for: id }, person.title, person.title !== person.slug ? h('span', { class: 'slug', text: ' ' + person.slug }) : null)));
      });
      if (!all.length) box.appendChild(h('p', { class: 'help', text: t('no_people') }));
    }
    build([]);
    return {
      key: key, wrap: wrap,
      get focusEl() { return box.querySelector('input'); },
      get: function () {
        var v = Array.prototype.map.call(box.querySelectorAll('input:checked'), function (i) { return i.value; });
        return v.length ? v : null;
      },
      set: function (v) { build(Array.isArray(v) ? v : []); }
    };
  }

  // A list of the schema's choices (a person's withhold): a checkbox each, named as its own field is (story: the
  // life story's label); values the schema does not know are kept, as written.
  function choicesWidget(key, p) {
    var values = (p.items || {}).enum || [];
    var box = h('div', { class: 'checks' });
    var help = helpText(key, p);
    var wrap = h('fieldset', { class: 'field choices', 'data-key': key },
      h('legend', { text: label(key) }), help ? h('p', { class: 'help', text: help }) : null,
      box, h('p', { class: 'field-error' }));
    var kept = [];
    values.forEach(function (v) {
      var id = nextId(key);
      var name = t(v === 'story' ? 'body_person' : v);
      box.appendChild(h('span', { class: 'check' }, h('input', { type: 'checkbox', id: id, value: String(v) }),
        h('label', { for: id, text: name })));
    });
    return {
      key: key, wrap: wrap,
      get focusEl() { return box.querySelector('input'); },
      get: function () {
        var v = Array.prototype.map.call(box.querySelectorAll('input:checked'), function (i) { return i.value; });
        v = v.concat(kept);
        return v.length ? v : null;
      },
      set: function (v) {
        var chosen = Array.isArray(v) ? v.map(String) : [];
        kept = chosen.filter(function (x) { return values.indexOf(x) < 0; });
        Array.prototype.forEach.call(box.querySelectorAll('input'), function (i) { i.checked = chosen.indexOf(i.value) >= 0; });
      }
    };
  }

  // Uploads a picked file into the entry's bundle folder; resolves with the name the server kept.
  function upload(file, statusEl) {
    var dir = bundleDir();
    if (!dir) return Promise.reject(new Error(t('slug_first')));
    if (file.size > 20 * 1024 * 1024) return Promise.reject(new Error(t('file_too_big')));
    if (statusEl) statusEl.textContent = t('uploading', { name: file.name });
    return backend.upload(dir, file).then(function (res) {
      if (statusEl) statusEl.textContent = t('uploaded', { name: res.name });
      state.dirty = true;
      return res.name;
    });
  }

  function thumb(name) {
    var dir = bundleDir();
    var img = h('img', { class: 'thumb', alt: '', width: 96, height: 96 });
    if (name && dir) showImage(img, dir + '/' + name);
    if (!name) img.hidden = true;
    return img;
  }

  // A person's photo: an upload with its thumbnail; photo_alt becomes required when a photo is set.
  function photoWidget(key, p) {
    var id = nextId(key);
    var value = null;
    var img = thumb(null);
    var nameEl = h('span', { class: 'file-name' });
    var status = h('span', { class: 'upload-status', role: 'status' });
    var input = h('input', { type: 'file', id: id, accept: 'image/jpeg,image/png,image/webp,image/*', class: 'file' });
    var removeBtn = h('button', { type: 'button', class: 'btn small', text: t('remove_photo') });
    var help = helpText(key, p);
    var wrap = h('div', { class: 'field photo', 'data-key': key },
      h('span', { class: 'label', id: id + '-label', text: label(key) }),
      h('div', { class: 'photo-row' }, img,
        h('div', { class: 'photo-side' }, nameEl,
          h('label', { class: 'btn small file-btn', for: id }, svgIcon('plus'), h('span', { class: 'file-btn-text' })),
          input, removeBtn, status)),
      help ? h('p', { class: 'help', id: id + '-help', text: help }) : null,
      h('p', { class: 'field-error', id: id + '-err' }));
    input.setAttribute('aria-describedby', (help ? id + '-help ' : '') + id + '-err');
    function show() {
      nameEl.textContent = value || t('no_photo');
      wrap.querySelector('.file-btn-text').textContent = value ? t('replace_photo') : t('choose_photo');
      img.hidden = !value;
      if (value && bundleDir()) showImage(img, bundleDir() + '/' + value);
      removeBtn.hidden = !value;
      var alt = findControl('photo_alt');
      if (alt && alt.focusEl) {
        alt.focusEl.required = !!value;
        var lab = alt.wrap.querySelector('label');
        if (lab) {
          var mark = lab.querySelector('.req');
          if (value && !mark) lab.appendChild(reqMark());
          if (!value && mark) mark.remove();
        }
      }
    }
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      if (!file) return;
      status.textContent = '';
      upload(file, status).then(function (name) { value = name; show(); input.value = ''; var alt = findControl('photo_alt'); if (alt && !alt.get()) alt.focusEl.focus(); },
        function (err) { status.textContent = ''; setError(ctrl, err.message); input.value = ''; });
    });
    removeBtn.addEventListener('click', function () { value = null; state.dirty = true; show(); input.focus(); });
    var ctrl = {
      key: key, focusEl: input, wrap: wrap,
      get: function () { return value; },
      set: function (v) { value = v || null; show(); },
      refresh: show
    };
    return ctrl;
  }

  // A list of objects ({src, alt, focus} images, {label, url} links): add, remove, move up and down.
  function objectListWidget(key, p, required, kind) {
    var items = resolve(p.items, state.currentSchema);
    var props = items.properties || {};
    var req = items.required || [];
    var isImages = Object.prototype.hasOwnProperty.call(props, 'src');
    var list = h('ol', { class: 'items' + (isImages ? ' images' : '') });
    var status = h('p', { class: 'upload-status', role: 'status' });
    var rows = [];
    var help = helpText(key, p);
    var addId = nextId(key);
    var adder;
    if (isImages) {
      adder = h('span', { class: 'adder' },
        h('input', { type: 'file', id: addId, accept: 'image/jpeg,image/png,image/webp,image/*', multiple: true, class: 'file' }),
        h('label', { class: 'btn small file-btn', for: addId }, svgIcon('plus'), h('span', { text: t('add_image') })));
    } else {
      adder = h('button', { type: 'button', class: 'btn small', id: addId }, svgIcon('plus'), h('span', { text: t('add_item') }));
    }
    var wrap = h('fieldset', { class: 'field list', 'data-key': key },
      h('legend', {}, label(key), required ? reqMark() : null),
      help ? h('p', { class: 'help', text: help }) : null,
      list, adder, status, h('p', { class: 'field-error', id: addId + '-err' }));

    function row(value) {
      var r = { value: value || {}, inputs: {} };
      var li = h('li', { class: 'item' });
      var fields = h('div', { class: 'item-fields' });
      Object.keys(props).forEach(function (k) {
        var sub = norm(props[k], state.currentSchema);
        var isReq = req.indexOf(k) >= 0 && !sub.nullable;
        if (isImages && k === 'src') return;
        var id = nextId(key + '-' + k);
        var input;
        if (sub.type === 'integer' || sub.type === 'number') {
          input = h('input', { type: 'number', id: id, required: isReq, step: sub.type === 'integer' ? 1 : 'any', min: sub.minimum, max: sub.maximum });
        } else {
          var url = isHttps(sub);
          input = h('input', { type: url ? 'url' : 'text', id: id, required: isReq, pattern: validPattern(sub.pattern) || (url ? 'https://.+' : null), placeholder: url ? 'https://' : null });
        }
        input.value = r.value[k] === undefined || r.value[k] === null ? '' : String(r.value[k]);
        if (state.lang && TRANSLATED_SUB.indexOf(k) < 0) input.readOnly = true;
        var helpS = state.strings['help_' + k] || sub.description;
        fields.appendChild(h('div', { class: 'field' + (k === 'alt' ? ' wide' : '') },
          h('label', { for: id }, label(k), isReq ? reqMark() : null), input,
          helpS ? h('p', { class: 'help', text: helpS }) : null));
        r.inputs[k] = input;
      });
      var tools = h('div', { class: 'item-tools' });
      var pos = function () { return rows.indexOf(r) + 1; };
      function tool(icon, word, fn) {
        var b = h('button', { type: 'button', class: 'btn icon' }, svgIcon(icon), h('span', { class: 'sr' }));
        b.addEventListener('click', function () { fn(); state.dirty = true; });
        b.refresh = function () { b.querySelector('.sr').textContent = t(word, { n: pos() }); b.title = t(word, { n: pos() }); };
        tools.appendChild(b);
        return b;
      }
      r.up = tool('up', 'move_up', function () { move(r, -1, r.up); });
      r.down = tool('down', 'move_down', function () { move(r, 1, r.down); });
      r.remove = tool('remove', 'remove_item', function () {
        rows.splice(rows.indexOf(r), 1); li.remove(); renumber();
        (rows[0] ? (rows[0].inputs.alt || rows[0].li.querySelector('input, button')) : (adder.querySelector ? (adder.querySelector('input') || adder) : adder)).focus();
      });
      if (isImages) {
        r.img = thumb(r.value.src);
        r.img.alt = '';
        var fileId = nextId(key + '-src');
        var replace = h('input', { type: 'file', id: fileId, accept: 'image/jpeg,image/png,image/webp,image/*', class: 'file' });
        replace.addEventListener('change', function () {
          var f = replace.files && replace.files[0];
          if (!f) return;
          upload(f, status).then(function (name) { r.value.src = name; showImage(r.img, bundleDir() + '/' + name); r.img.hidden = false; r.srcEl.textContent = name; replace.value = ''; },
            function (err) { status.textContent = err.message; replace.value = ''; });
        });
        r.srcEl = h('span', { class: 'file-name', text: r.value.src || '' });
        li.appendChild(h('div', { class: 'item-media' }, r.img, r.srcEl,
          state.lang ? null : h('span', {}, replace, h('label', { class: 'btn small file-btn', for: fileId, text: t('replace_photo') }))));
      }
      li.appendChild(fields);
      if (!state.lang) li.appendChild(tools);
      r.li = li;
      r.get = function () {
        var out = {};
        Object.keys(r.value).forEach(function (k) { if (!props[k]) out[k] = r.value[k]; });
        if (isImages) out.src = r.value.src;
        Object.keys(r.inputs).forEach(function (k) {
          var v = r.inputs[k].value.trim();
          if (v === '') return;
          out[k] = r.inputs[k].type === 'number' ? Number(v) : v;
        });
        return out;
      };
      return r;
    }
    function move(r, delta, btn) {
      var i = rows.indexOf(r);
      var j = i + delta;
      if (j < 0 || j >= rows.length) return;
      rows.splice(i, 1);
      rows.splice(j, 0, r);
      if (delta < 0) list.insertBefore(r.li, rows[j + 1].li); else list.insertBefore(r.li, rows[j - 1].li.nextSibling);
      renumber();
      (btn.disabled ? (delta < 0 ? r.down : r.up) : btn).focus();
    }
    function renumber() {
      rows.forEach(function (r, i) {
        r.up.disabled = i === 0;
        r.down.disabled = i === rows.length - 1;
        [r.up, r.down, r.remove].forEach(function (b) { b.refresh(); });
        r.li.setAttribute('aria-label', t('item_n', { n: i + 1, count: rows.length }));
      });
      var input = adder.querySelector ? adder.querySelector('input') : null;
      if (input) input.setCustomValidity('');
    }
    function add(value) { var r = row(value); rows.push(r); list.appendChild(r.li); renumber(); return r; }
    if (isImages) {
      var picker = adder.querySelector('input');
      picker.addEventListener('change', function () {
        var files = Array.prototype.slice.call(picker.files || []);
        picker.value = '';
        files.reduce(function (chain, f) {
          return chain.then(function () {
            return upload(f, status).then(function (name) { var r = add({ src: name }); r.inputs.alt.focus(); });
          });
        }, Promise.resolve()).catch(function (err) { status.textContent = err.message; });
      });
      if (state.lang) adder.hidden = true;
    } else {
      adder.addEventListener('click', function () { var r = add({}); var first = r.li.querySelector('input'); if (first) first.focus(); state.dirty = true; });
    }
    var ctrl = {
      key: key, wrap: wrap,
      get focusEl() { return rows.length ? rows[0].li.querySelector('input:not([type=file])') : (adder.querySelector ? adder.querySelector('input') || adder : adder); },
      get: function () { var v = rows.map(function (r) { return r.get(); }); return v.length ? v : null; },
      set: function (v) { rows = []; clear(list); (Array.isArray(v) ? v : []).forEach(function (x) { add(typeof x === 'object' && x ? JSON.parse(JSON.stringify(x)) : { src: String(x) }); }); },
      check: function () {
        var input = adder.querySelector ? adder.querySelector('input') : null;
        var min = p.minItems || (required ? 1 : 0);
        if (input) input.setCustomValidity(rows.length < min ? t('at_least_one_image') : '');
        return true;
      }
    };
    return ctrl;
  }
  var TRANSLATED_SUB = ['alt', 'label'];

  function widgetFor(kind, key, p, required) {
    if (kind === 'person' && key === 'photo') return photoWidget(key, p);
    if (p.type === 'array') {
      var items = p.items || {};
      if (items.type === 'object' || items.properties) return objectListWidget(key, p, required, kind);
      if (kind === 'event' && key === 'people') return peopleWidget(key, p);
      if (Array.isArray(items.enum)) return choicesWidget(key, p);
      return linesWidget(key, p, required);
    }
    if (Array.isArray(p.enum)) return selectWidget(key, p, required);
    if (p.type === 'boolean') return boolWidget(key, p);
    if (p.type === 'integer' && key === 'rating' && p.minimum >= 0 && p.maximum - p.minimum <= 9) return starsWidget(key, p, required);
    if (p.type === 'integer' || p.type === 'number') return numberWidget(key, p, required);
    if (p.format === 'date') return dateWidget(key, p, required, key === 'consent' ? 'consent-date' : null);
    if (isDateTimeLike(p)) return dateTimeWidget(key, p, required);
    return textWidget(key, p, required);
  }

  /* ---------- the entry's places ---------- */

  function bundleDir() {
    var e = state.entry;
    if (!e) return null;
    var path = e.isNew ? newPath() : e.path;
    if (!path) return null;
    if (e.kind === 'person' || e.kind === 'product' || e.kind === 'testimony') return path.replace(/\/[^/]+$/, '');
    return path.replace(/\/[^/]+$/, '');
  }

  function stories() { return (state.campaign && state.campaign.stories) || 'stories'; }

  function newPath() {
    var e = state.entry;
    if (!e) return null;
    if (e.kind === 'testimony') {
      var person = state.pick && state.pick.person.value;
      var product = state.pick && state.pick.product.value;
      return person && product ? stories() + '/people/' + person + '/' + product + '.md' : null;
    }
    var slug = state.slugInput ? state.slugInput.value.trim() : '';
    if (!SLUG_RE.test(slug)) return null;
    if (e.kind === 'person') return stories() + '/people/' + slug + '/index.md';
    if (e.kind === 'product') return stories() + '/products/' + slug + '/index.md';
    return stories() + '/events/' + slug + '.md';
  }

  function slugify(text) {
    return String(text || '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/ß/g, 'ss')
      .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  }

  function findControl(key) { return state.controls.filter(function (c) { return c.key === key; })[0]; }

  /* ---------- the list ---------- */

  function renderTabs() {
    var nav = clear($('tabs'));
    nav.setAttribute('aria-label', t('lists'));
    TABS.forEach(function (tab) {
      var b = h('button', { type: 'button', class: 'tab', 'data-tab': tab, text: tabWord(tab), 'aria-current': state.tab === tab ? 'page' : null });
      b.addEventListener('click', function () {
        if (state.tab === tab) return;
        if (!leaveOk()) return;
        state.tab = tab;
        state.entry = null;
        state.dirty = false;
        renderTabs();
        renderList();
        showEmpty();
      });
      nav.appendChild(b);
    });
  }

  function entryLabel(tab, e) {
    if (tab === 'testimonies') {
      var person = state.entries.people.filter(function (p) { return p.slug === e.person; })[0];
      var product = state.entries.products.filter(function (p) { return p.slug === e.product; })[0];
      return { main: (person ? person.title : e.person) + ' → ' + (product ? product.title : e.product), sub: e.title || '' };
    }
    return { main: e.title || e.slug, sub: e.slug };
  }

  function problemsOf(path) {
    return state.problems.filter(function (p) { return p.path === path || (path && p.path && p.path.indexOf(path.replace(/\.md$/, '.')) === 0); });
  }

  function renderList() {
    $('list-heading').textContent = tabWord(state.tab);
    clear($('new-btn'));
    append($('new-btn'), [svgIcon('plus'), h('span', { text: newWord(KIND[state.tab]) })]);
    var ul = clear($('entries'));
    var q = slugify($('filter').value);
    var items = (state.entries[state.tab] || []).slice();
    items.forEach(function (e) { e._label = entryLabel(state.tab, e); });
    items.sort(function (a, b) { return a._label.main.localeCompare(b._label.main, state.campaign.lang); });
    var shown = 0;
    items.forEach(function (e) {
      if (q && slugify(e._label.main + ' ' + e._label.sub + ' ' + (e.slug || '')).indexOf(q) < 0) return;
      shown += 1;
      var probs = problemsOf(e.path);
      var errors = probs.filter(function (p) { return p.severity === 'error'; }).length;
      var holds = probs.filter(function (p) { return p.severity === 'hold'; }).length;
      var current = state.entry && !state.entry.isNew && state.entry.path === e.path;
      var b = h('button', { type: 'button', class: 'entry', 'aria-current': current ? 'true' : null },
        h('span', { class: 'entry-main', text: e._label.main }),
        e._label.sub ? h('span', { class: 'entry-sub', text: e._label.sub }) : null,
        errors ? h('span', { class: 'badge error', text: t('n_errors', { n: errors }) }) : null,
        holds ? h('span', { class: 'badge hold', text: t('held') }) : null);
      b.addEventListener('click', function () { if (leaveOk()) openEntry(e.path); });
      ul.appendChild(h('li', {}, b));
    });
    if (!shown) ul.appendChild(h('li', { class: 'none', text: t('no_entries') }));
  }

  function leaveOk() {
    if (!state.dirty) return true;
    return window.confirm(t('unsaved_confirm'));
  }

  function showEmpty() {
    $('editor').hidden = true;
    $('empty').hidden = false;
    $('empty').textContent = t('pick_entry');
    document.body.classList.remove('editing');
    setPreview('');
  }

  /* ---------- opening an entry ---------- */

  function openEntry(path, lang) {
    lang = lang || '';
    $('alert').textContent = '';
    var base = backend.entry(path, '');
    var tr = lang ? backend.entry(path, lang) : Promise.resolve(null);
    return Promise.all([base, tr]).then(function (res) {
      var entry = res[0];
      entry.isNew = false;
      entry.kind = entry.kind || KIND[state.tab];
      if (lang) {
        var translated = res[1] || {};
        entry.source = { fields: entry.fields || {}, body: entry.body || '' };
        entry.fields = translated.fields || {};
        entry.body = translated.body || '';
        entry.translationExists = !!(translated.fields && Object.keys(translated.fields).length) || !!translated.body;
      }
      state.entry = entry;
      state.lang = lang;
      state.dirty = false;
      renderForm();
      renderList();
    }).catch(function (err) { showAlert(err.message); });
  }

  function newEntry() {
    if (!leaveOk()) return;
    var kind = KIND[state.tab];
    state.entry = { kind: kind, isNew: true, path: null, fields: {}, body: '', files: [], page: '', translations: [] };
    state.lang = '';
    state.dirty = false;
    renderForm();
    renderList();
  }

  function schemaFor(kind) {
    var s = state.campaign.schemas && state.campaign.schemas[kind];
    return s || { properties: {} };
  }

  function translationKeys(schema) {
    var ts = state.campaign.schemas && (state.campaign.schemas.translation || state.campaign.schemas['maker-translation']);
    var allowed = ts && ts.properties ? Object.keys(ts.properties) : TRANSLATED;
    return orderedKeys(schema).filter(function (k) {
      if (k === 'rating' || k === 'lang') return false;
      if (k === 'images' || k === 'buy') return allowed.indexOf(k) >= 0;
      return allowed.indexOf(k) >= 0;
    });
  }

  function renderForm() {
    var e = state.entry;
    var schema = schemaFor(e.kind);
    state.currentSchema = schema;
    state.controls = [];
    state.slugInput = null;
    state.pick = null;
    $('empty').hidden = true;
    $('editor').hidden = false;
    document.body.classList.add('editing');
    $('status').textContent = '';
    $('alert').textContent = '';
    renderProblems(null);

    var title = e.isNew ? newWord(e.kind) : (e.fields.title || e.fields.name || (e.source && (e.source.fields.title || e.source.fields.name)) || entryTitle(e));
    $('form-heading').textContent = title;
    $('entry-path').textContent = e.isNew ? '' : (state.lang ? e.path.replace(/\.md$/, '.' + state.lang + '.md') : e.path);
    renderLangs();

    var form = clear($('form'));
    form.setAttribute('aria-labelledby', 'form-heading');
    form.appendChild(h('p', { class: 'legend-note' }, h('span', { 'aria-hidden': 'true', text: '* ' }), t('required_note')));

    if (e.kind === 'testimony') form.appendChild(testimonyPicker(e));

    var keys = state.lang ? translationKeys(schema) : orderedKeys(schema);
    var required = schema.required || [];
    var main = h('div', { class: 'fields' });
    keys.forEach(function (key) {
      var p = norm(schema.properties[key], schema);
      var isReq = required.indexOf(key) >= 0 && !p.nullable && !state.lang;
      var ctrl = widgetFor(e.kind, key, p, isReq);
      state.controls.push(ctrl);
      if (key === 'consent' && e.kind === 'person' && !state.lang) {
        form.appendChild(h('div', { class: 'consent-box' },
          h('p', { class: 'consent-title', text: t('consent_title') }),
          h('p', { class: 'consent-help', text: t('consent_help') }),
          ctrl.wrap));
      } else {
        main.appendChild(ctrl.wrap);
      }
    });
    if (e.isNew && e.kind !== 'testimony') form.appendChild(slugField(e));
    form.appendChild(main);
    state.controls.forEach(function (c) { c.set(e.fields[c.key]); });
    state.controls.forEach(function (c) { if (c.refresh) c.refresh(); });

    var bodyId = nextId('body');
    var bodyArea = h('textarea', { id: bodyId, name: 'body', rows: 14, class: 'body', spellcheck: 'true', 'aria-describedby': bodyId + '-help', lang: state.lang || null });
    bodyArea.value = e.body || '';
    form.appendChild(h('div', { class: 'field body-field', 'data-key': 'body' },
      h('label', { for: bodyId, text: t('body_' + e.kind) === 'body_' + e.kind ? t('body') : t('body_' + e.kind) }),
      h('p', { class: 'help', id: bodyId + '-help', text: t('body_help') }),
      state.lang && e.source && e.source.body ? h('details', { class: 'original' }, h('summary', { text: t('original_body') }), h('div', { class: 'original-text', lang: state.campaign.lang, text: e.source.body })) : null,
      bodyArea));
    state.bodyArea = bodyArea;

    var saveBtn = h('button', { type: 'submit', class: 'btn primary big', id: 'save-btn', text: t('save') });
    form.appendChild(h('div', { class: 'actions' }, saveBtn));

    setPreview(e.page || '');
    renderProblems(e.isNew ? null : problemsOf(e.path), true);
    if (!wide.matches) $('form-pane').scrollIntoView({ block: 'start' });
    $('form-heading').setAttribute('tabindex', '-1');
    $('form-heading').focus({ preventScroll: wide.matches });
  }

  function entryTitle(e) {
    var m = /([^/]+)\/index\.md$/.exec(e.path) || /([^/]+)\.md$/.exec(e.path);
    return m ? m[1] : e.path;
  }

  function renderLangs() {
    var box = clear($('langs'));
    var e = state.entry;
    var others = (state.campaign.languages || []).filter(function (l) { return l !== state.campaign.lang; });
    if (!others.length) { box.hidden = true; return; }
    box.hidden = false;
    var all = [''].concat(others);
    var group = h('div', { class: 'lang-buttons', role: 'group', 'aria-label': t('language') });
    all.forEach(function (code) {
      var name = code ? langName(code) : langName(state.campaign.lang);
      var has = !code || (e.translations || []).indexOf(code) >= 0;
      var b = h('button', { type: 'button', class: 'tab small', 'aria-pressed': state.lang === code ? 'true' : 'false', lang: code || state.campaign.lang },
        name, code && !has ? h('span', { class: 'muted', text: ' · ' + t('to_translate') }) : null);
      b.disabled = !!(e.isNew && code);
      b.addEventListener('click', function () {
        if (state.lang === code || !leaveOk()) return;
        openEntry(e.path, code);
      });
      group.appendChild(b);
    });
    box.appendChild(h('span', { class: 'langs-label', text: t('language') + ' :' }));
    box.appendChild(group);
    if (e.isNew) box.appendChild(h('p', { class: 'help', text: t('translate_after_save') }));
    if (state.lang) box.appendChild(h('p', { class: 'help', text: t('translating', { lang: langName(state.lang) }) }));
  }

  function slugField(e) {
    var id = nextId('slug');
    var input = h('input', { type: 'text', id: id, name: 'slug', required: true, pattern: SLUG, maxlength: 80, spellcheck: 'false',
      autocapitalize: 'none', 'aria-describedby': id + '-help ' + id + '-path ' + id + '-err' });
    var pathEl = h('p', { class: 'help path', id: id + '-path' });
    state.slugInput = input;
    var touched = false;
    var source = findControl(e.kind === 'person' ? 'name' : 'title');
    function update() {
      var p = newPath();
      pathEl.textContent = p ? t('will_be_saved_as', { path: p }) : '';
      var exists = p && allPaths().indexOf(p) >= 0;
      input.setCustomValidity(exists ? t('slug_taken') : '');
      var photo = findControl('photo');
      if (photo && photo.refresh) photo.refresh();
    }
    input.addEventListener('input', function () { touched = true; update(); });
    if (source && source.focusEl) {
      source.focusEl.addEventListener('input', function () {
        if (touched) return;
        input.value = slugify(source.focusEl.value);
        update();
      });
    }
    var wrap = h('div', { class: 'field slug-field', 'data-key': 'slug' },
      h('label', { for: id }, t('slug'), reqMark()), input,
      h('p', { class: 'help', id: id + '-help', text: t('slug_help') }), pathEl,
      h('p', { class: 'field-error', id: id + '-err' }));
    state.controls.push({ key: 'slug', wrap: wrap, focusEl: input, get: function () { return null; }, set: function () {}, virtual: true, check: function () { update(); return true; } });
    return wrap;
  }

  function allPaths() {
    var out = [];
    TABS.forEach(function (tab) { (state.entries[tab] || []).forEach(function (e) { out.push(e.path); }); });
    return out;
  }

  function testimonyPicker(e) {
    if (!e.isNew) {
      var m = /people\/([^/]+)\/([^/]+)\.md$/.exec(e.path) || [];
      var person = state.entries.people.filter(function (p) { return p.slug === m[1]; })[0];
      var product = state.entries.products.filter(function (p) { return p.slug === m[2]; })[0];
      return h('dl', { class: 'fixed' },
        h('dt', { text: kindWord('person') }), h('dd', { text: person ? person.title + ' (' + m[1] + ')' : (m[1] || '') }),
        h('dt', { text: t('product') }), h('dd', { text: product ? product.title + ' (' + m[2] + ')' : (m[2] || '') }));
    }
    function sel(key, list) {
      var id = nextId(key);
      var s = h('select', { id: id, name: key, required: true, 'aria-describedby': id + '-err' },
        h('option', { value: '', text: t('choose') }),
        list.slice().sort(function (a, b) { return (a.title || a.slug).localeCompare(b.title || b.slug, state.campaign.lang); })
          .map(function (x) { return h('option', { value: x.slug, text: (x.title || x.slug) + (x.title && x.title !== x.slug ? ' (' + x.slug + ')' : '') }); }));
      var wrap = h('div', { class: 'field', 'data-key': key }, h('label', { for: id }, key === 'person' ? kindWord('person') : t('product'), reqMark()), s, h('p', { class: 'field-error', id: id + '-err' }));
      return { select: s, wrap: wrap };
    }
    var a = sel('person', state.entries.people);
    var b = sel('product', state.entries.products);
    state.pick = { person: a.select, product: b.select };
    var pathEl = h('p', { class: 'help path' });
    function update() {
      var p = newPath();
      pathEl.textContent = p ? t('will_be_saved_as', { path: p }) : '';
      b.select.setCustomValidity(p && allPaths().indexOf(p) >= 0 ? t('testimony_exists') : '');
    }
    a.select.addEventListener('change', update);
    b.select.addEventListener('change', update);
    state.controls.push({ key: 'person', wrap: a.wrap, focusEl: a.select, get: function () { return null; }, set: function () {}, virtual: true, check: function () { update(); return true; } });
    state.controls.push({ key: 'product', wrap: b.wrap, focusEl: b.select, get: function () { return null; }, set: function () {}, virtual: true });
    return h('fieldset', { class: 'group pick' }, h('legend', { text: t('testimony_about') }), h('div', { class: 'row' }, a.wrap, b.wrap), pathEl);
  }

  /* ---------- saving ---------- */

  function save(ev) {
    ev.preventDefault();
    var e = state.entry;
    if (!e) return;
    state.controls.forEach(function (c) { setError(c, ''); if (c.check) c.check(); });
    var photo = findControl('photo');
    if (photo && photo.refresh) photo.refresh();
    var form = $('form');
    if (!form.reportValidity()) {
      var bad = form.querySelector(':invalid');
      state.controls.forEach(function (c) { if (c.wrap && c.wrap.contains(bad)) setError(c, bad.validationMessage); });
      return;
    }
    var path = e.isNew ? newPath() : e.path;
    var fields = {};
    state.controls.forEach(function (c) { if (!c.virtual) fields[c.key] = c.get(); });
    var payload = { path: path, kind: e.kind, fields: fields, body: state.bodyArea.value, lang: state.lang || '' };
    var btn = $('save-btn');
    btn.disabled = true;
    btn.textContent = t('saving');
    $('alert').textContent = '';
    $('status').textContent = t('saving');
    backend.save(payload).then(function (res) {
      state.dirty = false;
      var wasNew = e.isNew;
      e.path = res.path || path;
      e.isNew = false;
      e.page = res.page !== undefined ? res.page : e.page;
      if (res.problems) state.problems = res.problems;
      return loadEntries().then(function () {
        if (wasNew) return openEntry(e.path).then(function () { afterSave(res); });
        $('entry-path').textContent = state.lang ? e.path.replace(/\.md$/, '.' + state.lang + '.md') : e.path;
        var named = fields.title || fields.name;
        if (named && !state.lang) $('form-heading').textContent = named;
        renderLangs();
        renderList();
        afterSave(res);
      });
    }).catch(function (err) {
      $('status').textContent = '';
      showAlert(t('not_saved', { error: err.message }));
      if (err.status === 409) return loadEntries().then(renderList); // online: the branch moved, read again
    }).then(function () {
      var b = $('save-btn');
      if (b) { b.disabled = false; b.textContent = t('save'); }
    });
  }

  function afterSave(res) {
    var mine = problemsOf(state.entry.path);
    var errors = mine.filter(function (p) { return p.severity === 'error'; }).length;
    var time = new Date().toLocaleTimeString(state.campaign.lang, { hour: '2-digit', minute: '2-digit' });
    $('status').textContent = errors ? t('saved_with_errors', { n: errors, time: time })
      : t(state.campaign.online ? 'online_saved' : 'saved', { time: time });
    $('status').className = 'status ' + (errors ? 'warn' : 'ok');
    renderProblems(mine);
    setPreview(state.entry.page || (res && res.page) || '', true);
  }

  function showAlert(msg) {
    $('alert').textContent = msg;
  }

  /* ---------- problems ---------- */

  var ORDER = ['error', 'warning', 'hold', 'notice'];

  function keyOf(problem) {
    // `stories/…:3: rating must be …`: the first word after the line that names a field of the form.
    var rest = String(problem.text || '').replace(/^.*?:\d+:\s*/, '').replace(/^[^:]*\.md:\s*/, '');
    var words = rest.match(/[A-Za-z_][A-Za-z0-9_]*/g) || [];
    for (var i = 0; i < words.length; i++) {
      var c = findControl(words[i]);
      if (c && !c.virtual) return c;
    }
    return null;
  }

  function renderProblems(list, quiet) {
    var box = clear($('problems'));
    state.controls.forEach(function (c) { setError(c, ''); });
    if (!list || !list.length) { box.hidden = true; return; }
    box.hidden = false;
    var sorted = list.slice().sort(function (a, b) { return ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity) || (a.line || 0) - (b.line || 0); });
    box.appendChild(h('h3', { text: t('problems_title', { n: sorted.length }) }));
    ORDER.forEach(function (sev) {
      var group = sorted.filter(function (p) { return p.severity === sev; });
      if (!group.length) return;
      var ul = h('ul', {});
      group.forEach(function (p) {
        var ctrl = keyOf(p);
        if (ctrl && (sev === 'error' || sev === 'warning')) setError(ctrl, p.text.replace(/^.*?:\d+:\s*/, ''));
        var li = h('li', { class: 'problem ' + sev }, h('span', { class: 'problem-text', text: p.text }));
        if (ctrl && ctrl.focusEl) {
          var go = h('button', { type: 'button', class: 'btn link small', text: t('go_to_field', { field: ctrl.key === 'slug' ? t('slug') : label(ctrl.key) }) });
          go.addEventListener('click', function () { var f = ctrl.focusEl; if (f) { f.scrollIntoView({ block: 'center' }); f.focus(); } });
          li.appendChild(go);
        }
        ul.appendChild(li);
      });
      box.appendChild(h('div', { class: 'problem-group ' + sev }, h('h4', { text: t('severity_' + sev) + ' (' + group.length + ')' }), ul));
    });
    if (!quiet) box.focus && box.setAttribute('tabindex', '-1');
  }

  /* ---------- preview ---------- */

  function setPreview(page, reload) {
    var frame = $('preview');
    var base = state.campaign && state.campaign.preview;
    var open = $('preview-open');
    if (!base || !state.entry || page === '' || page === null || page === undefined) {
      frame.hidden = true;
      frame.removeAttribute('src');
      frame.dataset.want = '';
      $('preview-none').hidden = false;
      $('preview-none').textContent = state.entry ? (state.entry.isNew ? t('preview_after_save') : t('no_preview')) : t('preview_pick');
      open.hidden = true;
      return;
    }
    var url = base + page;
    $('preview-none').hidden = true;
    frame.hidden = false;
    open.hidden = false;
    open.href = url;
    open.textContent = t('open_page');
    frame.dataset.want = url;
    if (previewVisible()) {
      if (reload || frame.getAttribute('src') !== url) frame.setAttribute('src', url);
    }
  }

  function previewVisible() { return wide.matches || !$('preview-body').classList.contains('collapsed'); }

  function togglePreview() {
    var body = $('preview-body');
    var open = body.classList.toggle('collapsed') === false;
    $('preview-toggle').setAttribute('aria-expanded', open ? 'true' : 'false');
    $('preview-toggle').textContent = open ? t('hide_preview') : t('show_preview');
    var frame = $('preview');
    if (open && frame.dataset.want && frame.getAttribute('src') !== frame.dataset.want) frame.setAttribute('src', frame.dataset.want);
  }

  /* ---------- start ---------- */

  function loadEntries() {
    return backend.entries().then(function (res) {
      TABS.forEach(function (tab) { state.entries[tab] = (res && res[tab]) || []; });
    });
  }

  function loadProblems() {
    return backend.problems().then(function (res) { state.problems = (res && res.problems) || []; }, function () { state.problems = []; });
  }

  function staticWords() {
    var c = state.campaign;
    document.documentElement.lang = c.lang || 'fr';
    document.documentElement.dir = c.dir === 'rtl' ? 'rtl' : 'ltr';
    document.title = t('app_title');
    $('brand').textContent = t('app_title');
    $('skip').textContent = t('skip_to_form');
    $('filter-label').textContent = t('filter');
    $('back-btn').textContent = (c.dir === 'rtl' ? '→ ' : '← ') + t('back_to_list');
    $('preview-heading').textContent = t('preview');
    $('preview-toggle').textContent = t('show_preview');
    $('preview').setAttribute('title', t('preview'));
    $('loading').textContent = '';
  }

  // Online: a way to sign out, and what the preview shows (the published page, changed by the host's build).
  function onlineWords(signedIn) {
    var out = h('button', { type: 'button', class: 'btn small', id: 'sign-out', text: t('online_sign_out') });
    out.addEventListener('click', function () {
      if (!leaveOk()) return;
      state.dirty = false;
      signedIn.signOut();
      window.location.reload();
    });
    document.querySelector('.top').appendChild(out);
    var note = h('p', { class: 'help', id: 'preview-note', text: t('online_preview_note') });
    $('preview-pane').insertBefore(note, $('preview-body'));
  }

  function start() {
    $('loading').textContent = 'Vitrine…';
    var online = root.VitrineOnline; // site/admin/: the campaign described in campaign.json, the data on the Git host
    (online ? api('GET', 'campaign.json') : local.campaign()).then(function (c) {
      state.campaign = c;
      state.strings = c.strings || {};
      staticWords();
      if (!online || !c.online) return null;
      return online.signIn(c, t, $('loading')).then(function (signedIn) {
        backend = signedIn;
        onlineWords(signedIn);
      });
    }).then(function () {
      return Promise.all([loadEntries(), loadProblems()]);
    }).then(function () {
      $('layout').hidden = false;
      renderTabs();
      renderList();
      showEmpty();
      $('new-btn').addEventListener('click', newEntry);
      $('filter').addEventListener('input', renderList);
      $('form').addEventListener('submit', save);
      $('form').addEventListener('input', function () {
        if (!state.dirty) { state.dirty = true; $('status').textContent = t('unsaved'); $('status').className = 'status'; }
      });
      $('form').addEventListener('change', function () { state.dirty = true; });
      $('back-btn').addEventListener('click', function () {
        if (!leaveOk()) return;
        state.entry = null;
        state.dirty = false;
        showEmpty();
        renderList();
        $('list-heading').setAttribute('tabindex', '-1');
        $('list-heading').focus();
      });
      $('preview-toggle').addEventListener('click', togglePreview);
      wide.addEventListener('change', function () { if (state.entry) setPreview(state.entry.page || ''); });
      window.addEventListener('beforeunload', function (ev) { if (state.dirty) { ev.preventDefault(); ev.returnValue = ''; } });
      document.addEventListener('keydown', function (ev) {
        if ((ev.ctrlKey || ev.metaKey) && (ev.key === 's' || ev.key === 'S') && state.entry) {
          ev.preventDefault();
          $('form').requestSubmit();
        }
      });
    }).catch(function (err) {
      $('loading').textContent = err.message;
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})(window);
