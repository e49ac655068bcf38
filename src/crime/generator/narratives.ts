// MO-style narratives built from templates. Police MO text refers to people by role ("IP", "SUSP", "OFFENDER"), so
// the templates need no pronouns. Slots: {rel} relationship, {sname} suspect's first name as the victim knows it,
// {place} a street and town, {veh} a registration, {work} the victim's workplace, {plat} a platform, {n} a number,
// {item} stolen property, {shop} a shop, {day} a day of the week, {time} a time of day, {month} a month.

import type { Random } from '../../platform/random.ts'

export type Family =
  | 'shoplifting'
  | 'theftOther'
  | 'theftFromVehicle'
  | 'vehicleTaken'
  | 'bicycle'
  | 'theftPerson'
  | 'burglary'
  | 'burglaryBusiness'
  | 'assault'
  | 'assaultInjury'
  | 'domesticAssault'
  | 'threats'
  | 'publicOrder'
  | 'damage'
  | 'damageVehicle'
  | 'arson'
  | 'neighbour'
  | 'maliciousComms'
  | 'coercive'
  | 'robbery'
  | 'sexual'
  | 'drugs'
  | 'weapons'
  | 'breach'
  | 'hacking'
  | 'driving'
  | 'misc'

const CORE: Record<Family, readonly string[]> = {
  shoplifting: [
    'OFFENDER has entered {shop} and selected {item} from the shelves before concealing them in a bag and leaving without making any attempt to pay.',
    'Unknown male entered {shop}, filled a basket with {item} and walked out past the tills. Staff challenged the male who ran off towards {place}.',
    'Suspect was seen on store CCTV loitering by the tills before taking {item} and leaving {shop}. The offender was followed out of the store by security staff but lost sight of near the bus station.',
  ],
  theftOther: [
    'IP left {item} unattended at {place} for a short period and on return found it had been taken by an unknown person.',
    "Between {time} and the following morning unknown offender(s) have entered the rear garden of IP's address at {place} and removed {item}.",
    'IP reports that {item} was taken from a communal area at {place}. No witnesses and no suspect identified.',
  ],
  theftFromVehicle: [
    "Unknown offender(s) have gained entry to IP's vehicle {veh} parked on {place} by smashing the rear passenger window and have removed {item}.",
    "Overnight IP's vehicle {veh} was entered, believed left insecure, and {item} taken from the glovebox. Suspects were seen loitering around parked vehicles on the street earlier in the evening.",
  ],
  vehicleTaken: [
    "IP's vehicle {veh} was parked outside the home address on {place} and has been taken overnight. Keys remain with IP. Vehicle circulated on PNC as stolen.",
    "Unknown offender(s) have removed IP's vehicle {veh} from a car park at {place} between {time} and the evening. No keys were taken.",
  ],
  bicycle: [
    'IP secured a pedal cycle with a cable lock to railings at {place}. On return the lock had been cut and the cycle taken.',
    "Unknown offender has entered the insecure shed at IP's address on {place} and removed a mountain bike.",
  ],
  theftPerson: [
    "IP was on a busy bus travelling through {place} when unknown offender removed a mobile phone from IP's coat pocket without IP noticing.",
    "While IP was at a cash machine on {place} an unknown male distracted IP and took the purse from IP's open handbag.",
  ],
  burglary: [
    "Unknown offender(s) have forced the rear door of IP's home address on {place} while the house was empty and conducted an untidy search, removing {item}.",
    "Offender(s) entered IP's address on {place} through an insecure ground floor window during the night while the family slept and removed car keys and a handbag from the hallway.",
    'IP returned home to {place} to find the front door had been forced. Jewellery and cash were taken from the bedroom. IP believes the property had been watched as the family had been away for the weekend.',
  ],
  burglaryBusiness: [
    'Unknown offender(s) have forced the shutters of a unit at {place} overnight and removed power tools and cash from the till.',
    'Offenders gained entry to the community centre on {place} via the roof and stole laptops from the office.',
  ],
  assault: [
    'IP was in a queue outside a takeaway on {place} when a verbal argument broke out with SUSP, who pushed IP in the chest. No injuries sustained.',
    'During an argument in the car park at {place} SUSP has slapped IP across the face. IP did not require medical treatment.',
    'SUSP, a customer, became aggressive when refused service and grabbed IP, a member of staff, by the arm. Incident captured on CCTV.',
  ],
  assaultInjury: [
    'IP was on a night out on {place} when involved in an altercation with SUSP who punched IP to the face causing a cut to the lip and swelling to the eye.',
    'Following a dispute over money SUSP has struck IP with a fist several times causing bruising to the cheek and a bloodied nose. IP attended the emergency department.',
  ],
  domesticAssault: [
    'IP and SUSP, partners of {n} years, argued at the home address on {place}. SUSP pushed IP into a door frame causing a bruise to the shoulder. Children present in the address.',
    "Police called by a neighbour hearing shouting. IP states that SUSP, IP's partner, grabbed IP by the throat during an argument about money. Redness visible to the neck.",
  ],
  threats: [
    'During a telephone call SUSP has told IP "I will kill you and burn your house down". IP believes the threat will be carried out.',
    'SUSP has approached IP in the street at {place} and told IP that IP is a dead man walking and that SUSP knows where IP lives.',
  ],
  publicOrder: [
    'SUSP has become abusive towards staff at {shop}, shouting and swearing and threatening to smash the place up, causing staff to fear violence.',
    'Two groups have been shouting and threatening each other outside licensed premises on {place}. IP, a passer-by, was sworn at and threatened by SUSP.',
  ],
  damage: [
    "Unknown offender(s) have thrown a stone through the front window of IP's address on {place} overnight, smashing the glass.",
    "Offender has sprayed graffiti across the front wall and door of IP's property on {place}. Cost of removal estimated at several hundred pounds.",
    'Unknown offenders have damaged the bus shelter on {place} by smashing two glass panels.',
  ],
  damageVehicle: [
    "IP's vehicle {veh} was parked on {place} overnight and in the morning IP found a long scratch down the driver's side and the wing mirror snapped off.",
    "Unknown offender has let down all four tyres of IP's vehicle {veh} parked on the street outside the home address.",
  ],
  arson: [
    "Unknown offender(s) have set fire to a wheelie bin placed against the side of IP's garage on {place}. The fire service attended and extinguished it.",
    'A vehicle {veh} parked on {place} has been deliberately set alight overnight. Fire investigation report awaited.',
  ],
  neighbour: [
    'Ongoing dispute between IP and SUSP, the neighbour at number {n} {place}, about parking and the boundary hedge. SUSP has again shouted abuse at IP over the fence and called IP names in front of other neighbours.',
    'IP reports further problems with the neighbour SUSP over loud music late at night. When IP knocked to complain SUSP swore at IP and threatened to sort IP out.',
    "Neighbour dispute at {place}. SUSP has thrown garden waste over the fence into IP's garden and shouted abuse when IP objected. Both parties have made counter allegations in the past.",
  ],
  maliciousComms: [
    'IP has received a series of abusive messages on {plat} from SUSP following a falling out between friends. The messages call IP names and make crude remarks.',
    'SUSP has posted comments on {plat} claiming IP is a thief and a liar. IP has screenshots of the posts.',
    'IP received a single grossly offensive message from an account on {plat} after a dispute about an online sale.',
  ],
  coercive: [
    "IP discloses that throughout the relationship SUSP has controlled the finances, taken IP's bank card, restricted who IP can see and checks IP's phone every evening. IP feels isolated and frightened.",
    "IP reports SUSP, IP's partner of {n} years, dictates what IP wears, prevents IP seeing family and makes IP account for every minute spent out of the house.",
  ],
  robbery: [
    "IP was walking along {place} when approached by two males, one of whom demanded IP's phone and threatened IP with a knife. IP handed over the phone and the males ran off.",
    'SUSP has pushed IP to the ground on {place} and snatched a handbag before running off. IP sustained grazes to the hands.',
  ],
  sexual: [
    'IP reports that while on a crowded train SUSP stood behind IP and touched IP inappropriately over the clothing. IP moved away and reported to staff.',
    'IP reports being sexually assaulted by SUSP, an acquaintance, after a party at an address on {place}. Specially trained officer deployed.',
  ],
  drugs: [
    'SUSP was stopped and searched on {place} under s23 Misuse of Drugs Act after a strong smell of cannabis. A small bag of herbal cannabis was found.',
    'Officers executed a warrant at an address on {place} and found wraps of a white powder believed to be cocaine, scales and cash.',
  ],
  weapons: [
    'SUSP was stopped on {place} following a report of a male with a knife. On search a lock knife was found in the waistband.',
    'Officers attended a disturbance on {place}; SUSP was found in possession of a baseball bat and stated it was for protection.',
  ],
  breach: [
    'SUSP is subject to a court order prohibiting contact with IP. SUSP sent IP a single text message asking about collecting belongings, in breach of the order.',
    'SUSP is subject to an order not to attend {place}. SUSP was seen at the address by officers on patrol in breach of the order.',
  ],
  hacking: [
    "IP reports that an unknown person has accessed IP's email account and changed the password. IP has been locked out and believes a data breach is responsible.",
    "IP's social media account on {plat} has been taken over by an unknown person who is posting adverts for cryptocurrency.",
  ],
  driving: [
    'SUSP was seen driving vehicle {veh} at excessive speed along {place}, overtaking on a blind bend and forcing oncoming vehicles to brake heavily.',
  ],
  misc: [
    'SUSP has been found in possession of tools including screwdrivers and a torch near parked cars on {place} at {time}, with no reasonable explanation.',
    'Report of an offence not otherwise classified at {place}. Details recorded and passed to the relevant department.',
  ],
}

