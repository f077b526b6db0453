/* A story's text to its fields and body, and back, changing only what the editor changed: the browser's copy of
 * vitrine/edit/stories.py and style.py, for the online editor (the local one saves through Python).
 *
 * Same rules, same steps: the front matter is read as YAML 1.2's core schema (dates as text); writing over the
 * old text replaces only the lines of the keys whose value changed, found from the YAML nodes' source ranges
 * (eemeli/yaml, vendored as yaml.js), so comments, quoting, key order, blank lines, line ends and a byte-order
 * mark survive; a new key goes at the end; a new story is written in the house style. Runs in a browser (sets
 * window.VitrineFront) and in node (tests/test_edit_online.py runs it over every demo story).
 */
(function (root) {
  'use strict';

  var YAML = root.YAML;
  var INDENT = 2;
  var FENCE = /^-{3,}[ \t]*$/;
  var LINE = /[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g;
  var BOM = '\ufeff';
  var BARE = /^(?:\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?|[a-z0-9]+(?:[._-][a-z0-9]+)*)$/;
  var KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
  var ESCAPES = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\0': '\\0', '\x85': '\\N',
    '\u2028': '\\L', '\u2029': '\\P' };

  function content(line) { return line.replace(/[\r\n]+$/, ''); }

  /* ---------- reading (vitrine.read.document's values) ---------- */

  function parseYaml(src) {
    var doc = YAML.parseDocument(src, { schema: 'core', uniqueKeys: false, merge: false });
    if (doc.errors.length) throw new Error(doc.errors[0].message);
    return doc;
  }

  function construct(node) {
    if (!node) return null;
    if (YAML.isMap(node)) {
      var out = {};
      node.items.forEach(function (pair) {
        if (!YAML.isScalar(pair.key)) throw new Error('a key must be a word, e.g. name');
        out[keyName(pair)] = construct(pair.value);
      });
      return out;
    }
    if (YAML.isSeq(node)) return node.items.map(construct);
    if (YAML.isScalar(node)) return node.type === 'PLAIN' ? node.value : String(node.value);
    throw new Error('anchors, aliases and tags are not read');
  }

  function keyName(pair) { return pair.key.type === 'PLAIN' ? String(pair.key.source) : String(pair.key.value); }

  /* ---------- the house style (vitrine/edit/style.py) ---------- */

  function clean(value) {
    if (Array.isArray(value)) return value.map(clean);
    if (value && typeof value === 'object') {
      var out = {};
      Object.keys(value).forEach(function (k) {
        var v = value[k];
        if (v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length)) return;
        out[k] = clean(v);
      });
      return out;
    }
    return value;
  }

  function sorted(value) {
    if (Array.isArray(value)) return value.map(sorted);
    if (value && typeof value === 'object') {
      var out = {};
      Object.keys(value).sort().forEach(function (k) { out[k] = sorted(value[k]); });
      return out;
    }
    return value;
  }

  function same(a, b) { return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b)); }

  function readsBack(lines, value) {
    try {
      var read = construct(parseYaml(['k: ' + lines[0]].concat(lines.slice(1)).join('\n') + '\n').contents);
      return !!read && typeof read === 'object' && same(read.k, value);
    } catch (e) { return false; }
  }

  function quoted(text) {
    var out = '';
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      var code = text.charCodeAt(i);
      if (ESCAPES[ch] !== undefined) out += ESCAPES[ch];
      else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) out += '\\x' + ('0' + code.toString(16)).slice(-2);
      else if (code >= 0xd800 && code <= 0xdfff) {
        var next = text.charCodeAt(i + 1);
        if (code < 0xdc00 && next >= 0xdc00 && next <= 0xdfff) { out += ch + text.charAt(i + 1); i += 1; } // a pair
        else out += '\\u' + code.toString(16);
      } else if (code === 0xfeff || code === 0xfffe || code === 0xffff) out += '\\u' + code.toString(16);
      else out += ch;
    }
    return '"' + out + '"';
  }

  function literal(text) {
    var lines = (text.slice(-1) === '\n' ? text.slice(0, -1) : text).split('\n');
    var spaced = lines.some(function (l) { return l !== l.replace(/^[ \t]+|[ \t]+$/g, '') && !l.trim(); });
    if (spaced || /^[ \t]/.test(lines[0])) return null;
    var header = text.slice(-1) !== '\n' ? '|-' : (text.slice(-2) === '\n\n' ? '|+' : '|');
    var indented = lines.map(function (l) { return l ? '  ' + l : ''; });
    return readsBack([header].concat(indented), text) ? [header].concat(lines) : null;
  }

  function scalar(value) {
    if (value === null || value === undefined) return ['null'];
    if (typeof value === 'boolean') return [value ? 'true' : 'false'];
    if (typeof value === 'number') {
      if (isNaN(value)) return ['.nan'];
      if (!isFinite(value)) return [value < 0 ? '-.inf' : '.inf'];
      return [String(value)];
    }
    var text = String(value);
    if (BARE.test(text) && readsBack([text], text)) return [text];
    if (text.indexOf('\n') >= 0) { var block = literal(text); if (block) return block; }
    return [quoted(text)];
  }

  function keyText(key) { return KEY.test(key) ? key : quoted(key); }

  function pad(n) { return new Array(n + 1).join(' '); }

  function isCollection(v) { return v !== null && typeof v === 'object'; }

  function empty(v) { return Array.isArray(v) ? !v.length : !Object.keys(v).length; }

  function pairLines(key, value, indent) {
    var p = pad(indent);
    if (isCollection(value) && !empty(value)) return [p + key + ':'].concat(nodeLines(value, indent + INDENT));
    if (isCollection(value)) return [p + key + ': ' + (Array.isArray(value) ? '[]' : '{}')];
    var s = scalar(value);
    return [p + key + ': ' + s[0]].concat(s.slice(1).map(function (l) { return l ? p + pad(INDENT) + l : ''; }));
  }

  function nodeLines(value, indent) {
    var p = pad(indent);
    if (isCollection(value) && !Array.isArray(value) && !empty(value)) {
      return [].concat.apply([], Object.keys(value).map(function (k) { return pairLines(keyText(k), value[k], indent); }));
    }
    if (Array.isArray(value) && value.length) {
      var lines = [];
      value.forEach(function (item) {
        var sub = nodeLines(item, indent + INDENT);
        lines.push(p + '- ' + sub[0].slice(indent + INDENT));
        lines = lines.concat(sub.slice(1));
      });
      return lines;
    }
    if (isCollection(value)) return [p + (Array.isArray(value) ? '[]' : '{}')];
    var s = scalar(value);
    return [p + s[0]].concat(s.slice(1).map(function (l) { return l ? p + pad(INDENT) + l : ''; }));
  }

  function ordered(keys, order) {
    var rank = {};
    (order || []).forEach(function (k, i) { rank[k] = i; });
    var n = (order || []).length;
    return keys.slice().sort(function (a, b) {
      var ra = rank[a] !== undefined ? rank[a] : n;
      var rb = rank[b] !== undefined ? rank[b] : n;
      if (ra !== rb) return ra - rb;
      var ka = rank[a] !== undefined ? '' : a;
      var kb = rank[b] !== undefined ? '' : b;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  }

  /* ---------- a story's text (vitrine/edit/stories.py) ---------- */

  // A node's place in the story's lines: line (its index in `lines`) and column of where it starts and ends.
  function marker(src) {
    var starts = [0];
    for (var i = 0; i < src.length; i++) if (src.charAt(i) === '\n') starts.push(i + 1);
    return function (offset) {
      var lo = 0, hi = starts.length - 1;
      while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (starts[mid] <= offset) lo = mid; else hi = mid - 1; }
      return { line: lo, column: offset - starts[lo] };
    };
  }

  function parse(text) {
    var bom = text.charAt(0) === BOM ? BOM : '';
    var lines = text.slice(bom.length).match(LINE) || [];
    if (!lines.length || !FENCE.test(content(lines[0])) || lines[0] === content(lines[0])) {
      throw new Error('a story must start with a --- line');
    }
    var close = 0;
    for (var i = 1; i < lines.length; i++) if (FENCE.test(content(lines[i]))) { close = i; break; }
    if (!close) throw new Error('the front matter is not closed: add a --- line after the keys');
    // the leading newline stands for the opening --- line, so a node's line is its line's index
    var src = '\n' + lines.slice(1, close).map(function (l) { return content(l) + '\n'; }).join('');
    var node = parseYaml(src).contents;
    var fields = node ? construct(node) : {};
    if (!fields || typeof fields !== 'object' || Array.isArray(fields)) throw new Error('the front matter must be `key: value` lines');
    var body = lines.slice(close + 1).map(function (l) { return l !== content(l) ? content(l) + '\n' : l; }).join('');
    var first = lines[0];
    return { bom: bom, lines: lines, close: close, node: node, at: marker(src), fields: fields,
      body: body.replace(/^\n+/, ''), newline: first.slice(content(first).length) || '\n' };
  }

  function load(text) { var p = parse(text); return { fields: p.fields, body: p.body }; }

  function normalBody(body) {
    body = body.replace(/\r\n/g, '\n').replace(/\r/g, '\n');
    return body && body.slice(-1) !== '\n' ? body + '\n' : body;
  }

  function dump(fields, body, old, order) {
    var fresh = clean(fields);
    var head;
    if (old === null || old === undefined) {
      head = [].concat.apply([], ordered(Object.keys(fresh), order).map(function (k) { return pairLines(keyText(k), fresh[k], 0); }));
      return ['---'].concat(head, ['---', '']).join('\n') + (body ? '\n' + normalBody(body) : '');
    }
    var parsed = parse(old);
    var sameFields = same(clean(parsed.fields), fresh);
    var sameBody = body.replace(/\r\n/g, '\n').replace(/\r/g, '\n') === parsed.body;
    if (sameFields && sameBody) return old;
    var lines = parsed.lines.slice();
    if (!sameBody) lines = withBody(lines, parsed.close, normalBody(body), parsed.newline);
    if (!sameFields) lines = withFields(parsed, lines, fresh, order);
    var text = parsed.bom + lines.join('');
    var check = null;
    try { check = load(text); } catch (e) { check = null; }
    if (check && same(clean(check.fields), fresh) &&
        check.body === (!sameBody ? normalBody(body).replace(/^\n+/, '') : parsed.body)) return text;
    // an edit the line-level rewrite cannot express: the whole front matter in the house style
    head = [].concat.apply([], ordered(Object.keys(fresh), order).map(function (k) { return pairLines(keyText(k), fresh[k], 0); }));
    return parsed.bom + [lines[0]].concat(head.map(function (l) { return l + parsed.newline; }), lines.slice(parsed.close)).join('');
  }

  function withBody(lines, close, body, newline) {
    var start = close + 1;
    while (start < lines.length && !content(lines[start])) start += 1;
    var head = lines.slice(0, start);
    if (head[head.length - 1] === content(head[head.length - 1])) head[head.length - 1] += newline;
    if (body && start === close + 1) head.push(newline);
    return body ? head.concat(body.slice(0, -1).split('\n').map(function (l) { return l + newline; })) : head;
  }

  function withFields(parsed, lines, fresh, order) {
    var node = parsed.node;
    var edits;
    if (!node) {
      var added = [].concat.apply([], ordered(Object.keys(fresh), order).map(function (k) { return pairLines(keyText(k), fresh[k], 0); }));
      edits = [{ first: parsed.close, last: parsed.close - 1, lines: added }];
    } else if (!YAML.isMap(node) || node.flow) {
      edits = [{ first: 1, last: parsed.close - 1, lines: [].concat.apply([], Object.keys(fresh).map(function (k) { return pairLines(keyText(k), fresh[k], 0); })) }];
    } else {
      edits = editMapping(parsed, node, fresh, lines, order);
    }
    edits.sort(function (a, b) { return b.first - a.first; });
    edits.forEach(function (e) {
      var args = [e.first, e.last + 1 - e.first].concat(e.lines.map(function (l) { return l + parsed.newline; }));
      Array.prototype.splice.apply(lines, args);
    });
    return lines;
  }

  function start(p, node) { return p.at(node.range[0]); }
  function end(p, node) { return p.at(node.range[1]); }

  function last(p, node, lines) {
    if ((YAML.isMap(node) || YAML.isSeq(node)) && node.items.length && !node.flow) {
      var item = node.items[node.items.length - 1];
      var child = YAML.isMap(node) ? item.value : item;
      if (!child) return start(p, item.key).line;
      return Math.max(start(p, child).line, last(p, child, lines));
    }
    var s = start(p, node).line;
    var e = end(p, node);
    if (e.column || e.line === s) return e.line;
    var at = e.line - 1; // a block ends at the start of the next line, after its blank lines
    while (at > s && !content(lines[at]).trim()) at -= 1;
    return at;
  }

  function editMapping(p, node, fresh, lines, order) {
    var edits = [];
    var old = clean(construct(node));
    var stop = start(p, node).line;
    var names = {};
    node.items.forEach(function (pair) {
      var keyLine = start(p, pair.key).line;
      var through = pair.value ? Math.max(keyLine, last(p, pair.value, lines)) : keyLine;
      stop = Math.max(stop, through);
      var name = keyName(pair);
      names[name] = true;
      if (!Object.prototype.hasOwnProperty.call(fresh, name)) {
        if (Object.prototype.hasOwnProperty.call(old, name)) edits.push({ first: keyLine, last: through, lines: [] });
      } else if (!(Object.prototype.hasOwnProperty.call(old, name) && same(old[name], fresh[name]))) {
        edits = edits.concat(editValue(p, pair, fresh[name], lines));
      }
    });
    var added = ordered(Object.keys(fresh).filter(function (k) { return !Object.prototype.hasOwnProperty.call(old, k) && !names[k]; }), order);
    if (added.length) {
      var indent = start(p, node).column;
      var addedLines = [].concat.apply([], added.map(function (k) { return pairLines(keyText(k), fresh[k], indent); }));
      edits.push({ first: stop + 1, last: stop, lines: addedLines });
    }
    return edits;
  }

  function editValue(p, pair, value, lines) {
    var inner = pair.value ? editNode(p, pair.value, value, lines) : null;
    if (inner) return inner;
    var k = start(p, pair.key);
    var line = content(lines[k.line]);
    var text = line.slice(k.column, end(p, pair.key).column);
    var rewritten = pairLines(text, value, k.column);
    rewritten[0] = line.slice(0, k.column) + rewritten[0].slice(k.column); // keep a list's "- " before the key
    var through = pair.value ? Math.max(k.line, last(p, pair.value, lines)) : k.line;
    return [{ first: k.line, last: through, lines: rewritten }];
  }

  function editNode(p, node, value, lines) {
    var block = !node.flow;
    if (YAML.isMap(node) && block && isCollection(value) && !Array.isArray(value) && node.items.length) {
      return editMapping(p, node, value, lines, []);
    }
    if (YAML.isSeq(node) && block && Array.isArray(value) && value.length === node.items.length && value.length) {
      var edits = [];
      node.items.forEach(function (item, i) {
        if (!same(clean(construct(item)), value[i])) edits = edits.concat(editItem(p, item, value[i], lines));
      });
      return edits;
    }
    var s = start(p, node);
    var e = end(p, node);
    var written = YAML.isScalar(node) && node.range[1] > node.range[0];
    var text = isCollection(value) ? null : scalar(value);
    if (written && s.line === e.line && text && text.length === 1) {
      var line = content(lines[s.line]);
      return [{ first: s.line, last: s.line, lines: [line.slice(0, s.column) + text[0] + line.slice(e.column)] }];
    }
    return null;
  }

  function editItem(p, item, value, lines) {
    var inner = editNode(p, item, value, lines);
    if (inner) return inner;
    var s = start(p, item);
    var line = content(lines[s.line]);
    var rewritten = nodeLines(value, s.column);
    rewritten[0] = line.slice(0, s.column) + rewritten[0].slice(s.column);
    return [{ first: s.line, last: last(p, item, lines), lines: rewritten }];
  }

  root.VitrineFront = { load: load, dump: dump, clean: clean, same: same };
})(typeof window !== 'undefined' ? window : globalThis);
