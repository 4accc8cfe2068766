import type { Random } from './random.ts';

/*
 * The fictional borough of Wyndale: neighbourhoods, postcodes (area letters WY, which no real
 * postcode uses), streets and venues. Coordinates sit around 53.70 N, 1.90 W within about 10 km.
 */

const WYNDALE_CENTRE = { latitude: 53.7, longitude: -1.9 };

export type Neighbourhood = {
  name: string;
  districts: string[];
  /** Centre, in km east and north of the borough centre. */
  east: number;
  north: number;
  /** Deprivation deciles its small areas fall in (1 = most deprived). */
  imd: [number, number];
  /** Smaller places inside it, used in group and venue names. */
  localities: string[];
};

export const neighbourhoods: Neighbourhood[] = [
  { name: 'Wyndale Central', districts: ['WY1', 'WY2'], east: 0, north: 0, imd: [2, 6], localities: ['Wyndale', 'Kirkgate', 'Northgate', 'Market Square', 'Cloth Hall', 'Station Fields'] },
  { name: 'Eastmoor', districts: ['WY3'], east: 3.6, north: 0.6, imd: [1, 3], localities: ['Eastmoor', 'Moorside', 'Whinfield', 'Eastmoor Park', 'Scarcroft Lane'] },
  { name: 'Brackenside', districts: ['WY4', 'WY5'], east: -2.8, north: 3.1, imd: [6, 9], localities: ['Brackenside', 'Fernbank', 'High Bracken', 'Longlands', 'Beckfoot'] },
  { name: 'Millbrook', districts: ['WY6'], east: -0.8, north: -3.4, imd: [4, 7], localities: ['Millbrook', 'Weirside', 'Tannery Yard', 'Mill Green', 'Brook End'] },
  { name: 'Hollins Cross', districts: ['WY7', 'WY8'], east: 3.0, north: -3.0, imd: [1, 4], localities: ['Hollins Cross', 'Hollins Top', 'Crossfield', 'Greystones', 'Delph End'] },
  { name: 'Ashby Vale', districts: ['WY9'], east: -4.2, north: -1.0, imd: [7, 10], localities: ['Ashby Vale', 'Ashby Green', 'Nether Ashby', 'Upper Ashby', 'Vale Bottom'] },
];

export type DemoPostcode = { postcode: string; latitude: number; longitude: number; lsoa: string; imdDecile: number; neighbourhood: string };

const KM_PER_DEGREE_LAT = 111.2;
const KM_PER_DEGREE_LONG = 111.32 * Math.cos((WYNDALE_CENTRE.latitude * Math.PI) / 180);
const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

function toCoordinates(east: number, north: number): { latitude: number; longitude: number } {
  return { latitude: round6(WYNDALE_CENTRE.latitude + north / KM_PER_DEGREE_LAT), longitude: round6(WYNDALE_CENTRE.longitude + east / KM_PER_DEGREE_LONG) };
}

// Letters used in real inward codes (never C, I, K, M, O or V).
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const POSTCODES_PER_LSOA = 30;
const MAX_SECTORS = 10;

/**
 * About `count` synthetic postcodes, each in a small area (LSOA-like code, E0199xxxx, outside the
 * real range) with a deprivation decile. `spread` stretches the map for larger test directories.
 */
export function generatePostcodes(random: Random, count: number, spread = 1): DemoPostcode[] {
  const districts = neighbourhoods.flatMap((n) => n.districts.map((d, i) => ({ neighbourhood: n, district: d, index: i })));
  const perDistrict = Math.ceil(count / districts.length);
  const sectors = Math.min(MAX_SECTORS, Math.max(3, Math.ceil(perDistrict / 40)));
  const perSector = Math.min(INWARD_LETTERS.length ** 2, Math.ceil(perDistrict / sectors));
  const postcodes: DemoPostcode[] = [];
  let lsoaNumber = 0;
  for (const { neighbourhood, district, index } of districts) {
    // A neighbourhood with two districts has them side by side.
    const districtEast = neighbourhood.east + (neighbourhood.districts.length > 1 ? (index === 0 ? -0.9 : 0.9) : 0);
    for (let s = 0; s < sectors; s++) {
      const sectorDigit = (s + 1) % 10;
      const sectorEast = (districtEast + random.between(-1.1, 1.1)) * spread;
      const sectorNorth = (neighbourhood.north + random.between(-1.1, 1.1)) * spread;
      const units = random.sample(
        [...INWARD_LETTERS].flatMap((a) => [...INWARD_LETTERS].map((b) => a + b)),
        perSector,
      ).sort();
      let lsoa = '';
      let decile = 0;
      units.forEach((unit, u) => {
        if (u % POSTCODES_PER_LSOA === 0) {
          lsoaNumber += 1;
          lsoa = `E0199${String(lsoaNumber).padStart(4, '0')}`;
          decile = random.int(neighbourhood.imd[0], neighbourhood.imd[1]);
        }
        const where = toCoordinates(sectorEast + random.between(-0.35, 0.35) * spread, sectorNorth + random.between(-0.35, 0.35) * spread);
        postcodes.push({ postcode: `${district} ${sectorDigit}${unit}`, ...where, lsoa, imdDecile: decile, neighbourhood: neighbourhood.name });
      });
    }
  }
  return postcodes;
}