const DETAIL: Record<string, readonly string[]> = {
  general: [
    'IP has been spoken to and a first account obtained.',
    'Area searched with negative result.',
    'The location is covered by a council CCTV camera.',
    'Neighbours report hearing a disturbance at around {time}.',
    'IP was visibly shaken when officers attended.',
    'IP has provided a description of the offender: white male, approx 30 years, slim build, wearing a dark hooded top.',
    'The incident occurred on {day} at around {time}.',
  ],
}

const CLOSING: readonly string[] = [
  'CCTV enquiries to be conducted.',
  'IP has provided a statement.',
  'House-to-house enquiries completed with negative result.',
  'Crime scene investigator attended and examined the scene.',
  'IP given crime reference number and victim support details.',
  'IP did not wish to provide a statement at this time.',
  'No forensic opportunities identified.',
  'Enquiries ongoing.',
  'Victim needs assessment completed.',
  'Officer to update IP within 7 days.',
  'Passed to the investigation team for further enquiries.',
]

/** Stalking behaviours (FOLDING: fixated, obsessive, unwanted, repeated), each with sentences describing it. */
export const STALKING_BEHAVIOURS: Record<string, readonly string[]> = {
  following: [
    'IP states that SUSP has followed IP on foot from the bus stop to the home address on at least three occasions in the last fortnight.',
    "IP has seen SUSP driving behind IP's car on the way to work and again on the way home.",
  ],
  repeatedContact: [
    'Since the relationship ended SUSP has called IP up to {n}0 times a day from different numbers and sends messages begging IP to meet.',
    'IP has blocked SUSP on every platform but SUSP keeps making contact through new numbers, letters left on the doorstep and messages passed through friends.',
  ],
  loitering: [
    "Neighbours have seen SUSP sitting in a car {veh} parked opposite IP's address for hours at a time, mostly late at night.",
    'IP has repeatedly seen SUSP standing at the end of the road watching the house.',
  ],
  monitoring: [
    'SUSP appears to know where IP has been and who IP has met, and has commented on what IP was wearing that day.',
    'SUSP messaged IP describing what IP had done that afternoon, which IP had told nobody about.',
  ],
  tracking: [
    "IP found a tracking device taped under the rear bumper of the car after SUSP turned up at a friend's house IP had not mentioned.",
    "IP's phone was found to have a location sharing app installed that IP did not install; SUSP had access to the phone before the relationship ended.",
  ],
  fakeAccounts: [
    'IP has received friend requests and messages from several new accounts on {plat} which IP believes are SUSP using fake profiles after being blocked.',
    "A fake profile in IP's name has been set up on {plat} and SUSP has been messaging IP's friends from it.",
  ],
  carDamage: [
    "IP's car has been damaged several times in recent weeks, with tyres let down and scratches to the doors, always after IP has refused contact with SUSP.",
  ],
  work: [
    "SUSP has turned up at {work} several times asking colleagues when IP finishes, and waited in the car park at the end of IP's shift.",
    'SUSP has phoned {work} repeatedly asking to speak to IP and has been asked to leave the premises by security.',
  ],
}

