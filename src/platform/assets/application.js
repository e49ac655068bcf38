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

// A form posted after the session ended comes back on its page once the user has signed in again
// (docs/page-patterns.md): its answers go back into the page's own form, to check and send again. Without
// JavaScript, or when the form is no longer on the page, the banner's own button sends them as typed.
const keptData = document.getElementById('kept-form-data')
if (keptData) {
  try {
    const kept = JSON.parse(keptData.textContent || '{}')
    const target = new window.URL(kept.action, window.location.href)
    const form = [...document.querySelectorAll('form:not([data-kept-form-fallback])')].find((candidate) => {
      const action = new window.URL(candidate.getAttribute('action') || window.location.href, window.location.href)
      return action.pathname === target.pathname && action.search === target.search
    })
    if (form) {
      for (const el of form.elements) {
        if (!el.name || el.name === '_csrf' || el.type === 'file' || !(el.name in kept.fields)) continue
        const value = kept.fields[el.name]
        if (el.type === 'checkbox' || el.type === 'radio') {
          el.checked = Array.isArray(value) ? value.includes(el.value) : value === el.value
        } else if (el.type !== 'hidden' && el.type !== 'submit') {
          el.value = Array.isArray(value) ? value[0] : value
        }
      }
      // Conditional reveals follow their radios and checkboxes.
      for (const el of form.querySelectorAll('input[type="radio"], input[type="checkbox"]')) {
        el.dispatchEvent(new window.Event('input', { bubbles: true }))
      }
      document.querySelector('[data-kept-form-restored]')?.removeAttribute('hidden')
      document.querySelector('[data-kept-form-fallback]')?.setAttribute('hidden', '')
      const first = form.querySelector('input:not([type="hidden"]), select, textarea')
      form.scrollIntoView()
      first?.focus({ preventScroll: true })
    }
  } catch {
    // The banner's own button still sends the answers.
  }
}

// What a post rendered is shown once at the page it redirected to (Post/Redirect/Get); if the browser brings that
// page back from its back-forward cache, ask for the page afresh instead of showing an old error or result.
window.addEventListener('pageshow', (event) => {
  if (event.persisted && document.querySelector('meta[name="tl-once"]')) window.location.reload()
})
