import { readFileSync } from 'node:fs'
import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'
import { PlanImportError } from '../model.ts'
import { readPlanDocument } from './index.ts'

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../test/fixtures/plans/${name}`, import.meta.url))

async function refusal(content: Buffer, fileName = 'plan.upload'): Promise<PlanImportError> {
  try {
    await readPlanDocument(content, fileName)
  } catch (e) {
    expect(e).toBeInstanceOf(PlanImportError)
    return e as PlanImportError
  }
  throw new Error('expected a PlanImportError')
}

describe('documents that are refused, with what was found, what was expected and where', () => {
  it('a table with unrelated columns', async () => {
    const e = await refusal(fixture('broken-unrelated-columns.html'), 'contacts.html')
    expect(e.location).toBe('contacts.html, table 1, row 1')
    expect(e.message).toBe(
      'contacts.html, table 1, row 1: found a table with columns "Name, Age, Team" but expected a recommendation number column (e.g. "Rec No.", "Recommendation number") and an evidence requirement column (e.g. "Evidence requirements of progress/completion")',
    )
  })

  it('a CSV with no recommendation column', async () => {
    const e = await refusal(fixture('broken-no-recommendation-column.csv'), 'plan.csv')
    expect(e.location).toBe('plan.csv, line 1')
    expect(e.message).toContain('found a CSV table with columns "Evidence requirement, Owner, Force update, Status"')
    expect(e.message).toContain('but found no recommendation number column')
  })

  it('an HTML page with no tables', async () => {
    const e = await refusal(fixture('broken-no-tables.html'), 'page.html')
    expect(e.message).toBe(
      'page.html: found an HTML page with no table; expected the plan as a table with a recommendation number column and an evidence requirement column',
    )
  })

  it('a truncated zip', async () => {
    const e = await refusal(fixture('broken-truncated.xlsx'), 'plan.xlsx')
    expect(e.message).toMatch(/^plan\.xlsx: the zip archive \(DOCX, XLSX or ODS\) is damaged or truncated/)
  })

  it('a zip that is none of DOCX, XLSX, ODS', async () => {
    const zip = new JSZip()
    zip.file('photos/IMG_0001.jpg', 'not really a photo')
    const e = await refusal(await zip.generateAsync({ type: 'nodebuffer' }))
    expect(e.message).toContain('found a zip archive holding "photos/", "photos/IMG_0001.jpg" but expected a DOCX')
  })

  it('a PDF that is only its first bytes', async () => {
    const e = await refusal(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), 'plan.pdf')
    expect(e.message).toMatch(/^plan\.pdf: the PDF could not be opened, so it is damaged or truncated/)
  })

  it('an old binary Office file and an empty file', async () => {
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])
    expect((await refusal(ole)).message).toContain('old-style Office file')
    expect((await refusal(Buffer.alloc(0))).message).toContain('the file is empty')
  })

  it('a row with an update but no item number', async () => {
    const e = await refusal(fixture('broken-no-item-number.csv'), 'plan.csv')
    expect(e.location).toBe('plan.csv, line 2')
    expect(e.message).toContain('no evidence item number (expected a number such as "7.1"')
  })

  it('a number column holding words', async () => {
    const csv = 'Rec No.,Evidence requirement,Status\nSeven,Something,In progress\n'
    const e = await refusal(Buffer.from(csv), 'plan.csv')
    expect(e.location).toBe('plan.csv, line 2')
    expect(e.message).toContain('the "Rec No." column holds "Seven" but expected a recommendation number such as 7')
  })

  it('the same item twice with different requirements', async () => {
    const csv = 'Rec No.,Evidence requirement,Status\n12.3,First wording,In progress\n12.3,Different wording,Complete\n'
    const e = await refusal(Buffer.from(csv), 'plan.csv')
    expect(e.location).toBe('plan.csv, line 3')
    expect(e.message).toContain('evidence item 12.3 appears twice with different requirements (first at line 2)')
  })

  it('a row with more cells than the heading row has columns', async () => {
    const tsv = 'Rec No.\tEvidence requirement\tStatus\tDate\n7.1\tText\tIn progress\t20/11/2024\tstray\textra\n'
    const e = await refusal(Buffer.from(tsv), 'plan.txt')
    expect(e.location).toBe('plan.txt, line 2')
    expect(e.message).toContain("the row has 6 cells but the table's heading row (line 1) has 4 columns")
  })

  it('malformed CSV', async () => {
    const e = await refusal(Buffer.from('Rec No.,Evidence requirement\n7.1,"unclosed\n'), 'plan.csv')
    expect(e.message).toContain('could not be read as CSV')
  })
})

describe('documents that are read, with warnings', () => {
  it('an item whose number names no recommendation in the document', async () => {
    const plan = await readPlanDocument(fixture('broken-orphan-item.txt'), 'orphan.txt')
    expect(plan.recommendations.map((r) => [r.number, r.items.map((i) => i.ref)])).toEqual([
      [18, ['18.1']],
      [19, ['19.1']],
    ])
    const at3 = plan.warnings.filter((w) => w.location === 'line 3').map((w) => w.message)
    expect(at3).toEqual([
      'evidence item 19.1 names recommendation 19, which the document does not give; the item was kept under recommendation 19',
      "recommendation 19 is not one of the report's recommendations to forces in the catalogue",
    ])
  })

  it("an item number that contradicts its row's recommendation, and unknown items", async () => {
    const csv =
      'Rec No.,Item,Evidence requirement,Status\n11,12.1,Screening tool,In progress\n12,12.9,Invented item,Complete\n'
    const plan = await readPlanDocument(Buffer.from(csv), 'plan.csv')
    expect(plan.recommendations.map((r) => [r.number, r.items.map((i) => i.ref)])).toEqual([
      [11, []],
      [12, ['12.1', '12.9']],
    ])
    const messages = plan.warnings.map((w) => `${w.location}: ${w.message}`)
    expect(messages).toContain(
      'line 2: evidence item 12.1 is in the row of recommendation 11 but its number names recommendation 12; it was placed under recommendation 12',
    )
    expect(messages).toContain(
      'line 3: evidence item 12.9 is not in the catalogue (recommendation 12 has 12.1, 12.2, 12.3, 12.4)',
    )
  })

  it('headings matched by meaning and spelling slips; unknown columns are named, not silently dropped', async () => {
    const csv = [
      'Recomendation;Evidance requirements;Lead;Progress;Date of update;RAG;Notes',
      '7;;;;;;',
      '7.1;Processes should be put in place.;DI Wren Castellane;Working with supplier.;27/03/25;Amber;private note',
    ].join('\n')
    const plan = await readPlanDocument(Buffer.from(csv), 'plan.csv')
    const i = plan.recommendations[0].items[0]
    expect(i).toMatchObject({ ref: '7.1', owner: 'DI Wren Castellane', status: 'in_progress', statusLabel: 'Amber' })
    expect(i.updates[0]).toMatchObject({ date: '2025-03-27', text: 'Working with supplier.' })
    expect(plan.warnings[0]).toEqual({
      location: 'line 1',
      message: 'column "Notes" is not a column the importer knows; its contents were not read',
    })
  })

  it('uses the catalogue it is given', async () => {
    const csv =
      'Rec No.,Recommendation,Evidence requirement,Status\n7,"By 1 April 2025, do it.",,\n7.1,,Text,Complete\n'
    const catalogue = {
      source: {
        report: 'r',
        publishers: ['p'],
        published: '2024-09',
        superComplaint: 's',
        wording: 'w',
        corrections: [],
      },
      recommendations: [
        {
          number: 7,
          addressees: ['chief constables'],
          deadline: '2025-03-27',
          text: 'x',
          evidence: [{ ref: '7.1', requirement: 'Text' }],
        },
      ],
    }
    const plan = await readPlanDocument(Buffer.from(csv), 'plan.csv', { catalogue })
    expect(plan.warnings).toEqual([
      {
        location: 'line 2',
        message: "recommendation 7's deadline is 2025-04-01 in the document but 2025-03-27 in the report",
      },
    ])
  })

  it('decodes Windows-1252 text and UTF-8 with a BOM', async () => {
    const csv = 'Rec No.,Evidence requirement,Owner,Status\n7.1,Victims\u2019 needs,Supt Zo\u00eb Hartigan,Complete\n'
    const cp1252 = Buffer.from(csv.replace('\u2019', "'"), 'latin1')
    const plan = await readPlanDocument(cp1252, 'plan.csv')
    expect(plan.recommendations[0].items[0].owner).toBe('Supt Zoë Hartigan')
    const bom = await readPlanDocument(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]), 'plan.csv')
    expect(bom.recommendations[0].items[0].requirement).toBe('Victims\u2019 needs')
  })
})

describe('interchange JSON', () => {
  it('is recognised by content and read by the interchange reader', async () => {
    const doc = {
      formatVersion: 1,
      force: 'Wessex Vale Police',
      recommendations: [
        {
          number: 7,
          text: 'Recommendation seven',
          deadline: '2025-03',
          items: [{ ref: '7.1', requirement: 'Requirement', updates: [{ text: 'Started', date: '2024-11-20' }] }],
        },
      ],
    }
    const plan = await readPlanDocument(Buffer.from(JSON.stringify(doc)), 'plan.dat')
    expect(plan.force).toBe('Wessex Vale Police')
    expect(plan.recommendations[0].items[0].updates[0].date).toBe('2024-11-20')
  })

  it('JSON that is not the interchange shape is refused by name', async () => {
    const e = await refusal(Buffer.from('{"hello": "world"}'), 'other.json')
    expect(e.message.startsWith('other.json')).toBe(true)
  })
})

describe('damage that is read past', () => {
  it('drops NUL characters from every text (PostgreSQL cannot store them), wherever in the file they are', async () => {
    const seed = readFileSync('test/fixtures/plans/northamptonshire-seed.txt')
    const damaged = Buffer.from(seed)
    // Past the first 4,096 bytes, where a NUL would mark the file as binary: as the fuzz suite's zeroed bytes did.
    damaged.fill(0, 5852, 5888)
    const plan = await readPlanDocument(damaged, 'plan.txt')
    const texts = JSON.stringify(plan)
    expect(texts).not.toContain('\\u0000')
    expect(plan.recommendations.length).toBeGreaterThan(0)
  })
})
