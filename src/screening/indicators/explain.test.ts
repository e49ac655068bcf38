import { describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  currentModel,
  describeCarriedBy,
  explainNarrative,
  explainNarrativeUnfiltered,
  judge,
  loadModel,
  RULES,
  suggestsStalkingFrom,
} from './index.ts'
import { leadingLiterals } from './prefilter.ts'
import { loadNarratives } from '../eval/evaluate.ts'

const ids = (text: string): string[] => {
  const { indicators, counterIndicators } = explainNarrative(text)
  return [...new Set([...indicators, ...counterIndicators].map((h) => h.id))]
}

/** Each rule: sentences that must fire it, and negated / reported / hypothetical sentences that must not. */
const CASES: Record<string, { positive: string[]; negative: string[] }> = {
  following: {
    positive: [
      'IP states SUSP followed her home from Kingsway bus station at approx 2250hrs.',
      'VIC reports she was followed by the male along Canal Street on three nights.',
      'SUSP has been following IP in his white Transit van.',
    ],
    negative: [
      'SUSP denies following her and states he lives nearby.',
      'There is no evidence that he followed IP from the station.',
      'IP was not followed and has no concerns.',
      'The following day IP attended the front counter.',
    ],
  },
  contact: {
    positive: [
      'SUSP has sent IP over 30 WhatsApp messages since Friday.',
      "SUSP turned up at IP's address at 0200hrs banging on the door.",
      "SUSP left a letter and flowers on VIC's car windscreen.",
      'SUSP has tried to contact IP through her sister.',
    ],
    negative: [
      'SUSP did not contact IP after the order was served.',
      'IP states SUSP has not messaged her since June.',
      'IP advised to call 999 if SUSP turns up at her address.',
      'SUSP called IP a liar during the argument.',
    ],
  },
  publishing: {
    positive: [
      "SUSP posted IP's home address and photos on a Facebook group.",
      "SUSP set up an Instagram account in IP's name and posted messages pretending to be her.",
    ],
    negative: ['There is no evidence that SUSP posted anything about IP online.'],
  },
  monitoring: {
    positive: [
      "SUSP has been reading IP's emails and quoting them back to her.",
      'IP believes SUSP is monitoring her social media activity.',
    ],
    negative: ['SUSP states he has never checked her phone.'],
  },
  loitering: {
    positive: [
      "SUSP was seen sitting in his car opposite IP's flat for two hours.",
      'Neighbours report SUSP hanging around outside the house most nights.',
      'SUSP keeps driving past her house on his way to nowhere.',
    ],
    negative: ["SUSP has not been seen outside IP's address since the warning."],
  },
  property_interference: {
    positive: [
      "IP's car tyres were slashed overnight on Ashby Road.",
      "SUSP let down the tyres on VIC's car and scratched the bonnet.",
    ],
    negative: ['SUSP denies damaging her car.'],
  },
  watching: {
    positive: [
      'SUSP stood at the end of the garden staring at her through the kitchen window.',
      "SUSP was seen looking through IP's front window at 0300hrs.",
      'SUSP has taken photos of IP on her way to work.',
    ],
    negative: ['IP states she was not watched and the male did not look at her.', 'SUSP told IP to watch herself.'],
  },
  fixated: {
    positive: [
      "SUSP won't accept the relationship is over.",
      'SUSP is obsessed with IP and says they are meant to be together.',
      'SUSP keeps begging her to take him back.',
    ],
    negative: ['IP states SUSP is not obsessed with her, it was a one-off.'],
  },
  unwanted: {
    positive: [
      'IP has told him to stop contacting her.',
      'IP has blocked his number on three occasions.',
      'SUSP continued despite being warned by police.',
    ],
    negative: ['IP did not ask him to stop and has not blocked him.'],
  },
  repeated: {
    positive: [
      "SUSP repeatedly rang IP's workplace.",
      'SUSP has sent 47 texts in the last week.',
      'SUSP continues to message IP every day.',
      "IP states he hasn't stopped calling her.",
    ],
    negative: ['There have been no previous incidents.', 'IP states it has not happened again.'],
  },
  fear_violence: {
    positive: ['IP is terrified he will hurt her.', 'VIC fears for her safety.', 'IP no longer feels safe at home.'],
    negative: ['IP states she does not feel afraid.', 'IP is not scared of SUSP.'],
  },
  alarm_distress: {
    positive: ['IP was very distressed when spoken to.', 'VIC is anxious and cannot sleep.'],
    negative: ['IP was not upset by the message.'],
  },
  adverse_effect: {
    positive: [
      'IP has changed her route to work.',
      'IP has moved house as a result.',
      'VIC has stopped going out in the evenings.',
      'IP has changed her phone number twice.',
      'IP has installed CCTV at the front of the house.',
      'IP has been signed off work.',
    ],
    negative: ['IP has been advised to change her route to work.', 'IP has not changed her phone number.'],
  },
  fake_accounts: {
    positive: [
      'SUSP has messaged IP from fake accounts.',
      'SUSP uses several different Snapchat accounts to reach her.',
    ],
    negative: ['There is no evidence that SUSP used fake accounts.'],
  },
  tracking_device: {
    positive: ['IP found an AirTag in her coat pocket.', 'A GPS tracker was fitted under her car.'],
    negative: ['The car was examined and no tracking device was found.'],
  },
  spyware: {
    positive: ["A phone examination found stalkerware on VIC's phone.", "SUSP installed spyware on IP's laptop."],
    negative: ['The phone was checked and no spyware was found.'],
  },
  account_access: {
    positive: ["SUSP accessed IP's Facebook account and read her messages.", 'SUSP knew her passwords.'],
    negative: ['SUSP denies logging into her Instagram account.'],
  },
  location_sharing: {
    positive: [
      'IP discovered her location had been shared with SUSP via Find My.',
      'SUSP made her share her location.',
    ],
    negative: ['IP has never shared her location with SUSP.'],
  },
  threats: {
    positive: [
      'SUSP threatened to burn the house down with IP inside.',
      'SUSP told her he would kill her new partner.',
    ],
    negative: ['SUSP did not threaten IP at any point.', 'IP advised to call 999 if SUSP threatens her.'],
  },
  image_abuse: {
    positive: [
      'SUSP has threatened to share intimate images of IP with her family.',
      'SUSP posted a sexual video of VIC on a website.',
    ],
    negative: ['SUSP sent IP an explicit photo of himself.', 'SUSP denies having intimate images of IP.'],
  },
  purpose_money: {
    positive: [
      'IP owes SUSP £250 for a sofa and he has called her demanding the money.',
      'The former landlord has written to IP twice about rent arrears and the unpaid bills.',
      'SUSP rings about the sale of the marital home and the division of savings.',
    ],
    negative: [
      'SUSP has called IP every night since the relationship ended.',
      'There is no debt between them.',
      // The suspect's own account of a reason is not evidence of one.
      'SUSP states IP owes him money.',
    ],
  },
  purpose_children: {
    positive: [
      'SUSP messages IP several times a week about the children and school pick-ups.',
      'The parties share custody and the handover was late again.',
      'His mother has written asking to see her granddaughter.',
    ],
    negative: ['SUSP waited outside the school gates for IP every morning.', 'SUSP followed IP home from the park.'],
  },
  purpose_role: {
    positive: [
      'The male who called at the address was a process server with court papers.',
      'IP receives daily calls from a debt collection agency.',
      "IP's manager emails her about her performance, within working hours.",
      'The man in the car was a private investigator acting for an insurer.',
    ],
    negative: ['SUSP, a former colleague, waits outside her office every evening.', 'IP met SUSP at the gym.'],
  },
  neighbour_dispute: {
    positive: [
      'Ongoing neighbour dispute over a boundary hedge.',
      'IP complains of loud music from the flat above; the neighbours make counter-allegations.',
      'SUSP keeps parking across her drive.',
    ],
    negative: ['SUSP, who lives next door, watches her through the window every night.'],
  },
  single_incident: {
    positive: [
      'SUSP sent one abusive message after the match. No previous contact between the parties.',
      'A one-off comment at the staff party; no further incidents.',
      'Hundreds of strangers commented on the video.',
    ],
    negative: ['This is not a one-off: SUSP has called every day for a month.', 'SUSP has contacted IP 40 times.'],
  },
}

