// The police forces of England and Wales, as data: the 43 territorial forces and British Transport Police. Each code
// is what forceCodeOf gives for the name, so a force created by any import ("Kent Police") is the same force here.
export type PoliceForceCountry = 'England' | 'Wales' | 'Great Britain'

export interface PoliceForce {
  name: string
  /** Threadline's URL code for the force (forceCodeOf(name)). */
  code: string
  country: PoliceForceCountry
  /** 'territorial': one of the 43 territorial forces; 'special': British Transport Police. */
  kind: 'territorial' | 'special'
  /** Other names a plan or import may use for the force. */
  aliases?: string[]
}

const england = (name: string, code: string, aliases?: string[]): PoliceForce => ({
  name,
  code,
  country: 'England',
  kind: 'territorial',
  ...(aliases ? { aliases } : {}),
})
const wales = (name: string, code: string): PoliceForce => ({ name, code, country: 'Wales', kind: 'territorial' })

export const POLICE_FORCES: readonly PoliceForce[] = [
  england('Avon and Somerset Constabulary', 'avon-and-somerset'),
  england('Bedfordshire Police', 'bedfordshire'),
  england('Cambridgeshire Constabulary', 'cambridgeshire'),
  england('Cheshire Constabulary', 'cheshire'),
  england('City of London Police', 'city-of-london'),
  england('Cleveland Police', 'cleveland'),
  england('Cumbria Constabulary', 'cumbria'),
  england('Derbyshire Constabulary', 'derbyshire'),
  england('Devon and Cornwall Police', 'devon-and-cornwall'),
  england('Dorset Police', 'dorset'),
  england('Durham Constabulary', 'durham'),
  england('Essex Police', 'essex'),
  england('Gloucestershire Constabulary', 'gloucestershire'),
  england('Greater Manchester Police', 'greater-manchester'),
  england('Hampshire and Isle of Wight Constabulary', 'hampshire-and-isle-of-wight', ['Hampshire Constabulary']),
  england('Hertfordshire Constabulary', 'hertfordshire'),
  england('Humberside Police', 'humberside'),
  england('Kent Police', 'kent'),
  england('Lancashire Constabulary', 'lancashire'),
  england('Leicestershire Police', 'leicestershire'),
  england('Lincolnshire Police', 'lincolnshire'),
  england('Merseyside Police', 'merseyside'),
  england('Metropolitan Police Service', 'metropolitan', ['Metropolitan Police']),
  england('Norfolk Constabulary', 'norfolk'),
  england('North Yorkshire Police', 'north-yorkshire'),
  england('Northamptonshire Police', 'northamptonshire'),
  england('Northumbria Police', 'northumbria'),
  england('Nottinghamshire Police', 'nottinghamshire'),
  england('South Yorkshire Police', 'south-yorkshire'),
  england('Staffordshire Police', 'staffordshire'),
  england('Suffolk Constabulary', 'suffolk'),
  england('Surrey Police', 'surrey'),
  england('Sussex Police', 'sussex'),
  england('Thames Valley Police', 'thames-valley'),
  england('Warwickshire Police', 'warwickshire'),
  england('West Mercia Police', 'west-mercia'),
  england('West Midlands Police', 'west-midlands'),
  england('West Yorkshire Police', 'west-yorkshire'),
  england('Wiltshire Police', 'wiltshire'),
  wales('Dyfed-Powys Police', 'dyfed-powys'),
  wales('Gwent Police', 'gwent'),
  wales('North Wales Police', 'north-wales'),
  wales('South Wales Police', 'south-wales'),
  { name: 'British Transport Police', code: 'british-transport', country: 'Great Britain', kind: 'special' },
]
