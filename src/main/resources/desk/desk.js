// The newsroom desk: signs in with a token kept for this tab only, then lists, writes, illustrates,
// previews, schedules, publishes and withdraws bulletins through Bantin's public API, nothing else.
(function () {
  'use strict';

  var TOKEN = 'bantin.desk.token';
  var DRAFT = 'bantin.desk.draft.';
  var body = document.body;
  var zone = body.dataset.zone;
  var offset = body.dataset.offset;

  var en = {
    desk: 'Newsroom desk', deskNav: 'Desk', site: 'Reader site', apiDocs: 'API docs', signOut: 'Sign out',
    signInTitle: 'Sign in to the desk', token: 'Access token', signIn: 'Sign in',
    tokenHelp: 'The token an administrator gave you (bt_…). Kept in this browser tab only, cleared when it closes.',
    bulletins: 'Bulletins', newBulletin: 'New bulletin', search: 'Search', status: 'Status', all: 'All',
    draft: 'Draft', scheduled: 'Scheduled', published: 'Published', category: 'Category', filter: 'Filter',
    title: 'Title', time: 'Time', author: 'Author', more: 'More',
    empty: 'No bulletin yet. Press “New bulletin” to write the first.',
    conflictTitle: 'This bulletin was just changed elsewhere',
    conflictKept: 'What you are writing is kept below. Choose how to save:',
    conflictMine: 'Save mine over it', conflictTheirs: 'Use the new version, drop my changes',
    summary: 'Lead', body: 'Body', format: 'Formatting', heading: 'Heading', subheading: 'Subheading H3', bold: 'Bold',
    italic: 'Italic', bullets: 'List', numbers: 'Numbered list', quote: 'Quote', link: 'Link',
    clean: 'Clear formatting', tags: 'Tags', tagsHelp: 'Separated by commas.', publishTime: 'Publish time',
    photos: 'Photos of the bulletin', photo: 'Photo',
    photoHelp: 'JPEG, PNG, WebP or GIF, at most 20 MB; you can also drop photos on this box.',
    saveDraft: 'Save draft', preview: 'Preview', publish: 'Publish', withdraw: 'Withdraw', back: 'Back to the list',
    previewTitle: 'Preview', closePreview: 'Back to editing', previewFrame: 'Preview of the reader page',
    previewHelp: 'Exactly as the reader page will show it. Nothing is saved yet.',
    confirmWithdraw: 'Withdraw this bulletin? Readers, feeds and apps will no longer see it.',
    confirmYes: 'Confirm withdrawal', cancel: 'Cancel',
    caption: 'Photo caption', up: 'Move up', down: 'Move down', remove: 'Remove photo',
    timeHelp: 'In the portal’s time, {zone} (UTC{offset}). Empty: now. A later time schedules it.',
    wrongToken: 'This access token is not valid (or was revoked). Check it and try again.',
    notPublisher: 'This token cannot write bulletins.',
    unreachable: 'The server cannot be reached. Nothing you typed is lost: it is kept in this tab; try again.',
    tooLarge: 'Too large: {what}. Photos may be at most 20 MB.', tooFast: 'Too fast: try again in {s} seconds.',
    invalid: 'Some fields need a fix: see the messages next to them.', failed: 'The server refused: {detail}',
    busy: 'The server is busy: try again in {s} seconds.', uploading: 'Uploading {name}…',
    uploaded: 'Photo {name} uploaded.', savedDraft: 'Draft saved.', publishedNow: 'Published.',
    scheduledFor: 'Scheduled for {time}.', withdrawn: 'Withdrawn.', restored: 'Your unsaved text was restored.',
    changedFields: 'Changed since you opened it (version {version}, {time}): {fields}.',
    noChange: 'Saved elsewhere since you opened it (version {version}, {time}).',
    fieldsNames: 'title,lead,body,category,tags,author,photos,publish time',
    statusOf: 'Status: {status}', editing: 'Edit bulletin', none: '—', signedIn: 'Signed in.', signedOut: 'Signed out.',
    retryHint: 'press the button again'
  };
  var vi = {
    caption: 'Chú thích ảnh', up: 'Lên trên', down: 'Xuống dưới', remove: 'Bỏ ảnh',
    timeHelp: 'Theo giờ của toà soạn, {zone} (UTC{offset}). Để trống: đăng ngay. Giờ sau này: hẹn giờ đăng.',
    wrongToken: 'Mã truy cập không đúng (hoặc đã bị thu hồi). Kiểm tra lại và thử lần nữa.',
    notPublisher: 'Mã này không có quyền viết bài.',
    unreachable: 'Không kết nối được máy chủ. Nội dung bạn gõ không mất: nó được giữ trong thẻ này; hãy thử lại.',
    tooLarge: 'Quá lớn: {what}. Ảnh tối đa 20 MB.', tooFast: 'Gửi quá nhanh: thử lại sau {s} giây.',
    invalid: 'Một số ô cần sửa: xem thông báo cạnh từng ô.', failed: 'Máy chủ từ chối: {detail}',
    busy: 'Máy chủ đang bận: thử lại sau {s} giây.', uploading: 'Đang tải ảnh {name}…',
    uploaded: 'Đã tải ảnh {name}.', savedDraft: 'Đã lưu nháp.', publishedNow: 'Đã đăng.',
    scheduledFor: 'Đã hẹn giờ đăng lúc {time}.', withdrawn: 'Đã gỡ bài.', restored: 'Đã khôi phục nội dung chưa lưu của bạn.',
    changedFields: 'Đã thay đổi từ khi bạn mở bài (phiên bản {version}, lúc {time}): {fields}.',
    noChange: 'Đã được lưu ở nơi khác từ khi bạn mở bài (phiên bản {version}, lúc {time}).',
    fieldsNames: 'tiêu đề,tóm tắt,nội dung,chuyên mục,thẻ,tác giả,ảnh,thời gian đăng',
    statusOf: 'Trạng thái: {status}', editing: 'Sửa bài', none: '—', signedIn: 'Đã đăng nhập.', signedOut: 'Đã đăng xuất.',
    draft: 'Bản nháp', scheduled: 'Hẹn giờ', published: 'Đã đăng', newBulletin: 'Bài mới'
  };
  var languages = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'vi'];
  var english = !/^vi\b/i.test(languages[0] || '') && /^en\b/i.test(languages[0] || '');
  var words = english ? en : vi;

  function t(key, values) {
    var text = words[key] || vi[key] || en[key] || key;
    Object.keys(values || {}).forEach(function (name) { text = text.split('{' + name + '}').join(values[name]); });
    return text;
  }

  function $(id) { return document.getElementById(id); }

  // Bantin's own photos, from wherever this desk was opened (a proxy's public address may differ from it).
  function own(url) {
    try {
      var parsed = new URL(url, location.href);
      return parsed.pathname.indexOf('/media/') === 0 ? parsed.pathname : url;
    } catch (e) { return url; }
  }

  function translate() {
    if (!english) { return; }
    document.documentElement.lang = 'en';
    document.title = en.desk + ' – Bantin';
    document.querySelectorAll('[data-i18n]').forEach(function (el) { el.textContent = en[el.dataset.i18n]; });
    document.querySelectorAll('[data-i18n-aria]').forEach(function (el) {
      el.setAttribute('aria-label', en[el.dataset.i18nAria]);
    });
    document.querySelectorAll('[data-i18n-title]').forEach(function (el) { el.title = en[el.dataset.i18nTitle]; });
  }

  // ---- talking to the API -------------------------------------------------------------------------------

  function token() { return sessionStorage.getItem(TOKEN); }

  function Problem(status, problem, retryAfter) {
    this.status = status;
    this.problem = problem || {};
    this.retryAfter = retryAfter;
  }

  function api(method, path, options) {
    options = options || {};
    var headers = { 'Accept': 'application/json' };
    var secret = options.token === false ? null : options.token || token();
    if (secret) { headers.Authorization = 'Bearer ' + secret; }
    if (options.json !== undefined) { headers['Content-Type'] = 'application/json'; }
    if (options.type) { headers['Content-Type'] = options.type; }
    if (options.ifMatch) { headers['If-Match'] = '"' + options.ifMatch + '"'; }
    if (options.accept) { headers.Accept = options.accept; }
    return fetch(path, {
      method: method, headers: headers, credentials: 'omit', cache: 'no-store',
      body: options.json !== undefined ? JSON.stringify(options.json) : options.body
    }).then(function (response) {
      if (response.ok) {
        if (response.status === 204) { return null; }
        return options.text ? response.text() : response.json();
      }
      return response.text().then(function (text) {
        var problem = {};
        try { problem = JSON.parse(text); } catch (e) { problem = { detail: text }; }
        throw new Problem(response.status, problem, response.headers.get('Retry-After'));
      });
    }, function () {
      throw new Problem(0, {});
    });
  }

  // Says what went wrong, next to the fields where it can; returns true when it was a field error.
  function report(error, what) {
    if (!(error instanceof Problem)) { alertBox(t('failed', { detail: String(error) })); return false; }
    switch (error.status) {
      case 0: alertBox(t('unreachable')); return false;
      case 401: signOut(); alertBox(t('wrongToken')); return false;
      case 403: alertBox(t('notPublisher')); return false;
      case 413: alertBox(t('tooLarge', { what: what || '' })); return false;
      case 429: alertBox(t('tooFast', { s: error.retryAfter || '?' })); return false;
      case 503: alertBox(t('busy', { s: error.retryAfter || '?' })); return false;
      case 422:
        if (error.problem.errors && error.problem.errors.length) {
          error.problem.errors.forEach(function (e) { fieldError(e.field, e.message); });
          alertBox(t('invalid'));
          focusFirstError();
          return true;
        }
        alertBox(t('failed', { detail: error.problem.detail || error.status }));
        return false;
      default: alertBox(t('failed', { detail: error.problem.detail || error.problem.title || error.status }));
        return false;
    }
  }

  function alertBox(text) {
    var box = $('alert');
    box.textContent = text;
    box.hidden = !text;
  }

  function notice(text) {
    alertBox('');
    $('notice').textContent = text;
  }

  function fieldError(field, message) {
    var name = field.replace(/\[\d+\].*$/, '');
    var el = $('e-' + name);
    if (!el) { el = $('e-title'); }
    el.textContent = (el.textContent ? el.textContent + ' ' : '') + (name !== field ? field + ': ' : '') + message;
    el.hidden = false;
    var input = el.parentElement.querySelector('input, textarea');
    if (input) { input.setAttribute('aria-invalid', 'true'); }
  }

  function clearErrors() {
    document.querySelectorAll('.error').forEach(function (el) { el.textContent = ''; el.hidden = true; });
    document.querySelectorAll('[aria-invalid]').forEach(function (el) { el.removeAttribute('aria-invalid'); });
    alertBox('');
  }

  function focusFirstError() {
    var first = document.querySelector('.error:not([hidden])');
    var input = first && first.parentElement.querySelector('input, textarea, [contenteditable]');
    if (input) { input.focus(); }
  }

  // ---- views --------------------------------------------------------------------------------------------

  function show(view) {
    ['signin', 'list', 'editor', 'preview-pane'].forEach(function (id) { $(id).hidden = id !== view; });
    $('signout').hidden = view === 'signin';
    var heading = $(view).querySelector('h1');
    if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus(); }
  }

  function signOut() {
    sessionStorage.removeItem(TOKEN);
    show('signin');
  }

  $('signin-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var candidate = $('token').value.trim();
    $('token-error').hidden = true;
    // A publisher's own list answers only a valid token: a wrong one is a 401, said next to the field.
    api('GET', '/api/v1/bulletins?status=draft&limit=1', { token: candidate }).then(function () {
      sessionStorage.setItem(TOKEN, candidate);
      $('token').value = '';
      notice(t('signedIn'));
      openList();
    }, function (error) {
      var message = error instanceof Problem && error.status === 401 ? t('wrongToken')
        : error instanceof Problem && error.status === 0 ? t('unreachable') : t('failed', { detail: error.status });
      $('token-error').textContent = message;
      $('token-error').hidden = false;
      $('token').setAttribute('aria-invalid', 'true');
      $('token').focus();
    });
  });

  $('signout').addEventListener('click', function () {
    signOut();
    notice(t('signedOut'));
  });

  // ---- the list -----------------------------------------------------------------------------------------

  var next = null;

  function statusName(status) { return t(status); }

  function localTime(iso) {
    if (!iso) { return ''; }
    return iso.slice(0, 16).replace('T', ' ');
  }

  function openList() {
    show('list');
    loadTerms();
    loadPage(null);
  }

  function loadPage(cursor) {
    var params = new URLSearchParams();
    params.set('status', $('filter-status').value);
    params.set('limit', '20');
    if ($('q').value.trim()) { params.set('q', $('q').value.trim()); }
    if ($('filter-category').value) { params.set('category', $('filter-category').value); }
    if (cursor) { params.set('cursor', cursor); }
    api('GET', '/api/v1/bulletins?' + params).then(function (page) {
      var rows = $('rows');
      if (!cursor) { rows.textContent = ''; }
      page.items.forEach(function (b) { rows.appendChild(row(b)); });
      next = page.next;
      $('more').hidden = !next;
      $('empty').hidden = rows.children.length > 0;
    }, function (error) { report(error); });
  }

  function cell(text) {
    var td = document.createElement('td');
    td.textContent = text;
    return td;
  }

  function row(b) {
    var tr = document.createElement('tr');
    var title = document.createElement('td');
    var open = document.createElement('a');
    open.href = '#' + b.id;
    open.textContent = b.title;
    open.addEventListener('click', function (event) { event.preventDefault(); openBulletin(b.id); });
    title.appendChild(open);
    tr.appendChild(title);
    tr.appendChild(cell(statusName(b.status)));
    var when = cell('');
    var time = document.createElement('time');
    time.dateTime = b.publishedAt;
    time.textContent = localTime(b.publishedAt);
    when.appendChild(time);
    tr.appendChild(when);
    tr.appendChild(cell(b.category ? b.category.name : t('none')));
    tr.appendChild(cell(b.author || t('none')));
    return tr;
  }

  $('filters').addEventListener('submit', function (event) { event.preventDefault(); loadPage(null); });
  $('more').addEventListener('click', function () { loadPage(next); });
  $('new').addEventListener('click', function () { openEditor(null); });

  function loadTerms() {
    api('GET', '/api/v1/categories', { token: false }).then(function (categories) {
      fill($('categories'), categories);
      var select = $('filter-category');
      var chosen = select.value;
      while (select.options.length > 1) { select.remove(1); }
      categories.forEach(function (c) { select.add(new Option(c.name, c.slug)); });
      select.value = chosen;
    }, function () { /* suggestions only */ });
    api('GET', '/api/v1/tags', { token: false }).then(function (tags) { fill($('tags'), tags); }, function () {});
  }

  function fill(datalist, terms) {
    datalist.textContent = '';
    terms.forEach(function (term) {
      var option = document.createElement('option');
      option.value = term.name;
      datalist.appendChild(option);
    });
  }

  // ---- the editor ---------------------------------------------------------------------------------------

  var quill = null;
  var current = null; // the bulletin as last read or saved: id, version, status, and what it said
  var photos = [];    // [{media, url, caption, alt}]

  function editorReady() {
    if (quill) { return; }
    quill = new Quill('#f-body', {
      theme: 'snow',
      modules: { toolbar: '#toolbar', clipboard: { matchVisual: false } },
      formats: ['header', 'bold', 'italic', 'list', 'blockquote', 'link']
    });
    var area = document.querySelector('#f-body .ql-editor');
    area.setAttribute('aria-labelledby', 'l-body');
    area.setAttribute('role', 'textbox');
    area.setAttribute('aria-multiline', 'true');
    quill.on('text-change', keep);
    // Quill's link tooltip has an unlabelled field: name it for screen readers.
    var linkInput = document.querySelector('#f-body .ql-tooltip input');
    if (linkInput) { linkInput.setAttribute('aria-label', t('link')); }
  }

  function draftKey() { return DRAFT + (current && current.id ? current.id : 'new'); }

  function formValue() {
    var local = $('f-time').value;
    return {
      title: $('f-title').value,
      summary: $('f-summary').value,
      body: quill.root.innerHTML === '<p><br></p>' ? '' : quill.root.innerHTML,
      category: $('f-category').value.trim() || null,
      tags: $('f-tags').value.split(',').map(function (s) { return s.trim(); }).filter(Boolean),
      author: $('f-author').value,
      // Photos held elsewhere (given by URL through the API) go back as they came, with the caption edited here.
      images: photos.map(function (p) {
        var image = p.media ? { media: p.media } : { url: p.url, length: p.length, type: p.type };
        image.caption = p.caption;
        if (p.alt) { image.alt = p.alt; }
        return image;
      }),
      publishedAt: local ? (local.length === 16 ? local + ':00' : local) + offset : null
    };
  }

  function fillForm(value) {
    $('f-title').value = value.title || '';
    $('f-summary').value = value.summary || '';
    quill.setContents([]);
    if (value.body) { quill.clipboard.dangerouslyPasteHTML(0, value.body, 'silent'); }
    $('f-category').value = value.category || '';
    $('f-tags').value = (value.tags || []).join(', ');
    $('f-author').value = value.author || '';
    $('f-time').value = value.publishedAt ? value.publishedAt.slice(0, 19) : '';
    photos = (value.images || []).map(function (i) {
      return { media: i.media, url: i.url, caption: i.caption || '', alt: i.alt, length: i.length, type: i.type };
    });
    renderPhotos();
  }

  // What a bulletin read from the API says, in the form's terms.
  function asForm(b) {
    return {
      title: b.title, summary: b.summary, body: b.body, category: b.category ? b.category.name : '',
      tags: (b.tags || []).map(function (tag) { return tag.name; }), author: b.author,
      images: (b.images || []).map(function (i) {
        if (!i.media) { return { url: i.url, caption: i.caption, alt: i.alt, length: i.length, type: i.type }; }
        var small = i.renditions && i.renditions.length ? i.renditions[0].url : i.url;
        return { media: i.media, url: small, caption: i.caption, alt: i.alt };
      }),
      // A draft is published when it is published (empty: now); others keep their time when edited.
      publishedAt: b.status === 'draft' ? null : b.publishedAt
    };
  }

  var keepTimer = null;
  function keep() {
    clearTimeout(keepTimer);
    keepTimer = setTimeout(function () {
      var value = formValue();
      value.photoUrls = photos.map(function (p) { return p.url; });
      sessionStorage.setItem(draftKey(), JSON.stringify({ value: value, photos: photos }));
    }, 300);
  }

  function forget() {
    clearTimeout(keepTimer); // a keep still pending would write the saved text back as unsaved
    sessionStorage.removeItem(draftKey());
  }

  function restore() {
    var saved = sessionStorage.getItem(draftKey());
    if (!saved) { return false; }
    var kept = JSON.parse(saved);
    fillForm(kept.value);
    photos = kept.photos || [];
    renderPhotos();
    notice(t('restored'));
    return true;
  }

  function openEditor(bulletin) {
    editorReady();
    clearErrors();
    $('conflict').hidden = true;
    current = bulletin ? { id: bulletin.id, version: bulletin.version, status: bulletin.status,
      saved: asForm(bulletin), slug: bulletin.slug } : null;
    $('editor-h').textContent = bulletin ? t('editing') : t('newBulletin');
    $('withdraw').hidden = !bulletin;
    $('editor-state').textContent = bulletin ? t('statusOf', { status: statusName(bulletin.status) }) : '';
    fillForm(bulletin ? current.saved : {});
    restore();
    sessionStorage.setItem('bantin.desk.open', bulletin ? bulletin.id : 'new');
    show('editor');
  }

  function openBulletin(id) {
    api('GET', '/api/v1/bulletins/' + encodeURIComponent(id)).then(openEditor, function (error) { report(error); });
  }

  ['f-title', 'f-summary', 'f-category', 'f-tags', 'f-author', 'f-time'].forEach(function (id) {
    $(id).addEventListener('input', keep);
  });

  $('back').addEventListener('click', function () {
    sessionStorage.removeItem('bantin.desk.open');
    openList();
  });

  function save(asDraft) {
    clearErrors();
    var value = formValue();
    if (!value.title.trim()) {
      fieldError('title', english ? 'must not be empty' : 'không được để trống');
      focusFirstError();
      return Promise.resolve();
    }
    var sent = Object.assign({}, value);
    if (asDraft) { sent.status = 'draft'; }
    if (!sent.publishedAt) { delete sent.publishedAt; }
    var request = current && current.id
      ? api('PUT', '/api/v1/bulletins/' + current.id, { json: sent, ifMatch: current.version })
      : api('POST', '/api/v1/bulletins', { json: sent });
    return request.then(function (saved) {
      forget();
      current = { id: saved.id, version: saved.version, status: saved.status, saved: asForm(saved), slug: saved.slug };
      $('withdraw').hidden = false;
      $('editor-h').textContent = t('editing');
      $('editor-state').textContent = t('statusOf', { status: statusName(saved.status) });
      sessionStorage.setItem('bantin.desk.open', saved.id);
      notice(saved.status === 'draft' ? t('savedDraft') : saved.status === 'scheduled'
        ? t('scheduledFor', { time: localTime(saved.publishedAt) }) : t('publishedNow'));
      forget();
    }, function (error) {
      if (error instanceof Problem && error.status === 412) { return conflict(); }
      report(error);
    });
  }

  $('save-draft').addEventListener('click', function () { save(true); });
  $('bulletin-form').addEventListener('submit', function (event) { event.preventDefault(); save(false); });

  // Someone saved this bulletin since it was opened: say what they changed, keep what is typed here.
  function conflict() {
    return api('GET', '/api/v1/bulletins/' + current.id).then(function (theirs) {
      var mine = current.saved;
      var now = asForm(theirs);
      var names = t('fieldsNames').split(',');
      var keys = ['title', 'summary', 'body', 'category', 'tags', 'author', 'images', 'publishedAt'];
      var changed = keys.filter(function (key) {
        return JSON.stringify(mine[key] || '') !== JSON.stringify(now[key] || '');
      }).map(function (key) { return names[keys.indexOf(key)]; });
      $('conflict-what').textContent = changed.length
        ? t('changedFields', { version: theirs.version, time: localTime(theirs.updatedAt), fields: changed.join(', ') })
        : t('noChange', { version: theirs.version, time: localTime(theirs.updatedAt) });
      $('conflict').hidden = false;
      $('conflict').dataset.version = theirs.version;
      $('conflict').theirs = theirs;
      $('conflict-mine').focus();
    }, function (error) { report(error); });
  }

  $('conflict-mine').addEventListener('click', function () {
    current.version = Number($('conflict').dataset.version);
    current.saved = asForm($('conflict').theirs);
    $('conflict').hidden = true;
    save(current.status === 'draft');
  });

  $('conflict-theirs').addEventListener('click', function () {
    forget();
    $('conflict').hidden = true;
    openEditor($('conflict').theirs);
  });

  // ---- photos -------------------------------------------------------------------------------------------

  function renderPhotos() {
    var list = $('photo-list');
    list.textContent = '';
    photos.forEach(function (photo, index) {
      var li = document.createElement('li');
      var img = document.createElement('img');
      img.src = own(photo.url);
      img.alt = '';
      img.width = 160;
      li.appendChild(img);
      var id = 'caption-' + index;
      var label = document.createElement('label');
      label.htmlFor = id;
      label.textContent = t('caption') + (photos.length > 1 ? ' ' + (index + 1) : '');
      var input = document.createElement('input');
      input.id = id;
      input.value = photo.caption || '';
      input.addEventListener('input', function () { photo.caption = input.value; keep(); });
      var buttons = document.createElement('div');
      buttons.className = 'photo-actions';
      [['up', -1], ['down', 1], ['remove', 0]].forEach(function (action) {
        var button = document.createElement('button');
        button.type = 'button';
        button.textContent = t(action[0]);
        button.setAttribute('aria-label', t(action[0]) + ' ' + (index + 1));
        button.disabled = (action[1] === -1 && index === 0) || (action[1] === 1 && index === photos.length - 1);
        button.addEventListener('click', function () {
          if (action[1] === 0) { photos.splice(index, 1); } else {
            var moved = photos.splice(index, 1)[0];
            photos.splice(index + action[1], 0, moved);
          }
          renderPhotos();
          keep();
        });
        buttons.appendChild(button);
      });
      li.appendChild(label);
      li.appendChild(input);
      li.appendChild(buttons);
      list.appendChild(li);
    });
  }

  function upload(files) {
    Array.prototype.reduce.call(files, function (previous, file) {
      return previous.then(function () {
        notice(t('uploading', { name: file.name }));
        return api('POST', '/api/v1/media', { body: file, type: file.type || 'application/octet-stream' })
          .then(function (media) {
            var small = media.renditions && media.renditions.length ? media.renditions[0].url : media.url;
            photos.push({ media: media.id, url: small, caption: media.caption || '' });
            renderPhotos();
            keep();
            notice(t('uploaded', { name: file.name }));
            var inputs = $('photo-list').querySelectorAll('input');
            if (inputs.length) { inputs[inputs.length - 1].focus(); }
          }, function (error) { report(error, file.name); });
      });
    }, Promise.resolve()).then(function () { $('f-photo').value = ''; });
  }

  $('f-photo').addEventListener('change', function () { upload($('f-photo').files); });
  var drop = $('drop');
  ['dragenter', 'dragover'].forEach(function (type) {
    drop.addEventListener(type, function (event) { event.preventDefault(); drop.classList.add('over'); });
  });
  ['dragleave', 'drop'].forEach(function (type) {
    drop.addEventListener(type, function () { drop.classList.remove('over'); });
  });
  drop.addEventListener('drop', function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) { upload(event.dataTransfer.files); }
  });

  // ---- preview and withdrawal ---------------------------------------------------------------------------

  $('preview').addEventListener('click', function () {
    clearErrors();
    var shown = formValue();
    if (!shown.publishedAt) { delete shown.publishedAt; }
    api('POST', '/api/v1/previews', { json: shown, text: true, accept: 'text/html' }).then(function (html) {
      $('preview-frame').srcdoc = html;
      show('preview-pane');
    }, function (error) { report(error); });
  });

  $('close-preview').addEventListener('click', function () { show('editor'); });

  $('withdraw').addEventListener('click', function () { $('confirm').showModal(); $('confirm-no').focus(); });
  $('confirm-no').addEventListener('click', function () { $('confirm').close(); $('withdraw').focus(); });
  $('confirm-yes').addEventListener('click', function () {
    $('confirm').close();
    api('DELETE', '/api/v1/bulletins/' + current.id, { ifMatch: current.version }).then(function () {
      forget();
      sessionStorage.removeItem('bantin.desk.open');
      openList();
      notice(t('withdrawn'));
    }, function (error) {
      if (error instanceof Problem && error.status === 412) { conflict(); return; }
      report(error);
    });
  });

  // ---- start --------------------------------------------------------------------------------------------

  translate();
  $('time-help').textContent = t('timeHelp', { zone: zone, offset: offset });
  if (token()) {
    var open = sessionStorage.getItem('bantin.desk.open');
    if (open === 'new') { openEditor(null); } else if (open) { openBulletin(open); } else { openList(); }
    loadTerms();
  } else {
    show('signin');
  }
}());