describe('explainNarrative rules', () => {
  it('has positive and negative cases for every rule', () => {
    for (const rule of RULES) {
      expect(CASES[rule.id], rule.id).toBeDefined()
      expect(CASES[rule.id].positive.length, rule.id).toBeGreaterThan(0)
      expect(CASES[rule.id].negative.length, rule.id).toBeGreaterThan(0)
    }
  })

  for (const [id, { positive, negative }] of Object.entries(CASES)) {
    describe(id, () => {
      it.each(positive)('fires on: %s', (text) => expect(ids(text)).toContain(id))
      it.each(negative)('does not fire on: %s', (text) => expect(ids(text)).not.toContain(id))
    })
  }
})

describe('hits', () => {
  it('gives offsets into the original text, in text order', () => {
    const text = 'VIC states: “SUSP followed her home”. He has sent her 40 messages! She is TERRIFIED.'
    const { indicators } = explainNarrative(text)
    expect(indicators.map((h) => h.id)).toEqual(['following', 'contact', 'repeated', 'fear_violence'])
    for (const h of indicators) expect(text.slice(h.start, h.end)).toBe(h.match)
    expect(indicators[3].match).toBe('TERRIFIED')
  })

  it('keeps offsets true when lower-casing changes the length of the text', () => {
    const text = 'İstanbul trip. SUSP followed her home.'
    expect(text.toLowerCase().length).not.toBe(text.length)
    const hit = explainNarrative(text).indicators.find((h) => h.id === 'following')
    expect(hit && text.slice(hit.start, hit.end)).toBe('followed her')
  })

  it('scopes negation to the clause: a denial does not cancel the victim account after "but"', () => {
    const text = 'SUSP denies following IP but IP states he followed her to work on three occasions.'
    const hits = explainNarrative(text).indicators.filter((h) => h.id === 'following')
    expect(hits.map((h) => h.match)).toEqual(['followed her'])
  })

  it('treats the suspect account as not evidence and an admission as evidence', () => {
    expect(ids('Suspect states he was never at the address and only went to her house once.')).toEqual([])
    expect(ids('In interview SUSP admitted sending IP numerous letters.')).toEqual(
      expect.arrayContaining(['contact', 'repeated']),
    )
  })

  it('returns nothing for an empty or irrelevant narrative', () => {
    expect(explainNarrative('')).toMatchObject({ suggestsStalking: false, indicators: [], carriedBy: [] })
    expect(explainNarrative('Theft of pedal cycle from outside Lidl, Park Road.').indicators).toEqual([])
  })
})

