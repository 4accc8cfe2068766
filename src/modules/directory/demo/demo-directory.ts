import type { Database } from '../../../platform/db/database.ts';
import { ukDateOf } from '../../../platform/dates.ts';
import { saveOrganisationRecords, saveServiceRecords } from '../directory.repository.ts';
import type { LocationRecord, OrganisationRecord, ScheduleRecord, ServiceRecord } from '../directory.types.ts';
import { flagPossibleDuplicatesOfEach } from '../duplicates.ts';
import { needs } from '../needs-taxonomy.ts';
import { upsertPostcodes } from '../postcodes/postcodes.repository.ts';
import { activities, activityByKey, closureReasons, descriptionExtras, firstNames, type ActivityKind, type NeedCode, type Times } from './catalogue.ts';
import { analyzeDatabase } from './demo.repository.ts';
import { Random } from './random.ts';
import { generatePostcodes, generateVenues, neighbourhoods, streetName, type DemoPostcode, type Neighbourhood, type Venue, type VenueKind } from './wyndale.ts';

/*
 * The synthetic Wyndale directory: about 1,600 organisations and 4,000 services, generated from a
 * fixed seed so that every machine and every load gets the same names, ids and places. Only the
 * dates move: they are counted back from the load time, so the same listings are always stale.
 */

/** Organisations the demo users belong to. */
export type DemoAnchors = { partnership: string; council: string; pcn: string; gpPractice: string; charity: string };

export const DEMO_SEED = 20_260_401;
const DEMO_SERVICES = 4_000;

export type DemoDirectoryOptions = {
  /** How many services to make (the organisations, postcodes and venues grow with it). */
  services?: number;
  seed?: number;
  /** Dates are counted back from here. */
  now?: Date;
};

export type DemoDirectory = {
  postcodes: DemoPostcode[];
  /** Parents come before their children, so they can be saved in this order. */
  organisations: OrganisationRecord[];
  services: ServiceRecord[];
  anchors: DemoAnchors;
  /** Organisations deliberately listed twice, to be flagged for an admin to merge. */
  duplicates: OrganisationRecord[];
  /** One organisation of each kind that runs services, each to have someone who keeps its listings. */
  editorOrganisations: EditorOrganisation[];
};

export type EditorOrganisation = { id: string; name: string; kind: string };

