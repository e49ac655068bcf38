// Invented people. Forenames and surnames are common UK names drawn independently, so every person is an invented
// combination, never a real individual's data. A person is a pure function of (dataset seed, person number): nothing
// is stored, so a million-record dataset needs no person table in memory. Each appearance of a person on a record
// then varies the way a records system does (nicknames, typos, missing date of birth, another phone).

import type { PartyInput, PartyRole, PersonIdentifier } from '../model.ts'
import { Random, hash32 } from '../../platform/random.ts'

/** Forename with its common short forms (the variants officers type). */
const MALE: readonly (readonly string[])[] = [
  ['David', 'Dave', 'Davey'],
  ['John', 'Johnny', 'Jon'],
  ['Michael', 'Mike', 'Mick'],
  ['James', 'Jim', 'Jimmy', 'Jamie'],
  ['Robert', 'Rob', 'Bob', 'Robbie'],
  ['Paul'],
  ['Andrew', 'Andy', 'Drew'],
  ['Mark'],
  ['Richard', 'Rich', 'Rick', 'Dick'],
  ['Stephen', 'Steve', 'Stevie'],
  ['Christopher', 'Chris', 'Kit'],
  ['Daniel', 'Dan', 'Danny'],
  ['Matthew', 'Matt'],
  ['Thomas', 'Tom', 'Tommy'],
  ['William', 'Will', 'Bill', 'Billy', 'Liam'],
  ['Anthony', 'Tony', 'Ant'],
  ['Joseph', 'Joe', 'Joey'],
  ['Benjamin', 'Ben'],
  ['Samuel', 'Sam', 'Sammy'],
  ['Alexander', 'Alex', 'Al', 'Sandy'],
  ['Jonathan', 'Jon', 'Jonny'],
  ['Nicholas', 'Nick', 'Nicky'],
  ['Peter', 'Pete'],
  ['Kevin', 'Kev'],
  ['Gary', 'Gaz'],
  ['Lee'],
  ['Craig'],
  ['Ryan'],
  ['Jack'],
  ['Harry', 'Haz'],
  ['Oliver', 'Ollie'],
  ['Charles', 'Charlie', 'Chas'],
  ['George'],
  ['Edward', 'Ed', 'Eddie', 'Ted'],
  ['Kieran'],
  ['Liam'],
  ['Connor'],
  ['Callum', 'Cal'],
  ['Jordan'],
  ['Nathan', 'Nate'],
  ['Lewis'],
  ['Aaron'],
  ['Adam'],
  ['Jason'],
  ['Darren', 'Daz'],
  ['Wayne'],
  ['Dean'],
  ['Shaun'],
  ['Mohammed', 'Mo'],
  ['Ahmed'],
  ['Imran'],
  ['Tariq'],
  ['Rajesh', 'Raj'],
  ['Sanjay'],
  ['Tomasz', 'Tomek'],
  ['Piotr'],
  ['Kwame'],
  ['Tyrone'],
  ['Declan'],
  ['Gareth', 'Gaz'],
  ['Rhys'],
  ['Owen'],
  ['Ian'],
  ['Neil'],
  ['Carl'],
  ['Terence', 'Terry'],
]
const FEMALE: readonly (readonly string[])[] = [
  ['Sarah'],
  ['Emma'],
  ['Laura'],
  ['Rebecca', 'Becky', 'Becca'],
  ['Jessica', 'Jess', 'Jessie'],
  ['Hannah'],
  ['Charlotte', 'Charlie', 'Lottie'],
  ['Amy'],
  ['Lauren'],
  ['Sophie'],
  ['Katherine', 'Kate', 'Katie', 'Kathy'],
  ['Elizabeth', 'Liz', 'Beth', 'Lizzie'],
  ['Victoria', 'Vicky', 'Tori'],
  ['Samantha', 'Sam', 'Sammy'],
  ['Jennifer', 'Jen', 'Jenny'],
  ['Nicola', 'Nicky', 'Nikki'],
  ['Rachel'],
  ['Claire'],
  ['Louise', 'Lou'],
  ['Michelle', 'Shell'],
  ['Kelly'],
  ['Gemma'],
  ['Zoe'],
  ['Chloe'],
  ['Megan', 'Meg'],
  ['Olivia', 'Liv'],
  ['Amelia', 'Millie'],
  ['Emily', 'Em'],
  ['Abigail', 'Abbie', 'Abby'],
  ['Natalie', 'Nat'],
  ['Stephanie', 'Steph'],
  ['Danielle', 'Dani'],
  ['Leanne'],
  ['Kirsty'],
  ['Joanne', 'Jo'],
  ['Susan', 'Sue'],
  ['Margaret', 'Maggie', 'Peggy'],
  ['Deborah', 'Debbie', 'Deb'],
  ['Helen'],
  ['Alison', 'Ali'],
  ['Catherine', 'Cathy', 'Cat'],
  ['Jacqueline', 'Jackie'],
  ['Patricia', 'Pat', 'Trish'],
  ['Fatima'],
  ['Aisha'],
  ['Priya'],
  ['Sunita'],
  ['Agnieszka', 'Aga'],
  ['Magdalena', 'Magda'],
  ['Chantelle'],
  ['Siobhan'],
  ['Bethan'],
  ['Ffion'],
  ['Rhiannon'],
  ['Grace'],
  ['Ellie'],
  ['Holly'],
  ['Jade'],
  ['Amber'],
  ['Paige'],
]
const SURNAMES: readonly string[] = [
  'Smith',
  'Jones',
  'Williams',
  'Taylor',
  'Brown',
  'Davies',
  'Evans',
  'Wilson',
  'Thomas',
  'Johnson',
  'Roberts',
  'Robinson',
  'Thompson',
  'Wright',
  'Walker',
  'White',
  'Edwards',
  'Hughes',
  'Green',
  'Hall',
  'Lewis',
  'Harris',
  'Clarke',
  'Patel',
  'Jackson',
  'Wood',
  'Turner',
  'Martin',
  'Cooper',
  'Hill',
  'Ward',
  'Morris',
  'Moore',
  'Clark',
  'Lee',
  'King',
  'Baker',
  'Harrison',
  'Morgan',
  'Allen',
  'James',
  'Scott',
  'Phillips',
  'Watson',
  'Davis',
  'Parker',
  'Price',
  'Bennett',
  'Young',
  'Griffiths',
  'Mitchell',
  'Kelly',
  'Cook',
  'Carter',
  'Richardson',
  'Bailey',
  'Collins',
  'Bell',
  'Shaw',
  'Murphy',
  'Miller',
  'Cox',
  'Richards',
  'Khan',
  'Marshall',
  'Anderson',
  'Simpson',
  'Ellis',
  'Adams',
  'Singh',
  'Begum',
  'Wilkinson',
  'Foster',
  'Chapman',
  'Powell',
  'Webb',
  'Rogers',
  'Gray',
  'Mason',
  'Ali',
  'Hunt',
  'Hussain',
  'Campbell',
  'Matthews',
  'Owen',
  'Palmer',
  'Holmes',
  'Mills',
  'Barnes',
  'Knight',
  'Lloyd',
  'Butler',
  'Russell',
  'Barker',
  'Fisher',
  'Stevens',
  'Jenkins',
  'Murray',
  'Dixon',
  'Harvey',
  'Graham',
  'Pearson',
  'Ahmed',
  'Fletcher',
  'Walsh',
  'Kaur',
  'Gibson',
  'Howard',
  'Andrews',
  'Stewart',
  'Elliott',
  'Reynolds',
  'Saunders',
  'Payne',
  'Fox',
  'Ford',
  'Pearce',
  'Day',
  'Brooks',
  'West',
  'Lawrence',
  'Cole',
  'Atkinson',
  'Bradley',
  'Spencer',
  'Gill',
  'Dawson',
  'Ball',
  'Burton',
  "O'Brien",
  'Watts',
  'Rose',
  'Booth',
  'Perry',
  'Ryan',
  'Grant',
  'Wells',
  'Armstrong',
  'Francis',
  'Rees',
  'Hayes',
  'Hart',
  'Hudson',
  'Newman',
  'Barrett',
  'Webster',
  'Hunter',
  'Gregory',
  'Carr',
  'Lowe',
  'Page',
  'Marsh',
  'Riley',
  'Dunn',
  'Woods',
  'Parsons',
  'Berry',
  'Stone',
  'Reid',
  'Holland',
  'Hawkins',
  'Harding',
  'Porter',
  'Robertson',
  'Newton',
  'Oliver',
  'Reed',
  'Kennedy',
  'Williamson',
  'Bird',
  'Gardner',
  'Shah',
  'Dean',
  'Lane',
  'Cooke',
  'Bates',
  'Henderson',
  'Parry',
  'Burgess',
  'Bishop',
  'Walton',
  'Burns',
  'Nicholson',
  'Shepherd',
  'Ross',
  'Cross',
  'Long',
  'Freeman',
  'Warren',
  'Nicholls',
  'Hamilton',
  'Byrne',
  'Sutton',
  'McDonald',
  'Yates',
  'Hodgson',
  'Robson',
  'Curtis',
  'Hopkins',
  "O'Connor",
  'Harper',
  'Coleman',
  'Watkins',
  'Moss',
  'McCarthy',
  'Chambers',
  'Nowak',
  'Kowalski',
  'Okafor',
  'Mensah',
  'Mahmood',
  'Choudhury',
  'Sharma',
  'Macdonald',
  'Thomson',
  'Fraser',
]
/** Spelling variants officers commonly produce for a surname. */
const SURNAME_VARIANTS: Record<string, string[]> = {
  Smith: ['Smyth', 'Smithe'],
  Thompson: ['Thomson', 'Tompson'],
  Clarke: ['Clark'],
  Clark: ['Clarke'],
  McDonald: ['MacDonald', 'Mcdonald'],
  Macdonald: ['McDonald'],
  Davies: ['Davis'],
  Davis: ['Davies'],
  Phillips: ['Philips'],
  Matthews: ['Mathews'],
  Hussain: ['Hussein', 'Husain'],
  Mohammed: ['Muhammad'],
  Choudhury: ['Chowdhury'],
  "O'Brien": ['OBrien', 'O Brien'],
  "O'Connor": ['OConnor', 'O Connor'],
  Reid: ['Reed'],
  Stevens: ['Stephens'],
  Nicholls: ['Nichols'],
  Gray: ['Grey'],
  Thomson: ['Thompson'],
  Ahmed: ['Ahmad'],
}
const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example.com', 'post.example.org']
const PLATFORMS = ['instagram', 'facebook', 'snapchat', 'tiktok', 'x']
const PLATE_LETTERS = 'ABCDEFGHJKLMNOPRSTUVWXYZ'