/** The immediate offence of a stalking incident, by the classification it is recorded under. */
export const COURSE_CORE: Record<string, readonly string[]> = {
  '8Q': [
    "IP reports a course of conduct by IP's {rel} SUSP ({sname}) since the relationship ended in {month}. IP is in fear and has changed routines as a result.",
    'IP describes an escalating pattern of unwanted behaviour by {rel} {sname} since IP ended contact in {month}.',
  ],
  '8L': [
    'IP reports receiving further unwanted messages and calls from {rel} {sname} despite asking SUSP to stop on several occasions.',
    'IP reports being harassed by {rel} SUSP, who continues to contact IP after being told the relationship is over.',
  ],
  '8R': [
    'IP has received a number of abusive and threatening messages from {rel} {sname} via {plat}, calling IP names and saying IP will regret leaving.',
    'SUSP, IP\'s {rel}, has sent IP a message via {plat} stating "you will never be rid of me". IP found the message distressing.',
  ],
  '58C': [
    "Overnight IP's vehicle {veh} was damaged while parked outside the home address: tyres slashed and paintwork scratched. IP believes {rel} {sname} is responsible.",
  ],
  '58A': [
    'IP woke to find the front door of the home address on {place} had been kicked and the letterbox forced. IP suspects {rel} {sname}.',
  ],
  '105A': [
    "SUSP, IP's {rel}, approached IP in the street near {place}, grabbed IP by the arm and tried to pull IP towards a car before IP broke free.",
  ],
  '8N': [
    "SUSP, IP's {rel}, confronted IP outside the home address and pushed IP to the ground causing grazes to the hands and knees.",
  ],
  '9A': [
    "SUSP, IP's {rel}, stood outside IP's address on {place} shouting and banging on the windows late at night, causing IP to fear violence.",
  ],
  '3B': [
    'SUSP, IP\'s {rel}, left a voicemail for IP saying "if I can\'t have you nobody will, I will kill you". IP is terrified.',
  ],
  '28E': [
    "IP returned home to find items in the bedroom had been moved and a photograph taken. No forced entry; IP's {rel} {sname} still has a spare key.",
  ],
  NFIB52A: [
    "IP has discovered that IP's email and {plat} accounts have been accessed and messages read. IP believes {rel} {sname} knew the passwords.",
  ],
  '8L-BRO': [
    "SUSP, IP's {rel}, is subject to a restraining order not to contact IP. SUSP has contacted IP by phone and attended IP's road in breach of the order.",
  ],
  '8L-NMO': [
    "IP holds a non-molestation order against {rel} {sname}. SUSP has sent IP messages and waited outside IP's address in breach of the order.",
  ],
  '8L-SPO': [
    "SUSP is subject to a stalking protection order prohibiting contact with IP or attending IP's address. SUSP has been seen at {place} in breach of the order.",
  ],
}