const needIds = new Map(needs.map((n) => [n.code, n.id]));
const DAY = 86_400_000;
const STALE_SHARE = 0.1;
const dayNames: Record<string, string> = { MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday' };
const dayOrder = Object.keys(dayNames);

/** What a schedule's note may say: only what the structured times cannot. */
const scheduleNotes = ['Not on bank holidays.', 'Closed for two weeks over Christmas.', 'Term time only.', 'Please arrive a few minutes early for your first visit.', 'Closed in August.'];

/** The day a name promises ("Friday friendship lunch", "Tuesday Club"), as an iCalendar day code. */
export function dayInName(name: string): string | undefined {
  const match = /\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b/i.exec(name);
  return match ? Object.keys(dayNames).find((code) => dayNames[code].toLowerCase() === match[1].toLowerCase()) : undefined;
}

/** The part of the day a name promises: a coffee morning opens before noon. */
export function partOfDayInName(name: string): 'morning' | 'afternoon' | 'evening' | undefined {
  return (/\b(morning|afternoon|evening)s?\b/i.exec(name)?.[1].toLowerCase() as 'morning' | 'afternoon' | 'evening' | undefined) ?? undefined;
}

export const partsOfDay = { morning: ['06:00', '12:00'], afternoon: ['12:00', '17:00'], evening: ['17:00', '23:59'] } as const;
const usualHours = { morning: ['10:00', '12:00'], afternoon: ['13:30', '15:30'], evening: ['18:30', '20:30'] } as const;

/** Times that keep the promises a service's name makes about its day and part of the day. */
function timesFittingName(name: string, times: Times): Times {
  const day = dayInName(name);
  const part = partOfDayInName(name);
  let fitted: Times = times;
  if (day) fitted = times.freq === 'MONTHLY' ? { ...times, days: [day] } : { ...times, days: [day], perWeek: 1 };
  if (part && !(fitted.opens >= partsOfDay[part][0] && fitted.opens < partsOfDay[part][1])) fitted = { ...fitted, opens: usualHours[part][0], closes: usualHours[part][1] };
  return fitted;
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);

type Place = { neighbourhood: Neighbourhood; locality: string };

class DirectoryBuilder {
  readonly random: Random;
  readonly scale: number;
  readonly postcodes: DemoPostcode[];
  readonly venues: Venue[];
  private readonly venuesByPlace = new Map<string, Venue[]>();
  /** Venues fitting a list of kinds in a neighbourhood, kept (a large directory asks often). */
  private readonly fittingVenues = new Map<string, Venue[]>();
  readonly organisations: OrganisationRecord[] = [];
  readonly services: ServiceRecord[] = [];
  private readonly names = new Set<string>();
  private charityNumber = 0;
  private companyNumber = 0;
  private odsNumber = 0;

  constructor(
    seed: number,
    readonly target: number,
    readonly now: Date,
  ) {
    this.random = new Random(seed);
    this.scale = Math.max(1, target / DEMO_SERVICES);
    this.postcodes = generatePostcodes(this.random, Math.min(18_000, Math.round(1_500 * this.scale)), Math.sqrt(this.scale));
    this.venues = generateVenues(this.random, this.postcodes, Math.round(600 * this.scale));
    for (const v of this.venues) {
      for (const key of [v.neighbourhood, `${v.neighbourhood}|${v.kind}`]) {
        if (!this.venuesByPlace.has(key)) this.venuesByPlace.set(key, []);
        this.venuesByPlace.get(key)!.push(v);
      }
    }
  }

  // ---- small helpers -------------------------------------------------------------------------

  uuid = () => this.random.uuid();
  place = (neighbourhood = this.random.pick(neighbourhoods)): Place => ({ neighbourhood, locality: this.random.pick(neighbourhood.localities) });
  phone = () => (this.random.chance(0.85) ? `01632 960${String(this.random.int(0, 999)).padStart(3, '0')}` : `07700 900${String(this.random.int(0, 999)).padStart(3, '0')}`);
  date = (daysFromNow: number) => ukDateOf(new Date(this.now.getTime() + daysFromNow * DAY));

  /** About one listing in ten was last checked more than six months ago. */
  reviewedAt(): Date {
    const days = this.random.chance(STALE_SHARE) ? this.random.int(200, 900) : this.random.int(1, 165);
    return new Date(this.now.getTime() - days * DAY - this.random.int(0, 86_399) * 1000);
  }

  venue(neighbourhood: Neighbourhood, kinds: readonly VenueKind[]): Venue {
    const key = `${neighbourhood.name}|${kinds.join()}`;
    let fitting = this.fittingVenues.get(key);
    if (!fitting) {
      fitting = kinds.flatMap((k) => this.venuesByPlace.get(`${neighbourhood.name}|${k}`) ?? []);
      this.fittingVenues.set(key, fitting);
    }
    return this.random.pick(fitting.length ? fitting : this.venuesByPlace.get(neighbourhood.name)!);
  }

  /** A venue of an organisation's own (a surgery, a church), with the organisation's name. */
  ownVenue(name: string, kind: VenueKind, neighbourhood: Neighbourhood): Venue {
    const near = this.venue(neighbourhood, [kind]);
    const venue: Venue = { ...near, id: this.uuid(), kind, name, address1: `${this.random.int(1, 120)} ${near.address1.replace(/^\d+ /, '')}` };
    this.venuesByPlace.get(neighbourhood.name)!.push(venue);
    return venue;
  }

  /** A name no other organisation has, tried a few times; large test directories may repeat. */
  uniqueName(make: () => string): string {
    let name = make();
    for (let attempt = 0; attempt < 12 && this.names.has(name); attempt++) name = make();
    this.names.add(name);
    return name;
  }

  charityId = () => ({ id: this.uuid(), scheme: 'GB-CHC', type: 'Charity number', identifier: String(1_900_000 + ++this.charityNumber) });
  companyId = () => ({ id: this.uuid(), scheme: 'GB-COH', type: 'Company number', identifier: String(99_000_000 + ++this.companyNumber) });
  odsId = (prefix = 'Y9') => ({ id: this.uuid(), scheme: 'GB-NHS', type: 'NHS ODS code', identifier: `${prefix}${String(++this.odsNumber).padStart(4, '0')}` });

  // ---- organisations -------------------------------------------------------------------------

  organisation(input: { name: string; kind: string; description: string; postcode?: string | null; parent?: string; identifiers?: OrganisationRecord['identifiers'] }): OrganisationRecord {
    const s = slug(input.name);
    const record: OrganisationRecord = {
      id: this.uuid(),
      name: input.name,
      description: input.description,
      kind: input.kind,
      email: `${s}@example.org`,
      website: this.random.chance(0.45) || input.kind !== 'community_group' ? `https://${s}.example.org` : null,
      parentOrganisationId: input.parent ?? null,
      postcode: input.postcode ?? null,
      identifiers: input.identifiers ?? [],
      lastReviewedAt: this.reviewedAt(),
    };
    this.names.add(input.name);
    this.organisations.push(record);
    return record;
  }

  // ---- services ------------------------------------------------------------------------------

  /**
   * The structured times are the whole truth about when something runs: the schedule's note never
   * repeats them (it would not change when the times do); now and then it adds something they cannot say.
   */
  schedule(times: Times): ScheduleRecord {
    const note = this.random.chance(0.12) ? this.random.pick(scheduleNotes) : null;
    if (times.freq === 'MONTHLY') {
      const week = this.random.pick(times.weeks);
      const day = this.random.pick(times.days);
      return { id: this.uuid(), freq: 'MONTHLY', byday: `${week}${day}`, opensAt: times.opens, closesAt: times.closes, description: note };
    }
    const days = this.random.sample(times.days, times.perWeek ?? 1).sort((a, b) => dayOrder.indexOf(a) - dayOrder.indexOf(b));
    return { id: this.uuid(), freq: 'WEEKLY', byday: days.join(','), opensAt: times.opens, closesAt: times.closes, description: note };
  }

  location(venue: Venue, schedules: ScheduleRecord[]): LocationRecord {
    return {
      id: venue.id,
      serviceAtLocationId: this.uuid(),
      locationType: 'physical',
      name: venue.name,
      address1: venue.address1,
      city: 'Wyndale',
      postalCode: venue.postcode.postcode,
      country: 'GB',
      latitude: venue.postcode.latitude,
      longitude: venue.postcode.longitude,
      accessibility: venue.accessibility,
      schedules,
    };
  }

  service(organisation: OrganisationRecord, activity: ActivityKind, options: { venues: Venue[]; name?: string; description?: string }): ServiceRecord {
    const r = this.random;
    const modes = r.pick(activity.modes);
    const free = r.chance(activity.free) || !activity.costs?.length;
    const cost = free ? null : r.pick(activity.costs!);
    const main = options.venues[0];
    const name = options.name ?? r.pick(activity.serviceNames);
    // A "Friday friendship lunch" meets on Fridays, a "coffee morning" in the morning.
    const times = timesFittingName(name, r.pick(activity.times));
    const extra = r.pick(descriptionExtras);
    const where = modes.includes('in_person') ? `Meets at ${main.name}, ${main.neighbourhood}.` : `Covers ${main.neighbourhood} and the rest of Wyndale.`;
    const needCodes: NeedCode[] = [...activity.needs, ...(activity.extraNeeds ?? []).filter(() => r.chance(0.35))];
    const reviewed = this.reviewedAt();
    const roll = r.next();
    const status = roll < 0.009 ? 'temporarily closed' : roll < 0.013 ? 'defunct' : 'active';
    const contactName = r.chance(0.55) ? r.pick(firstNames) : null;
    const record: ServiceRecord = {
      id: this.uuid(),
      organisationId: organisation.id,
      name,
      description: [options.description ?? r.pick(activity.descriptions), extra, where].filter(Boolean).join(' '),
      url: organisation.website ? `${organisation.website}/${slug(name)}` : null,
      email: organisation.email,
      status,
      reopeningDate: status === 'temporarily closed' ? this.date(r.int(10, 90)) : null,
      alert: status === 'temporarily closed' ? r.pick(closureReasons) : status === 'defunct' ? 'This group has stopped meeting.' : null,
      fees: cost?.description ?? null,
      eligibilityDescription: r.pick(activity.eligibility),
      minimumAge: activity.ages?.[0] ?? null,
      maximumAge: activity.ages?.[1] ?? null,
      freeOfCharge: free,
      deliveryModes: modes,
      lastModified: reviewed,
      lastReviewedAt: reviewed,
      languages: [{ id: this.uuid(), name: 'English', code: 'en' }, ...(activity.languages ?? []).filter((l) => r.chance(l.chance)).map((l) => ({ id: this.uuid(), name: l.name, code: l.code }))],
      costOptions: cost ? [{ id: this.uuid(), option: cost.option, amount: cost.amount, amountDescription: cost.description }] : [],
      contacts: [
        {
          id: this.uuid(),
          name: contactName,
          title: activity.contactTitle,
          email: r.chance(0.5) ? `${slug(contactName ?? activity.contactTitle)}.${slug(organisation.name).slice(0, 30)}@example.org` : null,
          phones: [{ id: this.uuid(), number: this.phone() }],
        },
      ],
      phones: r.chance(0.3) ? [{ id: this.uuid(), number: this.phone(), description: 'General enquiries' }] : [],
      // Each place has its own times; a group meeting in two places meets on different days.
      locations: options.venues.map((v) => this.location(v, [this.schedule(times)])),
      schedules: [],
      serviceAreas: modes.includes('in_person') ? [] : [{ id: this.uuid(), name: 'Wyndale', serviceArea: 'The borough of Wyndale' }],
      taxonomyTermIds: needCodes.map((c) => needIds.get(c)!),
    };
    this.services.push(record);
    return record;
  }

  /** `count` services of one kind, spread over the neighbourhoods (for larger organisations). */
  spread(organisation: OrganisationRecord, key: string, count: number, start = this.random.int(0, neighbourhoods.length - 1)) {
    const activity = activityByKey.get(key)!;
    for (let i = 0; i < count; i++) {
      const neighbourhood = neighbourhoods[(start + i) % neighbourhoods.length];
      const base = this.random.pick(activity.serviceNames);
      this.service(organisation, activity, { venues: [this.venue(neighbourhood, activity.venues)], name: `${base} (${neighbourhood.name})` });
    }
  }

  times = (n: number) => Math.max(1, Math.round(n * this.scale));
}

/** Larger charities: [name, what they do, kinds of service and how many]. */
const charities: [string, string, [string, number][]][] = [
  ['Wyndale Later Life Trust', 'Helping older people in Wyndale stay independent, connected and well.', [['lunch-club', 4], ['befriending', 3], ['gentle-exercise', 3], ['digital', 2], ['transport', 1], ['memory-cafe', 2]]],
  ['Wyndale Carers Centre', 'Information, breaks and a voice for unpaid carers of all ages.', [['carers', 8], ['bereavement', 1]]],
  ['Wyndale Advice Centre', 'Free, independent advice on money, benefits, debt, housing and work.', [['money-advice', 10], ['legal', 2]]],
  ['Wyndale Wellbeing Trust', 'Peer support and wellbeing activities for people with mental health problems.', [['peer-support', 8], ['crafts', 2]]],
  ['Wyndale Memory Matters', 'Support for people living with dementia and their families.', [['memory-cafe', 8], ['carers', 2]]],
  ['Wyndale Food Network', 'Food banks and community pantries across Wyndale.', [['food-bank', 9]]],
  ['Wyndale Safe Homes', 'Support for people experiencing domestic abuse.', [['domestic-abuse', 5]]],
  ['Wyndale Recovery Network', 'Help for people affected by drugs and alcohol, and their families.', [['recovery', 6]]],
  ['Wyndale Volunteer Centre', 'Connecting people with volunteering, training and work.', [['employment', 6]]],
  ['Wyndale Community Transport', 'Accessible transport for people who cannot use buses.', [['transport', 4]]],
  ['Wyndale Welcome', 'Support for refugees, asylum seekers and other new arrivals.', [['legal', 3], ['conversation', 4]]],
  ['Wyndale Families Together', 'Family support, stay and play and parenting groups.', [['parents', 6], ['youth', 2]]],
  ['Wyndale Sight and Hearing Society', 'Support and social groups for people with sight or hearing loss.', [['long-term-condition', 4]]],
  ['Wyndale Deaf Centre', 'A community centre for Deaf people, with activities in British Sign Language.', [['long-term-condition', 2], ['faith-social', 2]]],
  ['Wyndale Stroke Support', 'Clubs and support for stroke survivors and their carers.', [['long-term-condition', 4]]],
  ['Wyndale Green Spaces Trust', 'Looking after parks and green spaces with local people.', [['garden', 6], ['walking', 4]]],
  ['Wyndale Arts Collective', 'Creative groups and projects for everyone.', [['crafts', 6], ['choir', 3]]],
  ['Wyndale Youth Trust', 'Youth clubs and activities for young people.', [['youth', 7]]],
  ['Wyndale Get Online', 'Helping people get online and use the internet safely.', [['digital', 6]]],
  ['Wyndale Bereavement Service', 'Support for anyone who has been bereaved.', [['bereavement', 5]]],
  ['Eastmoor Community Association', 'A community association run by and for Eastmoor residents.', [['lunch-club', 2], ['crafts', 2], ['youth', 1], ['digital', 1], ['food-bank', 1]]],
  ['Hollins Cross Community Trust', 'Community activities and support in Hollins Cross.', [['faith-social', 2], ['employment', 2], ['parents', 2]]],
  ['Brackenside Village Hall Trust', 'Runs the village hall and its activities.', [['gentle-exercise', 2], ['crafts', 2], ['lunch-club', 1]]],
  ['Millbrook Development Trust', 'Community-led regeneration in Millbrook.', [['garden', 2], ['employment', 2], ['digital', 1]]],
  ['Ashby Vale Community Association', 'Bringing Ashby Vale residents together.', [['walking', 2], ['choir', 1], ['lunch-club', 1]]],
  ['Wyndale Asian Elders Association', 'Social and health activities for South Asian older people, in Urdu, Punjabi and English.', [['faith-social', 4], ['lunch-club', 2], ['gentle-exercise', 2]]],
  ['Wyndale Polish Community Association', 'Advice and social activities for Polish people in Wyndale.', [['conversation', 2], ['money-advice', 2]]],
  ['Wyndale Walking Network', 'Free health walks every day of the week.', [['walking', 10]]],
  ['Wyndale Active Lives', 'Gentle exercise and sport for people who want to be more active.', [['gentle-exercise', 8]]],
  ['Wyndale Lung Health Group', 'Support and singing for people with lung conditions.', [['long-term-condition', 3], ['choir', 1]]],
];

const housingAssociations = ['Wyndale Homes', 'Moorside Housing Association', 'Calderbrook Housing', 'Brackenside Housing Co-operative', 'Hollins Homes', 'Ashby Vale Almshouse Charity', 'Millbrook Housing Trust', 'Eastmoor Homes'];

/** Social enterprises: what they run, and the services that come from it (the kind of activity, a name and what it is). */
const socialEnterprises: [string, [string, string, string][]][] = [
  ['Community Café', [
    ['faith-social', 'Pay-as-you-feel café', 'Hot drinks, soup and cake on a pay-as-you-feel basis, in a warm café run by local people.'],
    ['food-bank', 'Community fridge', 'Surplus food from local shops and growers, free to anyone. Take what you need.'],
    ['employment', 'Café volunteering and training', 'Learn food hygiene, barista and customer service skills by volunteering in the café.'],
  ]],
  ['Bike Workshop', [
    ['crafts', 'Fix your bike drop-in', 'Bring your bike and learn to fix it with our mechanics. Tools and advice are free; parts at cost.'],
    ['employment', 'Bike mechanics training', 'A ten-week course in bike maintenance, with a certificate at the end. Good for confidence and skills for work.'],
    ['gentle-exercise', 'Led bike rides', 'Gentle led rides on quiet roads and cycle paths. Bikes and helmets can be borrowed.'],
  ]],
  ['Growing Project', [
    ['garden', 'Community growing sessions', 'Grow fruit and vegetables with others on our market garden. No experience needed; tools and gloves provided.'],
    ['employment', 'Horticulture training', 'Practical training in growing and landscaping, leading to a recognised qualification.'],
    ['food-bank', 'Veg bag scheme', 'A bag of seasonal vegetables from the garden each week, free or pay what you can.'],
  ]],
  ['Kitchen', [
    ['food-bank', 'Community meals', 'A hot, home-cooked meal for anyone, eaten together. Pay what you can.'],
    ['employment', 'Cookery and catering training', 'Learn to cook for a busy kitchen and gain a food hygiene certificate.'],
    ['faith-social', 'Cook and eat sessions', 'Cook a simple, cheap meal together and sit down to eat it.'],
  ]],
  ['Repair Shop', [
    ['crafts', 'Repair café', 'Bring broken lamps, toasters, clothes and toys: volunteers help you mend them.'],
    ['employment', 'Repair skills volunteering', 'Volunteer in the workshop and learn electrical testing, sewing and woodwork repairs.'],
  ]],
  ['Fitness', [
    ['gentle-exercise', 'Strength and balance class', 'A gentle class to build strength and steadiness and help prevent falls.'],
    ['gentle-exercise', 'Seated yoga', 'Yoga in a chair: stretching and breathing at your own pace.'],
    ['walking', 'Health walk', 'Friendly led walks of about an hour at an easy pace, finishing with a hot drink.'],
  ]],
  ['Arts Studio', [
    ['crafts', 'Open studio', 'Drop in to paint, draw or make with others. Materials provided.'],
    ['crafts', 'Painting for pleasure', 'Relaxed painting sessions for beginners, with a tutor on hand.'],
    ['peer-support', 'Creative wellbeing course', 'A six-week creative course for people living with anxiety or low mood.'],
  ]],
  ['Digital Hub', [
    ['digital', 'Digital drop-in', 'Help with phones, tablets and laptops: getting online, email, video calls and staying safe.'],
    ['digital', 'Tablet loan scheme', 'Borrow a tablet with data for three months, with help to set it up and use it.'],
    ['employment', 'Job search and CV help', 'Help to write a CV, search for jobs and apply online.'],
  ]],
];

/** Community groups whose services are all the one thing they are named for (a choir sings). */
const singleFocus = new Set(['choir', 'long-term-condition', 'gentle-exercise', 'conversation', 'crafts']);

const faithPlaces: [string, VenueKind, string][] = [
  ['{saint} Church, {place}', 'church hall', '{saint} Church Hall, {place}'],
  ['{place} Methodist Church', 'chapel', '{place} Methodist Church Hall'],
  ['{place} Baptist Church', 'chapel', '{place} Baptist Church Hall'],
  ['{place} Jamia Masjid', 'mosque', '{place} Jamia Masjid community room'],
  ['{place} Gurdwara Sahib', 'gurdwara', '{place} Gurdwara Sahib langar hall'],
  ['{place} Quaker Meeting', 'church hall', '{place} Friends Meeting House'],
  ['{place} Hindu Mandir', 'community centre', '{place} Mandir community hall'],
  ['{place} Community Church', 'community centre', '{place} Community Church hall'],
];
const saintNames = ["St Aidan's", "St Hilda's", "St Chad's", "St Mary's", "St John's", "St Oswald's", "St Bede's", "St Cuthbert's", "St Peter's", 'Holy Trinity'];
const faithActivities = ['faith-social', 'lunch-club', 'food-bank', 'memory-cafe', 'parents', 'conversation', 'choir', 'bereavement'];
const communityWeights = activities.filter((a) => a.weight > 0).map((a) => [a, a.weight] as const);

const practiceNames = ['{place} Surgery', '{place} Medical Practice', '{place} Health Centre', 'The {place} Practice', '{place} Family Doctors', '{place} Medical Centre'];
const pcnAreas: [string, string][] = [
  ['Wyndale Central PCN', 'Wyndale Central'],
  ['Eastmoor PCN', 'Eastmoor'],
  ['Brackenside and Ashby Vale PCN', 'Brackenside'],
  ['Millbrook PCN', 'Millbrook'],
  ['Hollins Cross PCN', 'Hollins Cross'],
];

/** Builds the whole synthetic directory in memory, the same every time for the same options. */
export function generateDemoDirectory(options: DemoDirectoryOptions = {}): DemoDirectory {
  const b = new DirectoryBuilder(options.seed ?? DEMO_SEED, options.services ?? DEMO_SERVICES, options.now ?? new Date());
  const r = b.random;
  const byName = (name: string) => neighbourhoods.find((n) => n.name === name)!;
  const central = byName('Wyndale Central');

  // Statutory bodies and the partnership itself.
  const hq = b.ownVenue('Wyndale Town Hall', 'office', central);
  const partnership = b.organisation({
    name: 'Wyndale Health and Care Partnership',
    kind: 'partnership',
    description: 'The NHS, Wyndale Borough Council and the voluntary and community sector working together so people in Wyndale live well, at home, for longer.',
    postcode: hq.postcode.postcode,
  });
  b.service(partnership, activityByKey.get('social-prescribing')!, { venues: [hq], name: 'Wyndale Community Connectors' });
  b.service(partnership, activityByKey.get('employment')!, { venues: [hq], name: 'Wyndale Volunteering Passport' });
  const council = b.organisation({ name: 'Wyndale Borough Council', kind: 'council', description: 'The local authority for Wyndale: adult social care, public health, libraries, housing and more.', postcode: hq.postcode.postcode });
  for (const key of ['digital', 'money-advice', 'housing-help', 'gentle-exercise', 'carers', 'youth', 'employment']) b.spread(council, key, b.times(6), 0);
  const icb = b.organisation({ name: 'NHS Wyndale Integrated Care Board', kind: 'icb', description: 'Plans and pays for NHS services in Wyndale.', postcode: hq.postcode.postcode, identifiers: [b.odsId('Y9Q')] });
  const trustVenue = b.ownVenue('Wyndale Community Hospital', 'health centre', central);
  const trust = b.organisation({
    name: 'Wyndale Community Health NHS Trust',
    kind: 'nhs_trust',
    description: 'Community nursing, therapy and mental health services.',
    postcode: trustVenue.postcode.postcode,
    identifiers: [b.odsId('Y9T')],
  });
  b.spread(trust, 'long-term-condition', b.times(6));
  b.spread(trust, 'recovery', b.times(2));
  b.spread(trust, 'peer-support', b.times(2));

  // Primary care: networks of GP practices.
  const pcns: { org: OrganisationRecord; neighbourhood: Neighbourhood }[] = [];
  for (let copy = 0; copy < Math.max(1, Math.round(b.scale)); copy++) {
    for (const [name, area] of pcnAreas) {
      const neighbourhood = byName(area);
      const pcnName = copy === 0 ? name : name.replace(' PCN', ` ${copy + 1} PCN`);
      const org = b.organisation({
        name: pcnName,
        kind: 'pcn',
        description: `GP practices in ${area} working together, with link workers, care coordinators and health and wellbeing coaches.`,
        parent: icb.id,
        identifiers: [b.odsId('U9')],
      });
      pcns.push({ org, neighbourhood });
    }
  }
  let gpPractice: OrganisationRecord | undefined;
  pcns.forEach((pcn, i) => {
    const practices = i < pcnAreas.length ? 5 : r.int(4, 6);
    for (let p = 0; p < practices; p++) {
      const name =
        i === 3 && p === 0 ? 'Millbrook Surgery' : b.uniqueName(() => r.pick(practiceNames).replace('{place}', r.pick(pcn.neighbourhood.localities.filter((l) => l !== 'Millbrook'))));
      const building = b.ownVenue(name, 'health centre', pcn.neighbourhood);
      const practice = b.organisation({
        name,
        kind: 'gp_practice',
        description: `An NHS GP practice in ${pcn.neighbourhood.name}, part of ${pcn.org.name}.`,
        postcode: building.postcode.postcode,
        parent: pcn.org.id,
        identifiers: [b.odsId()],
      });
      if (name === 'Millbrook Surgery') gpPractice = practice;
      pcn.org.postcode ??= building.postcode.postcode;
      for (let s = r.int(1, 2); s > 0; s--) b.service(practice, activityByKey.get('gp-clinic')!, { venues: [building] });
      if (p < 2) b.service(pcn.org, activityByKey.get('social-prescribing')!, { venues: [building], name: `Social prescribing at ${name}` });
    }
  });

  // Larger charities, with registered charity numbers.
  const charityOrgs: OrganisationRecord[] = [];
  for (let copy = 0; copy < Math.max(1, Math.round(b.scale)); copy++) {
    for (const [name, description, work] of charities) {
      const home = neighbourhoods.find((n) => name.startsWith(n.name)) ?? central;
      const office = b.venue(home, ['office', 'community centre']);
      const org = b.organisation({
        name: copy === 0 ? name : `${name} branch ${copy + 1}`,
        kind: 'charity',
        description,
        postcode: office.postcode.postcode,
        identifiers: [b.charityId(), ...(r.chance(0.4) ? [b.companyId()] : [])],
      });
      charityOrgs.push(org);
      for (const [key, count] of work) {
        if (home !== central) {
          const activity = activityByKey.get(key)!;
          for (let i = 0; i < count; i++) b.service(org, activity, { venues: [b.venue(home, activity.venues)] });
        } else b.spread(org, key, count);
      }
    }
  }
  const charity = charityOrgs[0];

  for (let i = 0; i < b.times(housingAssociations.length); i++) {
    const home = r.pick(neighbourhoods);
    const office = b.venue(home, ['office']);
    const org = b.organisation({
      name: b.uniqueName(() => (i < housingAssociations.length ? housingAssociations[i] : `${r.pick(home.localities)} Housing Association`)),
      kind: 'housing_association',
      description: 'Affordable homes to rent, with support for tenants.',
      postcode: office.postcode.postcode,
      identifiers: [b.companyId()],
    });
    b.spread(org, 'housing-help', 3);
    b.spread(org, r.pick(['money-advice', 'digital', 'employment']), 2);
  }

  for (let i = 0; i < b.times(25); i++) {
    const home = r.pick(neighbourhoods);
    const [what, offers] = r.pick(socialEnterprises);
    const org = b.organisation({
      name: b.uniqueName(() => `${r.pick(home.localities)} ${what} CIC`),
      kind: 'social_enterprise',
      description: `A community interest company running a ${what.toLowerCase()} in ${home.name}; profits go back into the community.`,
      identifiers: [b.companyId()],
    });
    // Everything happens at the enterprise's own place.
    const venue = b.venue(home, activityByKey.get(offers[0][0])!.venues);
    org.postcode = venue.postcode.postcode;
    for (const [key, name, description] of r.sample(offers, r.int(2, offers.length))) b.service(org, activityByKey.get(key)!, { venues: [venue], name, description });
  }

  for (let i = 0; i < b.times(70); i++) {
    const home = r.pick(neighbourhoods);
    const [pattern, kind, hall] = r.pick(faithPlaces);
    let locality = '';
    let saint = '';
    const fill = (text: string) => text.replace('{saint}', saint).replace('{place}', locality);
    const name = b.uniqueName(() => {
      locality = r.pick(home.localities);
      saint = r.pick(saintNames);
      return fill(pattern);
    });
    const building = b.ownVenue(fill(hall), kind, home);
    const org = b.organisation({
      name,
      kind: 'faith_group',
      description: `A ${kind === 'mosque' ? 'mosque' : kind === 'gurdwara' ? 'gurdwara' : 'faith community'} in ${locality}, ${home.name}, open to all for community activities.`,
      postcode: building.postcode.postcode,
      identifiers: r.chance(0.5) ? [b.charityId()] : [],
    });
    for (const key of r.sample(faithActivities, r.weighted([[1, 3], [2, 4], [3, 3], [4, 2]] as const))) {
      b.service(org, activityByKey.get(key)!, { venues: [building] });
    }
  }

  // Small community groups fill the rest: most run one or two things.
  const communityGroups: OrganisationRecord[] = [];
  while (b.services.length < b.target) {
    const activity = r.weighted(communityWeights);
    const { neighbourhood, locality } = b.place();
    const name = b.uniqueName(() => r.pick(activity.groupNames).replace('{place}', r.weighted([[neighbourhood.name, 2], [r.pick(neighbourhood.localities), 5], [streetName(r), 3]])));
    const venue = b.venue(neighbourhood, activity.venues);
    const org = b.organisation({
      name,
      kind: 'community_group',
      description: `A volunteer-run group in ${locality === neighbourhood.name ? neighbourhood.name : `${locality}, ${neighbourhood.name}`}.`,
      postcode: venue.postcode.postcode,
      identifiers: r.chance(0.2) ? [b.charityId()] : r.chance(0.04) ? [b.companyId()] : [],
    });
    communityGroups.push(org);
    // A group meeting in two places lists both under one service.
    const venues = r.chance(0.08) ? [venue, b.venue(neighbourhood, activity.venues)].filter((v, i, all) => all.findIndex((x) => x.id === v.id) === i) : [venue];
    b.service(org, activity, { venues, name });
    // A group runs more of what it is named for (a lunch club a second lunch), never something unrelated.
    const others = singleFocus.has(activity.key) || dayInName(name) ? [] : activity.serviceNames.filter((n) => n.toLowerCase() !== name.toLowerCase());
    const more = Math.min(others.length, r.weighted([[0, 14], [1, 30], [2, 32], [3, 24]] as const));
    for (const other of r.sample(others, more)) {
      if (b.services.length >= b.target) break;
      b.service(org, activity, { venues: [r.chance(0.7) ? venue : b.venue(neighbourhood, activity.venues)], name: other });
    }
  }

  // Deliberate near-duplicates: the same charity listed twice, and groups entered twice with a slightly different name.
  const duplicates: OrganisationRecord[] = [];
  // Small test directories may not have every original: those duplicates are left out.
  const twice = (original: OrganisationRecord | undefined, rename: (name: string) => string, sameIdentifiers: boolean) => {
    if (!original) return;
    const name = rename(original.name);
    const copy = b.organisation({
      name,
      kind: original.kind,
      description: original.description,
      postcode: original.postcode,
      identifiers: sameIdentifiers ? original.identifiers.map((i) => ({ ...i, id: b.uuid() })) : [],
    });
    const first = b.services.find((s) => s.organisationId === original.id);
    if (first) {
      const activity = activities.find((a) => first.taxonomyTermIds[0] === needIds.get(a.needs[0])) ?? activities[0];
      const venue = b.venues.find((v) => v.id === first.locations[0].id) ?? b.venue(central, activity.venues);
      b.service(copy, activity, { venues: [venue], name: first.name });
    }
    duplicates.push(copy);
  };
  const registered = charityOrgs.filter((o) => o !== charity);
  twice(registered[1], (name) => `${name} (registered charity)`, true);
  twice(registered[5], (name) => name.replace('Wyndale', 'The Wyndale'), true);
  const withNumber = communityGroups.filter((o) => o.identifiers.some((i) => i.scheme === 'GB-CHC'));
  twice(withNumber[3], (name) => `${name} Trust`, true);
  const plain = communityGroups.filter((o) => !o.identifiers.length && o.name.split(' ').length >= 3);
  for (const original of [plain[10], plain[40], plain[90]]) twice(original, (name) => (name.includes(' and ') ? name.replace(' and ', ' & ') : `${name} Group`), false);

  if (!gpPractice) throw new Error('the demo directory has no Millbrook Surgery');
  // Most groups will never have an account; a few of each kind do, as in a real partnership.
  const firstOf = (kind: string, skip = 0) => b.organisations.filter((o) => o.kind === kind && !duplicates.includes(o))[skip];
  const editorOrganisations = [firstOf('community_group', 2), firstOf('community_group', 7), firstOf('faith_group'), firstOf('social_enterprise'), firstOf('housing_association'), charityOrgs[5]]
    .filter((o): o is OrganisationRecord => Boolean(o))
    .map((o) => ({ id: o.id, name: o.name, kind: o.kind }));
  return {
    postcodes: b.postcodes,
    organisations: b.organisations,
    services: b.services,
    anchors: { partnership: partnership.id, council: council.id, pcn: pcns[0].org.id, gpPractice: gpPractice.id, charity: charity.id },
    duplicates,
    editorOrganisations,
  };
}

const chunks = <T>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export type SaveTimings = { postcodesMs: number; organisationsMs: number; servicesMs: number; duplicatesMs: number; analyzeMs: number };

/** Saves a generated directory in batches, each batch in its own short transaction; says how long each part took. */
export async function saveDemoDirectory(
  db: Database,
  directory: DemoDirectory,
  options: { batchSize?: number; flagDuplicates?: boolean; analyze?: boolean } = {},
): Promise<SaveTimings> {
  const batchSize = options.batchSize ?? 500;
  let mark = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = now - mark;
    mark = now;
    return ms;
  };
  for (const batch of chunks(directory.postcodes, 5_000)) await upsertPostcodes(db, batch);
  const postcodesMs = lap();
  for (const batch of chunks(directory.organisations, 2_000)) await db.transaction((tx) => saveOrganisationRecords(tx, batch));
  const organisationsMs = lap();
  for (const batch of chunks(directory.services, batchSize)) await db.transaction((tx) => saveServiceRecords(tx, batch));
  const servicesMs = lap();
  if (options.flagDuplicates ?? true) await db.transaction((tx) => flagPossibleDuplicatesOfEach(tx, directory.duplicates));
  const duplicatesMs = lap();
  // Embedded PGlite has no autovacuum: without fresh statistics the planner misjudges searches after a bulk load.
  if (options.analyze ?? true) await analyzeDatabase(db);
  return { postcodesMs, organisationsMs, servicesMs, duplicatesMs, analyzeMs: lap() };
}

/** Generates and saves the demo directory; returns the organisations the demo users join. */
export async function loadDemoDirectory(db: Database, options: DemoDirectoryOptions = {}): Promise<DemoAnchors & { editorOrganisations: EditorOrganisation[] }> {
  const directory = generateDemoDirectory(options);
  await saveDemoDirectory(db, directory);
  return { ...directory.anchors, editorOrganisations: directory.editorOrganisations };
}