export interface Person {
  id: string
  female: boolean
  forenames: readonly string[]
  surname: string
  dateOfBirth: string
  phones: string[]
  email: string
  social: string
  vehicle: string | null
  pnc: string | null
  /** The records system's main person reference and a duplicate record's reference for the same person. */
  personRef: string
  duplicateRef: string
}

function plate(random: Random): string {
  const letter = () => PLATE_LETTERS[random.int(PLATE_LETTERS.length)]
  const age = String(random.pick([17, 18, 19, 20, 21, 22, 23, 24, 67, 68, 69, 70, 71, 72, 73]))
  return `${letter()}${letter()}${age} ${letter()}${letter()}${letter()}`
}

/**
 * A mobile-looking number that cannot reach anyone: it starts with Ofcom's drama prefix 07700 9 and has 15 digits,
 * more than any real UK number, so it can never be a real number; 10^9 values keep chance collisions rare.
 */
function mobile(random: Random): string {
  return `077009${random.digits(9)}`
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** Person number n of the dataset with this seed; the same inputs always give the same person. */
export function personFor(seed: number, n: number): Person {
  const random = new Random(hash32(seed ^ 0x5eed1e55, n))
  const female = random.chance(0.5)
  const forenames = random.pick(female ? FEMALE : MALE)
  const surname = random.pick(SURNAMES)
  const year = random.between(1950, 2008)
  const dateOfBirth = isoDate(year, random.between(1, 12), random.between(1, 28))
  const phones = [mobile(random)]
  if (random.chance(0.35)) phones.push(mobile(random))
  const first = forenames[0].toLowerCase()
  const last = surname.toLowerCase().replace(/[^a-z]/g, '')
  const email = `${random.chance(0.5) ? `${first}.${last}` : `${first[0]}${last}`}${random.chance(0.6) ? random.between(1, 99) : ''}@${random.pick(EMAIL_DOMAINS)}`
  const social = `${random.pick(PLATFORMS)}:@${first}${random.pick(['_', '.', ''])}${last}${random.between(1, 999)}`
  const vehicle = random.chance(0.55) ? plate(random) : null
  const pnc = random.chance(0.3)
    ? `${String(random.between(90, 124) % 100).padStart(2, '0')}/${random.digits(6)}${PLATE_LETTERS[random.int(24)]}`
    : null
  return {
    id: `PER-${String(n).padStart(7, '0')}`,
    female,
    forenames,
    surname,
    dateOfBirth,
    phones,
    email,
    social,
    vehicle,
    pnc,
    personRef: `P${String(n * 7 + 100003).padStart(8, '0')}`,
    duplicateRef: `P${String(n * 7 + 100006).padStart(8, '0')}`,
  }
}

/** A plausible slip of the keyboard: swap, drop or double a letter. */
export function typo(random: Random, value: string): string {
  if (value.length < 4) return value
  const at = random.between(1, value.length - 2)
  switch (random.int(3)) {
    case 0:
      return value.slice(0, at) + value[at + 1] + value[at] + value.slice(at + 2)
    case 1:
      return value.slice(0, at) + value.slice(at + 1)
    default:
      return value.slice(0, at) + value[at] + value.slice(at)
  }
}

function formatPhone(random: Random, phone: string): string {
  switch (random.int(4)) {
    case 0:
      return `${phone.slice(0, 5)} ${phone.slice(5)}`
    case 1:
      return `+44 ${phone.slice(1, 5)} ${phone.slice(5)}`
    default:
      return phone
  }
}

export interface AppearanceOptions {
  role: PartyRole
  /** Extra identifiers used on this occasion only (a new number, a fake account). */
  extra?: PersonIdentifier[]
  /** Probability scale for sloppiness; 1 is normal. */
  noise?: number
}

const KIND_ORDER = { phone: 0, email: 1, social: 2, vehicle: 3, pnc: 4, other: 5 } as const

/** How this person appears on one record: the variation linkage has to see through. */
export function appearance(random: Random, person: Person, options: AppearanceOptions): PartyInput {
  const noise = options.noise ?? 1
  let forename: string | null = person.forenames[0]
  if (person.forenames.length > 1 && random.chance(0.25 * noise)) forename = random.pick(person.forenames.slice(1))
  if (random.chance(0.03 * noise)) forename = null
  let surname = person.surname
  const variants = SURNAME_VARIANTS[surname]
  if (variants && random.chance(0.12 * noise)) surname = random.pick(variants)
  else if (random.chance(0.04 * noise)) surname = typo(random, surname)
  if (random.chance(0.08)) surname = surname.toUpperCase()
  const dateOfBirth = random.chance(0.18 * noise) ? null : person.dateOfBirth
  const identifiers: PersonIdentifier[] = []
  if (random.chance(0.75)) identifiers.push({ kind: 'phone', value: formatPhone(random, random.pick(person.phones)) })
  if (random.chance(0.35)) identifiers.push({ kind: 'email', value: person.email })
  if (random.chance(options.role === 'victim' ? 0.1 : 0.2)) identifiers.push({ kind: 'social', value: person.social })
  if (person.vehicle && random.chance(options.role === 'suspect' ? 0.35 : 0.1)) {
    identifiers.push({ kind: 'vehicle', value: random.chance(0.3) ? person.vehicle.replace(' ', '') : person.vehicle })
  }
  if (person.pnc && options.role === 'suspect' && random.chance(0.5))
    identifiers.push({ kind: 'pnc', value: person.pnc })
  if (options.extra) identifiers.push(...options.extra)
  identifiers.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind])
  const refRoll = random.next()
  const personRef = refRoll < 0.72 ? person.personRef : refRoll < 0.9 ? person.duplicateRef : null
  return { role: options.role, personRef, forename, surname, dateOfBirth, identifiers }
}

export function newMobile(random: Random): string {
  return mobile(random)
}

export function fakeHandle(random: Random): string {
  const words = [
    'watcher',
    'nightowl',
    'justsaying',
    'truth',
    'anon',
    'friend',
    'shadow',
    'wanderer',
    'observer',
    'silent',
  ]
  return `${random.pick(PLATFORMS)}:@${random.pick(words)}${random.pick(['_', '.', ''])}${random.between(10, 99999)}`
}
