// A live character counter under every admin text field that has a limit (maxlength), so editors see how much
// room is left before the browser stops their typing. Fields added later (StreamField blocks) get theirs on
// their first keystroke.
(() => {
  const SELECTOR = 'input[maxlength]:not([type="hidden"]), textarea[maxlength]';

  const counterFor = (field) => {
    const id = `${field.id || field.name}-character-count`;
    let counter = document.getElementById(id);
    if (!counter) {
      counter = document.createElement('p');
      counter.id = id;
      counter.className = 'help character-count';
      counter.dataset.characterCount = '';
      field.insertAdjacentElement('afterend', counter);
      const described = field.getAttribute('aria-describedby');
      field.setAttribute('aria-describedby', described ? `${described} ${id}` : id);
    }
    return counter;
  };

  const update = (field) => {
    const limit = Number(field.getAttribute('maxlength'));
    if (!limit || limit < 1) return;
    const counter = counterFor(field);
    counter.textContent = `${field.value.length}/${limit}`;
    counter.classList.toggle('character-count--full', field.value.length >= limit);
  };

  document.addEventListener('input', (event) => {
    if (event.target.matches && event.target.matches(SELECTOR)) update(event.target);
  });
  const init = () => document.querySelectorAll(SELECTOR).forEach(update);
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