const streetFirst = ['Moor', 'Mill', 'Church', 'Station', 'Bracken', 'Holly', 'Ash', 'Oak', 'Low', 'High', 'Kirk', 'Beck', 'Fern', 'Well', 'Crag', 'Tanner', 'Weaver', 'Dyer', 'Spring', 'Cliff', 'Heath', 'Clough', 'Hall', 'Chapel', 'Rose', 'Lark', 'Thorn', 'Willow', 'Cotton', 'Quarry'];
const streetSecond = ['Road', 'Lane', 'Street', 'Avenue', 'Close', 'Terrace', 'Grove', 'Way', 'Gardens', 'Fold', 'Croft', 'Bank', 'Rise', 'Drive', 'Row'];
/** A street-like place name ('Holly Bank'), for groups named after where they meet. */
export const streetName = (random: Random) => `${random.pick(streetFirst)} ${random.pick(['Bank', 'Fold', 'Croft', 'Green', 'Lane', 'Road', 'Terrace', 'Street'])}`;

const saints = ["St Aidan's", "St Hilda's", "St Chad's", "St Mary's", "St John's", "St Oswald's", "St Bede's", "St Cuthbert's", "St Peter's", "St Anne's", 'Holy Trinity', 'Christ Church'];

const venueKinds = ['community centre', 'library', 'church hall', 'chapel', 'mosque', 'gurdwara', 'park', 'leisure centre', 'health centre', 'school', 'cafe', 'allotments', 'sports club', 'scout hut', 'village hall', 'office'] as const;
export type VenueKind = (typeof venueKinds)[number];

export type Venue = {
  id: string;
  kind: VenueKind;
  name: string;
  address1: string;
  postcode: DemoPostcode;
  accessibility: string;
  neighbourhood: string;
};

const accessibilityNotes = [
  'Step-free entrance, accessible toilet and hearing loop.',
  'Step-free entrance and accessible toilet.',
  'Ground floor room; a small step at the door (ramp on request).',
  'Lift to the first floor; accessible toilet.',
  'Accessible parking at the front; hearing loop in the main hall.',
  'Upstairs room with no lift: please ask about other arrangements.',
];

function venueName(random: Random, kind: VenueKind, locality: string): string {
  switch (kind) {
    case 'community centre':
      return random.pick([`${locality} Community Centre`, `${locality} Community Hub`, `The ${locality} Centre`]);
    case 'library':
      return `${locality} Library`;
    case 'church hall':
      return `${random.pick(saints)} Church Hall, ${locality}`;
    case 'chapel':
      return `${locality} Methodist Chapel`;
    case 'mosque':
      return random.pick([`${locality} Jamia Masjid`, `${locality} Islamic Centre`]);
    case 'gurdwara':
      return `${locality} Gurdwara`;
    case 'park':
      return random.pick([`${locality} Park pavilion`, `${locality} Park gates`, `${locality} Recreation Ground`]);
    case 'leisure centre':
      return `${locality} Leisure Centre`;
    case 'health centre':
      return `${locality} Health Centre`;
    case 'school':
      return random.pick([`${locality} Primary School`, `${locality} Academy`]);
    case 'cafe':
      return random.pick([`The ${random.pick(['Kettle', 'Teapot', 'Corner', 'Green Door', 'Brew'])} Café, ${locality}`, `${locality} Community Café`]);
    case 'allotments':
      return `${locality} Allotments`;
    case 'sports club':
      return random.pick([`${locality} Cricket Club`, `${locality} Bowling Club`, `${locality} Rugby Club`]);
    case 'scout hut':
      return `${locality} Scout Hut`;
    case 'village hall':
      return `${locality} Village Hall`;
    case 'office':
      return random.pick([`${locality} House`, `${random.pick(streetFirst)} Court`, `${random.pick(streetFirst)} Mill business centre`]);
  }
}

const venueMix: [VenueKind, number][] = [
  ['community centre', 10],
  ['library', 3],
  ['church hall', 8],
  ['chapel', 3],
  ['mosque', 2],
  ['gurdwara', 1],
  ['park', 4],
  ['leisure centre', 1],
  ['health centre', 3],
  ['school', 3],
  ['cafe', 4],
  ['allotments', 2],
  ['sports club', 3],
  ['scout hut', 2],
  ['village hall', 2],
  ['office', 4],
];

/** About `count` named venues spread over the neighbourhoods, each at one of the postcodes. */
export function generateVenues(random: Random, postcodes: DemoPostcode[], count: number): Venue[] {
  const byNeighbourhood = new Map<string, DemoPostcode[]>();
  for (const p of postcodes) {
    if (!byNeighbourhood.has(p.neighbourhood)) byNeighbourhood.set(p.neighbourhood, []);
    byNeighbourhood.get(p.neighbourhood)!.push(p);
  }
  const venues: Venue[] = [];
  const perNeighbourhood = Math.ceil(count / neighbourhoods.length);
  for (const neighbourhood of neighbourhoods) {
    const names = new Set<string>();
    const places = byNeighbourhood.get(neighbourhood.name)!;
    // Every neighbourhood has at least one of each kind, so any activity finds a fitting venue.
    const kinds: VenueKind[] = [...venueKinds];
    while (kinds.length < perNeighbourhood) kinds.push(random.weighted(venueMix));
    for (const kind of kinds) {
      let name = '';
      for (let attempt = 0; attempt < 6 && (!name || names.has(name)); attempt++) name = venueName(random, kind, random.pick(neighbourhood.localities));
      if (names.has(name)) name = `${name} (${random.pick(streetFirst)} ${random.pick(streetSecond)})`;
      names.add(name);
      venues.push({
        id: random.uuid(),
        kind,
        name,
        address1: `${random.int(1, 180)} ${random.pick(streetFirst)} ${random.pick(streetSecond)}, ${neighbourhood.name}`,
        postcode: random.pick(places),
        accessibility: random.pick(accessibilityNotes),
        neighbourhood: neighbourhood.name,
      });
    }
  }
  return venues;
}
