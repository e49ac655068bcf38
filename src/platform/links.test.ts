import { describe, expect, it } from 'vitest'
import { isLocalPath, safeLink } from './links.ts'

describe('links from outside', () => {
  it('keeps a return address within Threadline and refuses one that a browser would take to another site', () => {
    for (const path of ['/', '/crimes/12?from=2024-01-01', '/plans/ds/items/7.1#updates'])
      expect(isLocalPath(path)).toBe(true)
    for (const path of [
      '//evil.example',
      '/\\evil.example/phish',
      '/\\/evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      'https://evil.example',
      'evil',
      '',
    ])
      expect(isLocalPath(path), path).toBe(false)
  })

  it('follows web, mail and local links from a plan document, and neutralises tricks', () => {
    for (const link of [
      'https://www.example.police.uk/plan.pdf',
      'http://example.org/a b',
      'mailto:lead@example.police.uk',
      '/public/plans',
      'docs/annex.pdf',
      '#item-7',
    ])
      expect(safeLink(link), link).toBe(link)
    for (const link of [
      '/\\evil.example/phish',
      '//evil.example/phish',
      '\\\\evil.example\\share',
      'javascript:alert(1)',
      ' JaVaScRiPt:alert(1)',
      'data:text/html,x',
      'vbscript:x',
      'https://good.example\\@evil.example',
      'https://a.example/\u0000',
      'ftp://example.org/x',
      '',
    ])
      expect(safeLink(link), link).toBeNull()
  })
})
