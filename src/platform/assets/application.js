import { initAll } from '/assets/govuk/govuk-frontend.min.js'

initAll()

// Drafts are never lost: a form marked data-draft keeps what was typed in sessionStorage (this tab only, gone when the
// tab closes) and offers it back after a reload or a lost connection. Cleared when the form is submitted.
for (const form of document.querySelectorAll('form[data-draft]')) {
  const key = `threadline-draft:${form.getAttribute('data-draft') || form.action}`
  const fields = () =>
    [...form.elements].filter((el) => el.name && el.name !== '_csrf' && el.type !== 'file' && el.type !== 'hidden')
  try {
    const saved = JSON.parse(sessionStorage.getItem(key) || 'null')
    if (saved) {
      let restored = false
      for (const el of fields()) {
        if (!(el.name in saved)) continue
        if (el.type === 'checkbox' || el.type === 'radio') {
          if (!form.querySelector(`[name="${CSS.escape(el.name)}"]:checked`)) {
            el.checked =
              saved[el.name] === el.value || (Array.isArray(saved[el.name]) && saved[el.name].includes(el.value))
            restored ||= el.checked
          }
        } else if (!el.value) {
          el.value = saved[el.name]
          restored ||= Boolean(saved[el.name])
        }
      }
      if (restored) {
        const note = document.createElement('p')
        note.className = 'govuk-inset-text'
        note.setAttribute('role', 'status')
        note.textContent = 'We restored what you had typed before. Check it, then continue.'
        form.prepend(note)
      }
    }
  } catch {
    sessionStorage.removeItem(key)
  }
  form.addEventListener('input', () => {
    const values = {}
    for (const el of fields()) {
      if (el.type === 'checkbox' || el.type === 'radio') {
        if (el.checked) values[el.name] = el.type === 'checkbox' ? [...(values[el.name] || []), el.value] : el.value
      } else {
        values[el.name] = el.value
      }
    }
    sessionStorage.setItem(key, JSON.stringify(values))
  })
  form.addEventListener('submit', () => sessionStorage.removeItem(key))
}

for (const form of document.querySelectorAll('form[action="/sign-out"]')) {
  form.addEventListener('submit', () => sessionStorage.clear())
}