const COURSE_CONTEXT: readonly string[] = [
  'IP and SUSP were in a relationship for {n} years which ended in {month}.',
  'This is the latest of several reports by IP about SUSP.',
  'IP has previously reported similar matters.',
  'SUSP has been given a previous warning about contacting IP.',
]

export const INTEL_COURSE: readonly string[] = [
  'Intelligence received that SUSP has been seen sitting in vehicle {veh} outside the home address of IP on several evenings this month.',
  'Source reports that SUSP has been asking mutual friends where IP is now living and what hours IP works.',
  'Information received that SUSP has bought a GPS tracker online and has talked about "keeping an eye" on IP.',
]

export const INTEL_GENERAL: readonly string[] = [
  'Intelligence suggests that SUSP is supplying class B drugs from an address on {place}, with frequent short visits in the evenings.',
  'Information received that SUSP is storing stolen tools in a lock-up garage off {place}.',
  'Intelligence indicates that SUSP is associating with a known shoplifting group operating across town centre stores.',
  'Community information that vehicle {veh} is being used by SUSP to deal drugs near the park on {place}.',
]

const INTEL_CLOSING: readonly string[] = [
  'Graded 1B/C. Handling code P.',
  'Graded 2C. Disseminated to the neighbourhood team.',
  'Graded 3B. For information only.',
  'Linked to the crime(s) referenced on this report.',
]

const TOWNS = [
  'Ashbury',
  'Kingsmere',
  'Hollowford',
  'Brackenfield',
  'Westmoor',
  'Oakhurst',
  'Millbrook',
  'Fernley',
  'Stonebridge',
  'Harwell Vale',
]
const STREETS = [
  'Station',
  'Church',
  'Victoria',
  'Park',
  'Mill',
  'Queens',
  'Manor',
  'Grange',
  'Beech',
  'Elm',
  'Chapel',
  'Windsor',
  'Albert',
  'Orchard',
  'Meadow',
  'Hawthorn',
  'Brook',
  'Highfield',
  'Springfield',
  'Kingsway',
]
const ROADS = ['Road', 'Street', 'Close', 'Avenue', 'Lane', 'Drive', 'Way', 'Crescent']
const SHOPS = [
  'the Co-op on the high street',
  'a large supermarket at the retail park',
  'a convenience store',
  'a chemist',
  'a DIY store',
  'a clothing store in the shopping centre',
  'a petrol station kiosk',
]
const ITEMS = [
  'meat and cheese',
  'bottles of spirits',
  'razor blades',
  'a power tool',
  'a mobile phone',
  'a laptop',
  'a wallet and bank cards',
  'cosmetics',
  'clothing',
  'a bicycle',
  'cash',
  'a handbag',
  'a parcel',
]
const WORK = [
  'the supermarket where IP works',
  "IP's workplace at a dental surgery",
  'the school where IP works',
  "IP's office in the town centre",
  'the care home where IP works',
  'the hospital where IP works',
]
const PLATFORMS = ['Instagram', 'Facebook', 'Snapchat', 'WhatsApp', 'TikTok', 'X']
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
const TIMES = ['0200 hrs', '0730 hrs', '1015 hrs', '1300 hrs', '1545 hrs', '1820 hrs', '2100 hrs', '2330 hrs']
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