describe('the scoring model', () => {
  const model = currentModel()
  it('scores the bias plus the weight of each feature present, and names the features that carried it', () => {
    const found = new Set(['following', 'contact', 'repeated'])
    const judgement = judge(found, model)
    const present = ['following', 'contact', 'repeated', 'two_acts', 'contact_repeated', 'act_with_four']
    expect(judgement.carriedBy.map((c) => c.feature).sort()).toEqual([...present].sort())
    const expected = present.reduce((sum, id) => sum + model.weights[id], model.bias)
    expect(judgement.score).toBeCloseTo(expected, 2)
    expect(judgement.suggestsStalking).toBe(judgement.score >= model.threshold)
    expect(judgement.carriedBy.map((c) => c.weight)).toEqual(
      [...judgement.carriedBy.map((c) => c.weight)].sort((a, b) => b - a),
    )
  })
  it('never suggests stalking with no indicator, whatever the weights', () => {
    expect(judge(new Set(), { ...model, threshold: -100 }).suggestsStalking).toBe(false)
  })
  it('moves the decision with the threshold (the threshold is data)', () => {
    const found = new Set(['contact', 'unwanted'])
    const { score } = judge(found, model)
    expect(judge(found, { ...model, threshold: score }).suggestsStalking).toBe(true)
    expect(judge(found, { ...model, threshold: score + 0.01 }).suggestsStalking).toBe(false)
  })
  it('refuses a model file with a weight missing or unknown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'model-'))
    const file = join(dir, 'model.json')
    const { two_acts: _dropped, ...weights } = model.weights
    writeFileSync(file, JSON.stringify({ ...model, weights }))
    expect(() => loadModel(file)).toThrow(/no weight for features: two_acts/)
    writeFileSync(file, JSON.stringify({ ...model, weights: { ...model.weights, bogus: 1 } }))
    expect(() => loadModel(file)).toThrow(/unknown features: bogus/)
  })
  it('finds stalking recorded as criminal damage, and not a neighbour dispute under the same classification', () => {
    const stalking = explainNarrative(
      "Criminal damage to IP's car. IP states her ex-partner has followed her to work on several occasions since March and keeps sending her unwanted messages despite being told to stop.",
    )
    expect(stalking.suggestsStalking).toBe(true)
    expect(stalking.carriedBy.map((c) => c.feature)).toEqual(expect.arrayContaining(['following', 'contact']))
    expect(
      explainNarrative(
        'Neighbour dispute over a boundary fence. SUSP damaged the fence panel during an argument about parking. Words of advice to both parties.',
      ).suggestsStalking,
    ).toBe(false)
  })
})

