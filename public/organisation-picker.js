// The organisation picker, enhanced: the GOV.UK accessible-autocomplete in place of the plain search
// field (src/platform/views/organisation-picker.njk). The chosen organisation's id goes in the
// hidden field; anything typed but not chosen is still sent, and the server searches it as without
// script. Loaded as a file (the CSP allows no inline script).
(function () {
  'use strict';
  if (typeof window.accessibleAutocomplete !== 'function' || !window.fetch) return;
  var boxes = document.querySelectorAll('[data-organisation-picker]');
  Array.prototype.forEach.call(boxes, function (box) {
    if (box.getAttribute('data-enhanced')) return;
    var input = box.querySelector('input[type="text"]');
    var hidden = box.querySelector('[data-organisation-value]');
    // With a list of matches to choose from, the plain choice stays as it is.
    if (!input || !hidden) return;
    box.setAttribute('data-enhanced', 'true');
    var url = box.getAttribute('data-search-url');
    var id = input.id;
    var name = input.name;
    var value = input.value;
    var describedBy = input.getAttribute('aria-describedby');
    var hasError = input.classList.contains('nhsuk-input--error');
    var holder = document.createElement('div');
    holder.className = 'cg-organisation-picker__autocomplete';
    input.parentNode.insertBefore(holder, input);
    input.parentNode.removeChild(input);
    var find = box.querySelector('[data-organisation-find]');
    if (find) find.parentNode.removeChild(find);
    box.classList.add('cg-organisation-picker--enhanced');
    Array.prototype.forEach.call(box.querySelectorAll('.cg-no-script-only'), function (e) { e.parentNode.removeChild(e); });
    var pending = null;
    window.accessibleAutocomplete({
      element: holder,
      id: id,
      name: name,
      defaultValue: value,
      minLength: 2,
      autoselect: false,
      confirmOnBlur: false,
      showNoOptionsFound: true,
      displayMenu: 'overlay',
      inputClasses: 'nhsuk-input' + (hasError ? ' nhsuk-input--error' : ''),
      source: function (query, populate) {
        if (pending) pending.abort();
        pending = new AbortController();
        fetch(url + '?q=' + encodeURIComponent(query), { credentials: 'same-origin', headers: { accept: 'application/json' }, signal: pending.signal })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(populate)
          .catch(function (error) { if (error.name !== 'AbortError') populate([]); });
      },
      templates: {
        inputValue: function (o) { return o ? o.name : ''; },
        suggestion: function (o) { return o ? (typeof o === 'string' ? o : o.name) : ''; },
      },
      onConfirm: function (o) { if (o && o.id) hidden.value = o.id; },
      tNoResults: function () { return 'No organisation’s name contains that'; },
    });
    var field = document.getElementById(id);
    if (!field) return;
    if (describedBy) field.setAttribute('aria-describedby', ((field.getAttribute('aria-describedby') || '') + ' ' + describedBy).trim());
    // Typing again after choosing: the choice no longer holds until another is made.
    field.addEventListener('input', function () { hidden.value = ''; });
  });
})();