export interface Slots {
  rel: string
  sname: string
  veh: string
}

export function place(random: Random): string {
  return `${random.pick(STREETS)} ${random.pick(ROADS)}, ${random.pick(TOWNS)}`
}

const SLOT = /\{(\w+)\}/g

function fill(random: Random, template: string, slots: Slots): string {
  return template.replace(SLOT, (_, key: string) => {
    switch (key) {
      case 'rel':
        return slots.rel
      case 'sname':
        return slots.sname
      case 'veh':
        return slots.veh
      case 'place':
        return place(random)
      case 'work':
        return random.pick(WORK)
      case 'plat':
        return random.pick(PLATFORMS)
      case 'n':
        return String(random.between(2, 9))
      case 'item':
        return random.pick(ITEMS)
      case 'shop':
        return random.pick(SHOPS)
      case 'day':
        return random.pick(DAYS)
      case 'time':
        return random.pick(TIMES)
      case 'month':
        return random.pick(MONTHS)
      default:
        return key
    }
  })
}

const MIN = 300
const MAX = 600

/** Joins the required sentences, then optional ones, then closings, to land between 300 and 600 characters. */
function assemble(random: Random, required: string[], optional: string[], closing: readonly string[]): string {
  let text = required.join(' ')
  const target = random.between(MIN + 20, MAX - 60)
  for (const sentence of optional) {
    if (text.length >= target) break
    if (text.length + sentence.length + 1 <= MAX) text += ' ' + sentence
  }
  let guard = 0
  while (text.length < MIN && guard++ < 20) {
    const sentence = random.pick(closing)
    if (text.includes(sentence)) continue
    if (text.length + sentence.length + 1 > MAX) break
    text += ' ' + sentence
  }
  while (text.length < MIN) text += ' Enquiries ongoing.'
  if (text.length > MAX) text = text.slice(0, text.lastIndexOf('.', MAX - 1) + 1) || text.slice(0, MAX)
  return random.chance(0.15) ? text.toUpperCase() : text
}

function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(i + 1)
    const swap = out[i]
    out[i] = out[j]
    out[j] = swap
  }
  return out
}

export function ordinaryNarrative(random: Random, family: Family, slots: Slots): string {
  const core = fill(random, random.pick(CORE[family]), slots)
  const optional = shuffled(random, DETAIL.general)
    .slice(0, 3)
    .map((s) => fill(random, s, slots))
  return assemble(random, [core], optional, CLOSING)
}

export const BEHAVIOUR_KINDS = Object.keys(STALKING_BEHAVIOURS)

/** A stalking-course incident recorded under `code`; with behaviours when `behaviours` is non-empty. */
export function courseNarrative(
  random: Random,
  code: string,
  behaviours: string[],
  slots: Slots,
  first: boolean,
): string {
  const core = fill(random, random.pick(COURSE_CORE[code] ?? COURSE_CORE['8L']), slots)
  const required = [core, ...behaviours.map((kind) => fill(random, random.pick(STALKING_BEHAVIOURS[kind]), slots))]
  const context = first ? COURSE_CONTEXT.slice(0, 1) : shuffled(random, COURSE_CONTEXT).slice(0, 2)
  const optional = context.map((s) => fill(random, s, slots))
  optional.push('DASH risk assessment completed.', 'Safeguarding referral submitted.')
  return assemble(random, required, optional, CLOSING)
}

export function intelligenceNarrative(random: Random, course: boolean, slots: Slots): string {
  const core = fill(random, random.pick(course ? INTEL_COURSE : INTEL_GENERAL), slots)
  const extra = course
    ? [
        fill(random, random.pick(STALKING_BEHAVIOURS.loitering), slots),
        fill(random, random.pick(STALKING_BEHAVIOURS.monitoring), slots),
      ]
    : [fill(random, random.pick(INTEL_GENERAL), slots)]
  return assemble(random, [core], extra, INTEL_CLOSING)
}