describe('counter-indicators (context)', () => {
  it('weighs a stated reason for repeated contact against stalking, and names it when explaining', () => {
    const model = currentModel()
    const withReason = judge(new Set(['contact', 'repeated', 'purpose_money']), model)
    const without = judge(new Set(['contact', 'repeated']), model)
    expect(model.weights.purpose_money).toBeLessThan(0)
    expect(model.weights.reason_contact_only).toBeLessThan(0)
    expect(withReason.score).toBeLessThan(without.score)
    expect(withReason.carriedBy.map((c) => c.feature)).toEqual(
      expect.arrayContaining(['purpose_money', 'reason_contact_only']),
    )
  })

  it('names the counter-indicators a decision that suggests stalking was weighed against', () => {
    const model = currentModel()
    const judgement = judge(new Set(['following', 'loitering', 'contact', 'repeated', 'purpose_children']), model)
    expect(judgement.suggestsStalking).toBe(true)
    expect(describeCarriedBy(judgement)).toMatch(
      /^two or more different acts \(\+\d\.\d\d\), .*; weighed against: contact about children \(-\d\.\d\d\)$/,
    )
    expect(describeCarriedBy(judge(new Set(['following', 'loitering', 'repeated']), model))).not.toMatch(/against/)
  })

  it('does not count a reason as a reason when the contact comes with other acts or fixation', () => {
    const model = currentModel()
    const found = new Set(['contact', 'repeated', 'purpose_children', 'following'])
    expect(judge(found, model).carriedBy.map((c) => c.feature)).not.toContain('reason_contact_only')
  })

  it('tells debt collection from a course of conduct with the same words for contact', () => {
    const debt = explainNarrative(
      'IP reports several calls a day from a debt collection agency about an old catalogue debt. IP has asked them to write instead. No threats.',
    )
    expect(debt.suggestsStalking).toBe(false)
    // Reported apart from the behaviour indicators, with the words that carry them.
    expect(debt.counterIndicators.map((h) => [h.id, h.match])).toEqual(
      expect.arrayContaining([
        ['purpose_role', 'debt collection'],
        ['purpose_money', 'debt'],
      ]),
    )
    expect(debt.indicators.map((h) => h.id)).not.toContain('purpose_money')
    const stalking = explainNarrative(
      'Since the relationship ended SUSP calls IP several times a day, waits outside her work and has followed her home twice. IP is frightened and has changed her route.',
    )
    expect(stalking.suggestsStalking).toBe(true)
  })
})

describe('the previous hand-set rule (kept for comparison)', () => {
  const s = (...found: string[]): boolean => suggestsStalkingFrom(new Set(found))
  it('needs at least one act', () => {
    expect(s('repeated', 'fixated', 'fear_violence', 'adverse_effect')).toBe(false)
  })
  it('accepts two distinct acts', () => {
    expect(s('following', 'contact')).toBe(true)
    expect(s('tracking_device', 'contact')).toBe(true)
  })
  it('accepts a non-contact act with a FOUR signal or adverse effect, not with distress alone', () => {
    expect(s('watching', 'repeated')).toBe(true)
    expect(s('loitering', 'adverse_effect')).toBe(true)
    expect(s('following', 'alarm_distress', 'fear_violence')).toBe(false)
  })
  it('treats contact strictly: fixation, adverse effect, or repetition with fear', () => {
    expect(s('contact', 'repeated', 'unwanted')).toBe(false)
    expect(s('contact', 'repeated', 'alarm_distress')).toBe(false)
    expect(s('contact', 'fixated')).toBe(true)
    expect(s('contact', 'adverse_effect')).toBe(true)
    expect(s('contact', 'repeated', 'fear_violence')).toBe(true)
  })
  it('flags a realistic narrative and not a one-off', () => {
    expect(
      explainNarrative(
        'IP ended the relationship in May. SUSP has turned up at her work every day since and waits outside her flat. IP has changed her route home.',
      ).suggestsStalking,
    ).toBe(true)
    expect(
      explainNarrative('SUSP sent IP one abusive text after a row over parking. IP upset. No previous incidents.')
        .suggestsStalking,
    ).toBe(false)
  })
})

describe('rule data', () => {
  it('writes patterns in lower case (matching runs on lower-cased text)', () => {
    for (const rule of RULES)
      for (const p of rule.patterns)
        expect(p.replace(/\\.|\{V\}|\{POSS\}/g, ''), `${rule.id}: ${p}`).toBe(
          p.replace(/\\.|\{V\}|\{POSS\}/g, '').toLowerCase(),
        )
  })
  it('gives every rule a unique id, a label and a description', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length)
    for (const r of RULES) expect(r.label.length * r.description.length).toBeGreaterThan(0)
  })
  it('works out leading literals of patterns', () => {
    expect(leadingLiterals('follow(?:s|ed)? {V}')).toEqual(['follow'])
    expect(leadingLiterals('(?:scared|afraid) to')).toEqual(['scared', 'afraid'])
    expect(leadingLiterals('smart ?tags?')).toEqual(['smart'])
    expect(leadingLiterals('\\d{2,} messages')).toEqual(['\\d'])
    expect(leadingLiterals('(?:a )?new account')).toBeNull()
    expect(leadingLiterals('tags?')).toEqual(['tag'])
  })
  it('prefilter never changes a result', () => {
    for (const n of loadNarratives()) expect(explainNarrative(n.text), n.id).toEqual(explainNarrativeUnfiltered(n.text))
    for (const c of Object.values(CASES))
      for (const text of [...c.positive, ...c.negative])
        expect(explainNarrative(text)).toEqual(explainNarrativeUnfiltered(text))
  })
})
