/* The online editor's backend (site/admin/, README "The online editor"): the editor's data, read and written
 * through the REST API of the Git host the campaign lives on (GitHub or GitLab), from the browser.
 *
 * editor.js asks the same questions of it as of `vitrine edit`'s local API (campaign, entries, entry, save,
 * upload, image, problems). The editor signs in with an access token of their own (kept in sessionStorage, or
 * localStorage when they ask to be remembered on this device); every request goes to the configured API only.
 * A save is one commit holding the story and the photos uploaded for it, on top of the commit the editor's
 * copy was read from: when the branch has moved since, nothing is written, the copy is read again and the
 * editor is told. Stories are written by front.js (the same lines as the local editor writes).
 */
(function (root) {
  'use strict';

  var Front = root.VitrineFront;
  var IMAGES = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };
  var MAX_UPLOAD = 20 * 1024 * 1024;
  var TRANSLATION = /^[^.]+\.[A-Za-z]{2,3}(-[A-Za-z0-9]+)*\.md$/;
  var SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

  /* ---------- bytes ---------- */

  function toBase64(bytes) {
    var out = '';
    for (var i = 0; i < bytes.length; i += 0x8000) out += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(out);
  }

  function fromBase64(text) {
    var raw = atob(String(text || '').replace(/\s+/g, ''));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function utf8(bytes) { return new TextDecoder('utf-8', { ignoreBOM: true, fatal: true }).decode(bytes); }

  function slugify(text, fallback) { // vitrine.core.slugs.slugify
    var ascii = String(text || '').normalize('NFKD').replace(/[^\x00-\x7f]/g, '').toLowerCase();
    return (ascii.match(/[a-z0-9]+/g) || []).join('-') || fallback;
  }

  function failure(message, status) { var e = new Error(message); e.status = status; return e; }

  /* ---------- the hosts: the same few questions, each in its own API ---------- */

  function request(config, token, t, method, path, body) {
    var headers = { Accept: 'application/json', Authorization: 'Bearer ' + token };
    if (config.backend === 'github') {
      headers.Accept = 'application/vnd.github+json';
      headers['X-GitHub-Api-Version'] = '2022-11-28';
    }
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    var init = { method: method, headers: headers, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer',
      body: body === undefined ? undefined : JSON.stringify(body) };
    return fetch(config.api + path, init).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (res.status === 401) throw failure(t('online_wrong_token'), 401);
        if (!res.ok) throw failure(t('online_host_error', { status: res.status }), res.status);
        return data;
      });
    }, function () { throw failure(t('online_unreachable', { host: config.api })); });
  }

  function github(config, call) {
    var repo = '/repos/' + config.repo.split('/').map(encodeURIComponent).join('/');
    var branch = config.branch.split('/').map(encodeURIComponent).join('/'); // GitHub's refs keep their slashes
    return {
      verify: function () { return call('GET', repo).then(function (r) { return !r.permissions || r.permissions.push !== false; }); },
      head: function () {
        return call('GET', repo + '/git/ref/heads/' + branch).then(function (ref) {
          return call('GET', repo + '/git/trees/' + ref.object.sha + '?recursive=1').then(function (tree) {
            return { commit: ref.object.sha, tree: tree.sha,
              files: tree.tree.filter(function (f) { return f.type === 'blob'; }).map(function (f) { return { path: f.path, sha: f.sha }; }) };
          });
        });
      },
      blob: function (sha) { return call('GET', repo + '/git/blobs/' + sha).then(function (b) { return fromBase64(b.content); }); },
      // blobs, one tree on the last one, a commit on the copy's commit, the branch moved to it if it did not move
      commit: function (head, message, changes) {
        return Promise.all(changes.map(function (c) {
          return call('POST', repo + '/git/blobs', { content: c.content, encoding: 'base64' }).then(function (b) {
            return { path: c.path, mode: '100644', type: 'blob', sha: b.sha };
          });
        })).then(function (entries) {
          return call('POST', repo + '/git/trees', { base_tree: head.tree, tree: entries });
        }).then(function (tree) {
          return call('POST', repo + '/git/commits', { message: message, tree: tree.sha, parents: [head.commit] });
        }).then(function (commit) {
          return call('PATCH', repo + '/git/refs/heads/' + branch, { sha: commit.sha, force: false }).then(function () { return commit.sha; });
        }).catch(function (err) {
          if (err.status === 409 || err.status === 422) err.conflict = true; // not a fast-forward: the branch moved
          throw err;
        });
      }
    };
  }

  function gitlab(config, call, stories) {
    var project = '/projects/' + encodeURIComponent(config.repo);
    var branch = encodeURIComponent(config.branch); // GitLab's: one path segment
    function pages(ref, page, found) {
      var url = project + '/repository/tree?recursive=true&per_page=100&page=' + page + '&ref=' + ref + '&path=' + encodeURIComponent(stories);
      return call('GET', url).then(function (items) {
        found = found.concat(items || []);
        return items && items.length === 100 ? pages(ref, page + 1, found) : found;
      });
    }
    function tip() { return call('GET', project + '/repository/branches/' + branch).then(function (b) { return b.commit.id; }); }
    return {
      verify: function () {
        return call('GET', project).then(function (p) {
          var access = p.permissions || {};
          var level = Math.max((access.project_access || {}).access_level || 0, (access.group_access || {}).access_level || 0);
          return !p.permissions || level === 0 || level >= 30; // Developer or more may push
        });
      },
      head: function () {
        return tip().then(function (commit) {
          return pages(commit, 1, []).then(function (items) {
            return { commit: commit, files: items.filter(function (f) { return f.type === 'blob'; }).map(function (f) { return { path: f.path, sha: f.id }; }) };
          });
        });
      },
      blob: function (sha) { return call('GET', project + '/repository/blobs/' + sha).then(function (b) { return fromBase64(b.content); }); },
      // one commit of every change; GitLab has no parent to name, so the branch is checked just before
      commit: function (head, message, changes) {
        return tip().then(function (now) {
          if (now !== head.commit) { var moved = failure('', 409); moved.conflict = true; throw moved; }
          return call('POST', project + '/repository/commits', { branch: config.branch, commit_message: message,
            actions: changes.map(function (c) {
              return { action: c.exists ? 'update' : 'create', file_path: c.path, content: c.content, encoding: 'base64' };
            }) });
        }).then(function (commit) { return commit.id; }, function (err) {
          if (err.status === 400) err.conflict = true; // a file created or changed meanwhile
          throw err;
        });
      }
    };
  }

  /* ---------- the editor's questions ---------- */

  function Backend(campaign, token, t) {
    var config = campaign.online;
    var call = function (method, path, body) { return request(config, token, t, method, path, body); };
    var host = config.backend === 'gitlab' ? gitlab(config, call, campaign.stories) : github(config, call);
    var stories = campaign.stories;
    var head = null; // {commit, tree, files}
    var shas = {}; // path -> blob sha, at head
    var texts = {}; // path -> text, as read at head (what a save writes over)
    var blobs = {}; // sha -> Promise of bytes
    var pending = {}; // path -> {content (base64), url (data:)}: photos uploaded, committed with the next save
    var opened = {}; // path -> its blob's sha when the editor opened it (null: none yet): what a save may replace
    var saved = {}; // paths this editor just committed: opened as the branch's next reading has them

    function ready() { return head ? Promise.resolve() : refresh(); } // after a save: read the branch once, when needed

    function refresh() {
      return host.head().then(function (h) {
        head = h;
        shas = {};
        texts = {};
        h.files.forEach(function (f) { shas[f.path] = f.sha; });
        Object.keys(saved).forEach(function (p) { opened[p] = shas[p] || null; });
        saved = {};
      });
    }

    function bytes(path) {
      var sha = shas[path];
      if (!sha) return Promise.resolve(null);
      if (!blobs[sha]) blobs[sha] = host.blob(sha).catch(function (e) { delete blobs[sha]; throw e; });
      return blobs[sha];
    }

    // A story's text, kept in the tab's session by its blob's sha (which names its content): a reload reads
    // the branch's tree again, not every story.
    function text(path) {
      var sha = shas[path];
      var kept = null;
      try { kept = sha ? sessionStorage.getItem('vitrine-blob:' + sha) : null; } catch (e) { kept = null; }
      if (kept !== null) { texts[path] = kept; return Promise.resolve(kept); }
      return bytes(path).then(function (b) {
        if (b === null) return null;
        var s = utf8(b);
        texts[path] = s;
        try { sessionStorage.setItem('vitrine-blob:' + sha, s); } catch (e) { /* full: read again next time */ }
        return s;
      });
    }

    function kindOf(path) {
      if (path.indexOf(stories + '/') !== 0 || path.indexOf('..') >= 0) throw failure(t('online_not_a_story', { path: path }));
      var inner = path.slice(stories.length + 1);
      var m;
      if ((m = /^people\/([^/]+)\/index\.md$/.exec(inner)) && SLUG.test(m[1])) return { kind: 'person', slug: m[1] };
      if ((m = /^products\/([^/]+)\/index\.md$/.exec(inner)) && SLUG.test(m[1])) return { kind: 'product', slug: m[1] };
      if ((m = /^people\/([^/]+)\/([^/.]+)\.md$/.exec(inner)) && SLUG.test(m[1]) && SLUG.test(m[2]) && m[2] !== 'index') {
        return { kind: 'testimony', person: m[1], product: m[2] };
      }
      if ((m = /^events\/([^/.]+)\.md$/.exec(inner)) && SLUG.test(m[1])) return { kind: 'event', slug: m[1] };
      throw failure(t('online_not_a_story', { path: path }));
    }

    function page(found) { // vitrine.edit.campaign.Campaign.page
      return { person: 'people/' + found.slug + '/', product: 'products/' + found.slug + '/',
        testimony: 'products/' + found.product + '/', event: 'events/' }[found.kind];
    }

    function fileOf(path, lang) { return lang ? path.replace(/\.md$/, '.' + lang + '.md') : path; }

    function schema(kind, lang) { return (lang ? campaign.schemas.translation : campaign.schemas[kind]) || { properties: {} }; }

    function title(path) {
      return text(path).then(function (s) {
        try { var f = Front.load(s).fields; return String(f.name || f.title || ''); } catch (e) { return ''; }
      }, function () { return ''; });
    }

    return {
      verify: host.verify,
      campaign: function () { return Promise.resolve(campaign); },
      entries: function () {
        return refresh().then(function () {
          var found = { people: [], products: [], testimonies: [], events: [] };
          var group = { person: 'people', product: 'products', testimony: 'testimonies', event: 'events' };
          var list = Object.keys(shas).filter(function (p) {
            return p.indexOf(stories + '/') === 0 && !TRANSLATION.test(p.split('/').pop());
          }).sort();
          return Promise.all(list.map(function (path) {
            var k;
            try { k = kindOf(path); } catch (e) { return null; }
            return title(path).then(function (name) {
              var e = { path: path, title: name || path.split('/').slice(-2)[path.slice(-8) === 'index.md' ? 0 : 1].replace(/\.md$/, '') };
              Object.keys(k).forEach(function (key) { if (key !== 'kind') e[key] = k[key]; });
              found[group[k.kind]].push(e);
            });
          })).then(function () { return found; });
        });
      },
      entry: function (path, lang) {
        var k = kindOf(path);
        var file = fileOf(path, lang);
        return ready().then(function () { opened[file] = shas[file] || null; return text(file); }).then(function (s) {
          var story = s === null ? { fields: {}, body: '' } : Front.load(s);
          var folder = path.replace(/\/[^/]+$/, '/');
          var files = k.kind === 'person' || k.kind === 'product' ? Object.keys(shas).filter(function (p) {
            return p.indexOf(folder) === 0 && p.slice(folder.length).indexOf('/') < 0 && IMAGES[p.split('.').pop().toLowerCase()];
          }).map(function (p) { return p.slice(folder.length); }).sort() : [];
          var others = campaign.languages.slice(1).filter(function (l) { return shas[fileOf(path, l)]; });
          return { path: path, kind: k.kind, fields: story.fields, body: story.body, files: files, page: page(k), translations: others };
        });
      },
      save: function (data) {
        var k = kindOf(data.path);
        var file = fileOf(data.path, data.lang);
        var order = Object.keys(schema(k.kind, data.lang).properties || {});
        var unknown = Object.keys(data.fields || {}).filter(function (key) { return order.indexOf(key) < 0; });
        if (unknown.length) return Promise.reject(failure(t('online_unknown_key', { key: unknown[0] })));
        return ready().then(function () {
          // changed (or created) by someone else since the editor opened it: refused, until opened again
          if ((shas[file] || null) !== (Object.prototype.hasOwnProperty.call(opened, file) ? opened[file] : null)) {
            throw failure(t('online_conflict'), 409);
          }
          return Object.prototype.hasOwnProperty.call(texts, file) || !shas[file] ? texts[file] || null : text(file);
        }).then(function (old) {
          var written = Front.dump(data.fields || {}, data.body || '', old, order);
          var folder = data.path.replace(/\/[^/]+$/, '/');
          var used = JSON.stringify(data.fields || {});
          var photos = Object.keys(pending).filter(function (p) {
            return p.indexOf(folder) === 0 && used.indexOf(JSON.stringify(p.slice(folder.length))) >= 0;
          });
          var changes = photos.map(function (p) { return { path: p, content: pending[p].content, exists: !!shas[p] }; });
          if (written !== old) changes.unshift({ path: file, content: toBase64(new TextEncoder().encode(written)), exists: old !== null });
          var done = { saved: true, path: data.path, page: page(k), problems: [] };
          if (!changes.length) return done;
          var named = (data.fields && (data.fields.name || data.fields.title)) || file;
          var message = t('online_commit', { name: named, path: file });
          var sha = shas[file] || null;
          // on the branch as read; when it moved meanwhile without this entry changing, once more on top of it
          function attempt(again) {
            return host.commit(head, message, changes).then(function () {
              photos.forEach(function (p) { delete pending[p]; });
              saved[file] = true;
              head = null; // the branch moved: read again by the app's next question (the lists, right after a save)
              return done;
            }, function (err) {
              if (err.status === 403) throw failure(t('online_read_only'), 403); // a token that may read only
              if (!err.conflict) throw err;
              return refresh().then(function () {
                if (again && (shas[file] || null) === sha && !changes.some(function (c) { return c.exists !== !!shas[c.path]; })) {
                  return attempt(false);
                }
                head = null;
                throw failure(t('online_conflict'), 409);
              });
            });
          }
          return attempt(true);
        });
      },
      upload: function (dir, file) {
        var name = file.name || '';
        var dot = name.lastIndexOf('.');
        var extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
        if (!IMAGES[extension]) return Promise.reject(failure(t('online_not_a_photo', { name: name })));
        if (file.size > MAX_UPLOAD) return Promise.reject(failure(t('file_too_big')));
        var safe = slugify(name.slice(0, dot), 'photo') + '.' + (extension === 'jpeg' ? 'jpg' : extension);
        return new Promise(function (resolve, reject) {
          var reader = new FileReader();
          reader.onload = function () {
            var url = String(reader.result);
            pending[dir + '/' + safe] = { content: url.slice(url.indexOf(',') + 1), url: 'data:' + IMAGES[extension] + ';base64,' + url.slice(url.indexOf(',') + 1) };
            resolve({ name: safe });
          };
          reader.onerror = function () { reject(failure(t('online_not_a_photo', { name: name }))); };
          reader.readAsDataURL(file);
        });
      },
      image: function (path) {
        if (pending[path]) return Promise.resolve(pending[path].url);
        return bytes(path).then(function (b) {
          return b ? 'data:' + (IMAGES[path.split('.').pop().toLowerCase()] || 'image/jpeg') + ';base64,' + toBase64(b) : '';
        });
      },
      problems: function () { return Promise.resolve({ problems: [] }); }
    };
  }

  /* ---------- signing in ---------- */

  function key(config) { return 'vitrine-token:' + config.api + '/' + config.repo; }

  function stored(config) {
    try { return sessionStorage.getItem(key(config)) || localStorage.getItem(key(config)) || ''; } catch (e) { return ''; }
  }

  function keep(config, token, remember) {
    try {
      sessionStorage.setItem(key(config), token);
      if (remember) localStorage.setItem(key(config), token); else localStorage.removeItem(key(config));
    } catch (e) { /* storage refused (a private window): signed in for this page only */ }
  }

  function forget(config) {
    try {
      sessionStorage.removeItem(key(config));
      localStorage.removeItem(key(config));
      Object.keys(sessionStorage).forEach(function (k) { if (k.indexOf('vitrine-blob:') === 0) sessionStorage.removeItem(k); });
    } catch (e) { /* nothing kept */ }
  }

  // The sign-in form in `box` until a token opens the repository; resolves with the backend.
  function signIn(campaign, t, box) {
    var config = campaign.online;
    // inside another page's frame (a host that sends no frame-ancestors), a remembered token must not be used
    if (window.top !== window.self) return new Promise(function () { box.textContent = t('online_framed'); });
    function attempt(token) {
      var backend = Backend(campaign, token, t);
      return backend.verify().then(function (canWrite) {
        if (!canWrite) throw failure(t('online_read_only'));
        return backend;
      }, function (err) {
        if (err.status === 401 || err.status === 403 || err.status === 404) throw failure(t('online_wrong_token'), err.status);
        throw err;
      });
    }
    return new Promise(function (resolve) {
      var h = function (tag, attrs, text) {
        var el = document.createElement(tag);
        Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
        if (text) el.textContent = text;
        return el;
      };
      var hostName = config.backend === 'gitlab' ? 'GitLab' : 'GitHub';
      var form = h('form', { class: 'sign-in', id: 'sign-in' });
      var input = h('input', { type: 'password', id: 'token', autocomplete: 'off', spellcheck: 'false', required: '' });
      var remember = h('input', { type: 'checkbox', id: 'remember' });
      var error = h('p', { class: 'alert', id: 'sign-in-error', role: 'alert' });
      var button = h('button', { type: 'submit', class: 'btn primary' }, t('online_sign_in'));
      var rememberRow = h('p', { class: 'check' });
      rememberRow.appendChild(remember);
      rememberRow.appendChild(h('label', { for: 'remember' }, t('online_remember')));
      [h('h1', {}, t('online_sign_in_title', { host: hostName })),
        h('p', { class: 'help' }, t('online_sign_in_help', { host: hostName, repo: config.repo })),
        h('label', { for: 'token' }, t('online_token')), input, rememberRow, button, error].forEach(function (el) { form.appendChild(el); });
      function go(token, remembered) {
        button.disabled = true;
        error.textContent = '';
        attempt(token).then(function (backend) {
          keep(config, token, remembered);
          if (form.parentNode) form.parentNode.removeChild(form); // not shown when a kept token signed in
          backend.signOut = function () { forget(config); };
          resolve(backend);
        }, function (err) {
          forget(config);
          button.disabled = false;
          error.textContent = err.message;
          if (!form.parentNode) box.appendChild(form);
          input.focus();
        });
      }
      form.addEventListener('submit', function (ev) { ev.preventDefault(); go(input.value.trim(), remember.checked); });
      var saved = stored(config);
      var remembered = false;
      try { remembered = !!localStorage.getItem(key(config)); } catch (e) { remembered = false; }
      if (saved) go(saved, remembered); else { box.appendChild(form); input.focus(); }
    });
  }

  root.VitrineOnline = { signIn: signIn };
})(window);
