import nunjucks from 'nunjucks'
import { describe, expect, it } from 'vitest'
import { configureNunjucks, trimKeepingSafeness } from '../../src/platform/web/nunjucks.ts'

// Nunjucks' own filter, kept by a fresh environment that has not replaced it.
const nunjucksTrim = new nunjucks.Environment().getFilter('trim') as (value: unknown) => unknown

const samples = [
  '',
  'plain',
  '   leading and trailing   ',
  '\n\t  <div>\n      <p>inside</p>\n    </div>\n  ',
  'inner   \n\n   runs   stay',
  '\u00a0non-breaking\u00a0',
  '\u2028line separators\u2029',
  '\ufeffbyte order mark\ufeff',
  ' \u3000ideographic\u3000 ',
]

describe('the trim filter', () => {
  it('trims exactly as Nunjucks’ own filter does', () => {
    for (const sample of samples) expect(trimKeepingSafeness(sample)).toBe(nunjucksTrim(sample))
  })

  it('keeps markup marked safe as safe, and plain text as text', () => {
    const safe = trimKeepingSafeness(new nunjucks.runtime.SafeString('  <b>bold</b>\n'))
    expect(safe).toBeInstanceOf(nunjucks.runtime.SafeString)
    expect(String(safe)).toBe('<b>bold</b>')
    expect(trimKeepingSafeness('  <b>bold</b>  ')).toBe('<b>bold</b>')
  })

  it('is the filter the templates use, and escapes unsafe text after trimming', () => {
    const env = configureNunjucks(null)
    expect(env.renderString('[{{ value | trim }}]', { value: '  <i>x</i>  ' })).toBe('[&lt;i&gt;x&lt;/i&gt;]')
    expect(env.renderString('[{{ value | safe | trim }}]', { value: '  <i>x</i>  ' })).toBe('[<i>x</i>]')
  })

  it('gives the same answer on markup like a long select’s: deep indentation between thousands of options', () => {
    const markup = Array.from({ length: 2000 }, (_, index) => `${' '.repeat(200)}<option>${index}</option>\n`).join('')
    expect(trimKeepingSafeness(` ${markup} `)).toBe(nunjucksTrim(` ${markup} `))
  })
})
