// Runs the online editor's front-matter code (vitrine/edit/app/front.js) in node for tests/test_edit_online.py:
// reads a JSON list of {op: "load"|"dump", ...} from stdin, writes the list of results (or {error}) to stdout.
'use strict';
const fs = require('fs');
const vm = require('vm');
const path = require('path');
const app = path.join(__dirname, '..', 'vitrine', 'edit', 'app');
vm.runInThisContext(fs.readFileSync(path.join(app, 'yaml.js'), 'utf8'));
globalThis.YAML = YAML;
vm.runInThisContext(fs.readFileSync(path.join(app, 'front.js'), 'utf8'));
const front = globalThis.VitrineFront;
const cases = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = cases.map((c) => {
  try {
    if (c.op === 'load') return front.load(c.text);
    return { text: front.dump(c.fields, c.body, c.old === undefined ? null : c.old, c.order || []) };
  } catch (e) {
    return { error: String(e.message || e) };
  }
});
process.stdout.write(JSON.stringify(out));
