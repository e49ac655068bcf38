// Compiles the stylesheet (GOV.UK Frontend and MoJ Frontend from their own Sass, with Threadline's font) and copies
// the packages' scripts and images into dist/assets. Skips work when the output is newer than every input.
import { cpSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync, copyFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'dist', 'assets')
const sources = join(root, 'src', 'platform', 'assets')
const govuk = join(root, 'node_modules', 'govuk-frontend', 'dist')
const moj = join(root, 'node_modules', '@ministryofjustice', 'frontend')

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)
  }
  return newest
}

const cssPath = join(out, 'application.css')
const upToDate =
  existsSync(cssPath) &&
  statSync(cssPath).mtimeMs > Math.max(newestMtime(sources), statSync(join(govuk, 'govuk')).mtimeMs)

if (upToDate) {
  console.log('Assets are up to date')
} else {
  mkdirSync(out, { recursive: true })
  const result = sass.compile(join(sources, 'application.scss'), {
    loadPaths: [govuk, moj, root, join(root, 'node_modules')],
    style: 'compressed',
    quietDeps: true,
    logger: sass.Logger.silent,
    silenceDeprecations: ['import', 'global-builtin', 'color-functions', 'slash-div', 'if-function'],
  })
  writeFileSync(cssPath, result.css)
  copyFileSync(join(sources, 'application.js'), join(out, 'application.js'))
  mkdirSync(join(out, 'govuk'), { recursive: true })
  copyFileSync(join(govuk, 'govuk', 'govuk-frontend.min.js'), join(out, 'govuk', 'govuk-frontend.min.js'))
  cpSync(join(govuk, 'govuk', 'assets', 'images'), join(out, 'govuk', 'images'), { recursive: true })
  mkdirSync(join(out, 'moj'), { recursive: true })
  copyFileSync(join(moj, 'moj', 'moj-frontend.min.js'), join(out, 'moj', 'moj-frontend.min.js'))
  cpSync(join(moj, 'moj', 'assets', 'images'), join(out, 'moj', 'images'), { recursive: true })
  console.log(`Built assets in ${out}`)
}
