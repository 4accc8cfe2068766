import type { DeliveryMode } from '../directory.types.ts';
import type { VenueKind } from './wyndale.ts';

/*
 * What groups in Wyndale do: each kind of activity with the words, times, costs, people and
 * needs that go with it. The generator combines these with places to make listings.
 * {place} is replaced by a neighbourhood or smaller place name.
 */

export type NeedCode =
  | 'loneliness'
  | 'physical-activity'
  | 'mental-wellbeing'
  | 'money-and-debt'
  | 'housing'
  | 'carers'
  | 'dementia'
  | 'food'
  | 'digital-inclusion'
  | 'employment-and-learning'
  | 'long-term-conditions'
  | 'bereavement'
  | 'drugs-and-alcohol'
  | 'domestic-abuse'
  | 'arts-and-creativity'
  | 'nature-and-green-spaces'
  | 'transport'
  | 'practical-help-at-home'
  | 'parenting-and-families'
  | 'legal-and-immigration';

export type Times =
  | { freq: 'WEEKLY'; days: string[]; perWeek?: number; opens: string; closes: string }
  | { freq: 'MONTHLY'; weeks: string[]; days: string[]; opens: string; closes: string };

type Cost = { option: string; amount: number; description: string };

export type ActivityKind = {
  key: string;
  /** How often a small community group is this kind (0 = only larger organisations run it). */
  weight: number;
  groupNames: string[];
  serviceNames: string[];
  descriptions: string[];
  needs: NeedCode[];
  /** Needs that some listings of this kind also carry. */
  extraNeeds?: NeedCode[];
  times: Times[];
  ages?: [number | null, number | null];
  eligibility: string[];
  /** Chance that it is free; otherwise one of the costs applies. */
  free: number;
  costs?: Cost[];
  modes: DeliveryMode[][];
  venues: VenueKind[];
  /** Languages other than English that some listings are offered in. */
  languages?: { name: string; code: string | null; chance: number }[];
  contactTitle: string;
};

const weekdays = ['MO', 'TU', 'WE', 'TH', 'FR'];
const weekly = (days: string[], opens: string, closes: string, perWeek = 1): Times => ({ freq: 'WEEKLY', days, perWeek, opens, closes });
const monthly = (days: string[], opens: string, closes: string, weeks = ['1', '2', '3', '4', '-1']): Times => ({ freq: 'MONTHLY', weeks, days, opens, closes });

const urdu = { name: 'Urdu', code: 'ur' };
const punjabi = { name: 'Punjabi', code: 'pa' };
const polish = { name: 'Polish', code: 'pl' };
const bsl = { name: 'British Sign Language', code: 'bfi' };

export const activities: ActivityKind[] = [
  {
    key: 'lunch-club',
    weight: 7,
    groupNames: ['{place} Lunch Club', '{place} Luncheon Club', '{place} Over 60s Lunch Club', 'Friendship Lunch Club {place}'],
    serviceNames: ['Lunch club', 'Hot lunch and company', 'Friday friendship lunch'],
    descriptions: [
      'A hot two-course lunch and a chance to chat with neighbours. Vegetarian and halal options on request.',
      'Home-cooked lunch, a cup of tea and good company every week. Transport can be arranged for people who cannot get here on their own.',
      'A sit-down lunch for older people, followed by bingo, quizzes or a visiting speaker.',
    ],
    needs: ['food', 'loneliness'],
    times: [weekly(['TU', 'WE', 'TH', 'FR'], '12:00', '14:00'), weekly(['MO', 'WE'], '11:30', '13:30')],
    ages: [60, null],
    eligibility: ['People aged 60 and over living in Wyndale.', 'Older people and their carers. No referral needed.'],
    free: 0.15,
    costs: [
      { option: 'Lunch', amount: 3.5, description: '£3.50 for a two-course lunch' },
      { option: 'Lunch', amount: 4, description: '£4 for lunch and a hot drink' },
    ],
    modes: [['in_person']],
    venues: ['church hall', 'community centre', 'chapel', 'village hall'],
    contactTitle: 'Lunch club organiser',
  },
  {
    key: 'walking',
    weight: 8,
    groupNames: ['{place} Walking Group', '{place} Health Walks', '{place} Ramblers Social Group', 'Walk and Talk {place}'],
    serviceNames: ['Health walk', 'Gentle walking group', 'Nordic walking for beginners', 'Buggy walk'],
    descriptions: [
      'Friendly led walks of about an hour at an easy pace on paths and pavements. Walk leaders are trained in first aid.',
      'A gentle walk around the park and the canal towpath, finishing with a hot drink. Good for anyone getting back into being active.',
      'Longer walks on the moor edge for people who can manage some hills and stiles. Wear sturdy shoes.',
    ],
    needs: ['physical-activity'],
    extraNeeds: ['nature-and-green-spaces', 'loneliness', 'mental-wellbeing'],
    times: [weekly(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], '10:00', '11:30'), weekly(['SA', 'SU'], '09:30', '12:00')],
    ages: [16, null],
    eligibility: ['Adults of any fitness level. Dogs on leads welcome.', 'Anyone who can walk for an hour without stopping.'],
    free: 0.95,
    costs: [{ option: 'Walk', amount: 1, description: '£1 towards refreshments' }],
    modes: [['in_person']],
    venues: ['park', 'library', 'community centre', 'leisure centre'],
    contactTitle: 'Walk leader',
  },
  {
    key: 'befriending',
    weight: 5,
    groupNames: ['{place} Befriending Scheme', 'Good Neighbours {place}', '{place} Telephone Friends'],
    serviceNames: ['Befriending visits', 'Telephone befriending', 'Good neighbour calls'],
    descriptions: [
      'A trained volunteer visits you at home for an hour each week for a chat, a cup of tea or a short trip out.',
      'A regular phone call from the same friendly volunteer, at a time that suits you.',
    ],
    needs: ['loneliness'],
    extraNeeds: ['mental-wellbeing', 'carers'],
    times: [weekly(weekdays, '10:00', '16:00', 5)],
    ages: [18, null],
    eligibility: ['Adults who feel lonely or cut off. Refer yourself or ask your GP or link worker to refer you.', 'Older people living alone in Wyndale.'],
    free: 1,
    modes: [['in_person', 'phone'], ['phone']],
    venues: ['office'],
    languages: [{ ...urdu, chance: 0.15 }, { ...polish, chance: 0.08 }],
    contactTitle: 'Befriending coordinator',
  },
  {
    key: 'mens-shed',
    weight: 3,
    groupNames: ["{place} Men's Shed", '{place} Community Shed', "{place} Men's Shed Project"],
    serviceNames: ['Shed sessions', 'Woodwork and repairs'],
    descriptions: [
      'A workshop where people make, mend and chat: woodwork, bike repairs and small jobs for the community. All skill levels welcome.',
      'Shoulder to shoulder making and mending in a friendly shed. Tools and tea provided.',
    ],
    needs: ['loneliness', 'mental-wellbeing'],
    extraNeeds: ['arts-and-creativity', 'employment-and-learning'],
    times: [weekly(['TU', 'TH', 'SA'], '10:00', '15:00', 2)],
    ages: [18, null],
    eligibility: ['Open to anyone over 18; most members are men over 50.'],
    free: 0.3,
    costs: [{ option: 'Session', amount: 2, description: '£2 a session towards materials' }],
    modes: [['in_person']],
    venues: ['scout hut', 'community centre', 'allotments'],
    contactTitle: 'Shed coordinator',
  },
  {
    key: 'memory-cafe',
    weight: 4,
    groupNames: ['{place} Memory Café', '{place} Dementia Café', 'Forget-me-not Café {place}'],
    serviceNames: ['Memory café', 'Songs and memories', 'Dementia-friendly afternoon tea'],
    descriptions: [
      'A relaxed café for people living with dementia and the people who care for them: music, reminiscence, information and a friendly welcome.',
      'Singing familiar songs together, with tea and cake. Carers stay and join in.',
    ],
    needs: ['dementia', 'carers'],
    extraNeeds: ['loneliness', 'arts-and-creativity'],
    times: [monthly(['TU', 'WE', 'TH'], '14:00', '16:00', ['1', '2', '3']), weekly(['WE', 'FR'], '13:30', '15:30')],
    eligibility: ['People living with memory loss or dementia, and their family or carers.', 'Anyone worried about their memory, with a carer or friend.'],
    free: 0.8,
    costs: [{ option: 'Session', amount: 2, description: '£2 including tea and cake' }],
    modes: [['in_person']],
    venues: ['church hall', 'cafe', 'library', 'community centre'],
    languages: [{ ...urdu, chance: 0.08 }, { ...punjabi, chance: 0.05 }],
    contactTitle: 'Café organiser',
  },
  {
    key: 'food-bank',
    weight: 3,
    groupNames: ['{place} Food Bank', '{place} Community Pantry', '{place} Community Fridge'],
    serviceNames: ['Food bank', 'Community pantry', 'Community fridge', 'Emergency food parcels'],
    descriptions: [
      'Three days of emergency food for people in crisis. Bring a food bank voucher from an agency, your GP or the council.',
      'A membership pantry: pay a small weekly fee and choose groceries, fresh fruit and vegetables worth much more.',
      'Surplus food from local shops, free to anyone who needs it. Just turn up with a bag.',
    ],
    needs: ['food'],
    extraNeeds: ['money-and-debt'],
    times: [weekly(['MO', 'WE', 'FR', 'SA'], '10:00', '13:00', 2), weekly(['SA'], '09:30', '12:30'), weekly(['TU', 'TH'], '16:00', '18:30')],
    eligibility: ['Anyone in Wyndale struggling to afford food.', 'People with a food bank voucher from a referral agency.', 'Members living in the neighbourhood; joining is free.'],
    free: 0.75,
    costs: [{ option: 'Weekly shop', amount: 3.5, description: '£3.50 for ten items' }],
    modes: [['in_person']],
    venues: ['church hall', 'community centre', 'mosque', 'gurdwara', 'chapel'],
    languages: [{ ...urdu, chance: 0.1 }, { ...polish, chance: 0.08 }],
    contactTitle: 'Food bank coordinator',
  },
  {
    key: 'choir',
    weight: 4,
    groupNames: ['{place} Community Choir', '{place} Singers', '{place} Ukulele Club', '{place} Brass Band'],
    serviceNames: ['Choir rehearsal', 'Sing for wellbeing', 'Ukulele for beginners'],
    descriptions: [
      'A friendly choir that sings pop, folk and musicals. No auditions and no need to read music.',
      'Singing together for fun and wellbeing, with a gentle warm-up and breathing exercises.',
    ],
    needs: ['arts-and-creativity', 'loneliness'],
    extraNeeds: ['mental-wellbeing', 'long-term-conditions'],
    times: [weekly(['MO', 'TU', 'WE', 'TH'], '19:00', '21:00'), weekly(['WE', 'FR'], '13:30', '15:00')],
    ages: [16, null],
    eligibility: ['Anyone who enjoys singing.', 'Adults; young people aged 16 and 17 with a parent.'],
    free: 0.3,
    costs: [{ option: 'Session', amount: 3, description: '£3 a week; first session free' }],
    modes: [['in_person']],
    venues: ['church hall', 'chapel', 'school', 'community centre'],
    contactTitle: 'Choir secretary',
  },
  {
    key: 'garden',
    weight: 4,
    groupNames: ['{place} Allotment Society', '{place} Community Garden', 'Friends of {place} Park', '{place} Growing Together'],
    serviceNames: ['Community growing sessions', 'Friends of the park volunteering', 'Therapeutic gardening'],
    descriptions: [
      'Grow fruit and vegetables with others on our shared plot. Tools, seeds and advice provided; take home what you grow.',
      'Help look after the park: planting bulbs, clearing paths and litter picks. Gloves and tools provided.',
      'Gentle gardening in raised beds for people who would like time outdoors at their own pace.',
    ],
    needs: ['nature-and-green-spaces'],
    extraNeeds: ['physical-activity', 'mental-wellbeing', 'food'],
    times: [weekly(['TU', 'WE', 'SA', 'SU'], '10:00', '13:00')],
    eligibility: ['Anyone; children welcome with an adult.', 'Adults who would like to garden with others.'],
    free: 0.85,
    costs: [{ option: 'Yearly membership', amount: 10, description: '£10 a year' }],
    modes: [['in_person']],
    venues: ['allotments', 'park'],
    contactTitle: 'Volunteer coordinator',
  },
  {
    key: 'faith-social',
    weight: 4,
    groupNames: ['{place} Coffee Morning', '{place} Tuesday Club', "{place} Women's Group", '{place} Friendship Circle'],
    serviceNames: ['Coffee morning', 'Friendship circle', 'Warm welcome space', "Women's social group"],
    descriptions: [
      'Drop in for a hot drink, toast and a chat. Everyone is welcome, whatever their faith or none.',
      'A warm, friendly space with free hot drinks, soup and newspapers, and someone to talk to.',
      'A social group with crafts, trips and guest speakers.',
    ],
    needs: ['loneliness'],
    extraNeeds: ['food', 'mental-wellbeing'],
    times: [weekly(['TU', 'WE', 'TH', 'SA'], '10:00', '12:00'), weekly(['MO', 'TH'], '13:00', '15:30')],
    eligibility: ['Everyone welcome.', 'Women of all ages and backgrounds.'],
    free: 0.85,
    costs: [{ option: 'Drop-in', amount: 1, description: '£1 donation suggested' }],
    modes: [['in_person']],
    venues: ['church hall', 'chapel', 'mosque', 'gurdwara', 'cafe'],
    languages: [{ ...urdu, chance: 0.12 }, { ...punjabi, chance: 0.1 }, { name: 'Bengali', code: 'bn', chance: 0.04 }],
    contactTitle: 'Group leader',
  },
  {
    key: 'mutual-aid',
    weight: 3,
    groupNames: ['{place} Mutual Aid', '{place} Good Neighbours', '{place} Street Helpers'],
    serviceNames: ['Shopping and prescription collection', 'Good neighbour help', 'Check-in calls'],
    descriptions: [
      'Volunteers collect shopping and prescriptions, post letters and walk dogs for neighbours who cannot get out.',
      'Small practical jobs and a friendly check-in for neighbours who need a hand.',
    ],
    needs: ['practical-help-at-home'],
    extraNeeds: ['loneliness', 'food'],
    times: [weekly(weekdays, '09:00', '17:00', 5)],
    eligibility: ['Anyone in the neighbourhood who needs a hand.'],
    free: 1,
    modes: [['phone', 'in_person'], ['phone', 'online']],
    venues: ['community centre', 'office'],
    languages: [{ ...polish, chance: 0.06 }],
    contactTitle: 'Volunteer coordinator',
  },
  {
    key: 'carers',
    weight: 2,
    groupNames: ['{place} Carers Group', '{place} Carers Together'],
    serviceNames: ["Carers' support group", "Carers' drop-in", "Young carers' club", "Carers' breaks"],
    descriptions: [
      'Meet other unpaid carers, share experience and get information about breaks, benefits and your rights.',
      'A relaxed drop-in with a carers support worker: advice, a listening ear and time for you.',
    ],
    needs: ['carers'],
    extraNeeds: ['mental-wellbeing', 'money-and-debt'],
    times: [monthly(['MO', 'TU', 'WE', 'TH'], '10:00', '12:00'), weekly(['WE'], '18:00', '19:30')],
    eligibility: ['Anyone who looks after a family member, partner or friend who could not manage without them.'],
    free: 1,
    modes: [['in_person'], ['in_person', 'online']],
    venues: ['community centre', 'library', 'health centre'],
    languages: [{ ...urdu, chance: 0.1 }, { ...punjabi, chance: 0.05 }],
    contactTitle: 'Carers support worker',
  },
  {
    key: 'bereavement',
    weight: 1,
    groupNames: ['{place} Bereavement Café', '{place} Friends in Grief'],
    serviceNames: ['Bereavement café', 'Bereavement support group', 'One-to-one bereavement support'],
    descriptions: [
      'A safe place to talk with other people who have lost someone close, supported by trained volunteers.',
      'Up to eight one-to-one sessions with a trained bereavement volunteer.',
    ],
    needs: ['bereavement'],
    extraNeeds: ['mental-wellbeing', 'loneliness'],
    times: [monthly(['TU', 'TH'], '14:00', '16:00'), weekly(['WE'], '10:00', '12:00')],
    ages: [18, null],
    eligibility: ['Adults who have been bereaved, however long ago.'],
    free: 1,
    modes: [['in_person'], ['in_person', 'phone']],
    venues: ['church hall', 'cafe', 'community centre'],
    contactTitle: 'Group facilitator',
  },
  {
    key: 'money-advice',
    weight: 0,
    groupNames: [],
    serviceNames: ['Debt advice', 'Benefits advice drop-in', 'Money and budgeting help', 'Help with energy bills'],
    descriptions: [
      'Free, confidential advice on debts, bailiffs and budgeting from qualified advisers. We can talk to creditors for you.',
      'Check you are getting all the benefits you are entitled to, and get help with forms and appeals.',
      'Advice on cutting energy bills, grants for heating and help if you are behind on payments.',
    ],
    needs: ['money-and-debt'],
    extraNeeds: ['housing'],
    times: [weekly(weekdays, '09:30', '12:30', 2), weekly(['TU', 'TH'], '13:30', '16:00')],
    eligibility: ['Anyone living in Wyndale.', 'Adults living or working in Wyndale.'],
    free: 1,
    modes: [['in_person', 'phone'], ['phone', 'online'], ['in_person']],
    venues: ['library', 'community centre', 'office', 'health centre'],
    languages: [{ ...urdu, chance: 0.2 }, { ...polish, chance: 0.15 }, { ...punjabi, chance: 0.08 }, { name: 'Romanian', code: 'ro', chance: 0.05 }],
    contactTitle: 'Advice team',
  },
  {
    key: 'digital',
    weight: 1,
    groupNames: ['{place} Digital Buddies', '{place} Tech Café'],
    serviceNames: ['Digital drop-in', 'Get online sessions', 'Tablet loan scheme'],
    descriptions: [
      'Bring your phone, tablet or laptop and get help with email, video calls, online shopping and the NHS App.',
      'Borrow a tablet with free data for three months, with help to get started.',
    ],
    needs: ['digital-inclusion'],
    extraNeeds: ['employment-and-learning', 'loneliness'],
    times: [weekly(['MO', 'WE', 'FR', 'SA'], '10:00', '12:00')],
    eligibility: ['Anyone who would like help getting online.'],
    free: 1,
    modes: [['in_person']],
    venues: ['library', 'community centre', 'cafe'],
    contactTitle: 'Digital champion',
  },
  {
    key: 'gentle-exercise',
    weight: 3,
    groupNames: ['{place} Tai Chi Club', '{place} Chair Yoga', '{place} Walking Football', '{place} Bowls Club'],
    serviceNames: ['Chair-based exercise', 'Tai chi for beginners', 'Walking football', 'Strength and balance class', 'Seated yoga'],
    descriptions: [
      'Gentle exercise to music, mostly seated, to build strength and balance and help prevent falls.',
      'Slow, flowing movements that improve balance and calm the mind. Wear loose clothes.',
      'Football at walking pace: no running, no tackling, plenty of laughs.',
    ],
    needs: ['physical-activity'],
    extraNeeds: ['long-term-conditions', 'mental-wellbeing', 'loneliness'],
    times: [weekly(['MO', 'TU', 'WE', 'TH', 'FR'], '10:30', '11:30'), weekly(['TU', 'TH'], '14:00', '15:00')],
    ages: [50, null],
    eligibility: ['Older adults and people with long-term conditions. Check with your GP if unsure.', 'Adults over 50 of any ability.'],
    free: 0.3,
    costs: [
      { option: 'Class', amount: 2.5, description: '£2.50 a class' },
      { option: 'Class', amount: 3, description: '£3 a class; block of six for £15' },
    ],
    modes: [['in_person']],
    venues: ['leisure centre', 'church hall', 'community centre', 'sports club', 'village hall'],
    contactTitle: 'Instructor',
  },
  {
    key: 'parents',
    weight: 3,
    groupNames: ['{place} Stay and Play', '{place} Parent and Toddler Group', '{place} Dads Club'],
    serviceNames: ['Stay and play', 'Baby and toddler group', 'Dads and kids Saturday club'],
    descriptions: [
      'Play, songs and stories for babies and toddlers, and a cuppa and a chat for parents and carers.',
      'A welcoming group for dads and their children: games, crafts and a bacon butty.',
    ],
    needs: ['parenting-and-families'],
    extraNeeds: ['loneliness', 'mental-wellbeing'],
    times: [weekly(['MO', 'TU', 'WE', 'TH', 'FR'], '09:30', '11:00'), weekly(['SA'], '10:00', '12:00')],
    ages: [0, 5],
    eligibility: ['Children under 5 with a parent or carer.'],
    free: 0.6,
    costs: [{ option: 'Session', amount: 1.5, description: '£1.50 per family' }],
    modes: [['in_person']],
    venues: ['church hall', 'community centre', 'library', 'school'],
    languages: [{ ...polish, chance: 0.05 }],
    contactTitle: 'Group leader',
  },
  {
    key: 'youth',
    weight: 2,
    groupNames: ['{place} Youth Club', '{place} Young People’s Project'],
    serviceNames: ['Youth club', 'Holiday activities and food', 'Young people’s wellbeing group'],
    descriptions: [
      'Games, sport, cooking and trips for young people, with trained youth workers to talk to.',
      'Free activities and a healthy meal during school holidays.',
    ],
    needs: ['parenting-and-families'],
    extraNeeds: ['mental-wellbeing', 'physical-activity', 'food'],
    times: [weekly(['MO', 'TU', 'WE', 'TH', 'FR'], '18:00', '20:30', 2)],
    ages: [11, 18],
    eligibility: ['Young people aged 11 to 18.'],
    free: 0.8,
    costs: [{ option: 'Session', amount: 1, description: '£1 a session' }],
    modes: [['in_person']],
    venues: ['community centre', 'scout hut', 'school', 'sports club'],
    contactTitle: 'Youth worker',
  },
  {
    key: 'conversation',
    weight: 2,
    groupNames: ['{place} English Conversation Club', '{place} Welcome Group', '{place} Polish Community Club', '{place} Asian Elders Group'],
    serviceNames: ['English conversation club', 'Welcome café for new arrivals', 'Community language social'],
    descriptions: [
      'Practise speaking English in a relaxed group, with volunteers and other learners. All levels.',
      'A friendly welcome for people new to Wyndale: conversation, advice and help finding local services.',
    ],
    needs: ['employment-and-learning', 'loneliness'],
    extraNeeds: ['legal-and-immigration'],
    times: [weekly(['MO', 'TU', 'WE', 'TH', 'SA'], '10:00', '12:00')],
    ages: [16, null],
    eligibility: ['Adults whose first language is not English.', 'Anyone new to the area.'],
    free: 1,
    modes: [['in_person']],
    venues: ['library', 'community centre', 'mosque', 'church hall'],
    languages: [{ ...urdu, chance: 0.35 }, { ...punjabi, chance: 0.25 }, { ...polish, chance: 0.3 }, { name: 'Arabic', code: 'ar', chance: 0.2 }, { name: 'Romanian', code: 'ro', chance: 0.1 }],
    contactTitle: 'Club organiser',
  },
  {
    key: 'peer-support',
    weight: 2,
    groupNames: ['{place} Wellbeing Group', '{place} Talking Café', '{place} Peer Support Group'],
    serviceNames: ['Mental health peer support group', 'Wellbeing café', 'Anxiety peer support'],
    descriptions: [
      'A safe, confidential group where people with experience of anxiety or low mood support each other.',
      'A relaxed café with activities and people to talk to, for anyone finding things hard.',
    ],
    needs: ['mental-wellbeing'],
    extraNeeds: ['loneliness'],
    times: [weekly(['MO', 'TU', 'WE', 'TH'], '18:30', '20:00'), weekly(['FR'], '13:00', '15:00')],
    ages: [18, null],
    eligibility: ['Adults experiencing low mood, stress or anxiety. No referral needed.'],
    free: 1,
    modes: [['in_person'], ['in_person', 'online']],
    venues: ['cafe', 'community centre', 'library'],
    contactTitle: 'Peer support lead',
  },
  {
    key: 'crafts',
    weight: 4,
    groupNames: ['{place} Knit and Natter', '{place} Craft Club', '{place} Art Group', '{place} Sewing Bee', '{place} Repair Café'],
    serviceNames: ['Knit and natter', 'Craft afternoon', 'Painting for pleasure', 'Repair café'],
    descriptions: [
      'Bring your knitting or crochet, or learn from scratch. Wool and needles available.',
      'Painting and drawing in a relaxed group. Materials provided; beginners very welcome.',
      'Bring broken toasters, lamps, clothes and bikes: volunteers help you fix them for free.',
    ],
    needs: ['arts-and-creativity'],
    extraNeeds: ['loneliness', 'mental-wellbeing', 'practical-help-at-home'],
    times: [weekly(['MO', 'TU', 'WE', 'TH', 'FR'], '13:30', '15:30'), monthly(['SA'], '10:00', '13:00')],
    eligibility: ['Everyone welcome.'],
    free: 0.5,
    costs: [{ option: 'Session', amount: 2, description: '£2 including refreshments' }],
    modes: [['in_person']],
    venues: ['library', 'church hall', 'cafe', 'community centre', 'village hall'],
    contactTitle: 'Group organiser',
  },
  {
    key: 'transport',
    weight: 1,
    groupNames: ['{place} Community Transport', '{place} Dial-a-Ride', '{place} Volunteer Car Scheme'],
    serviceNames: ['Door-to-door minibus', 'Volunteer car scheme', 'Shopper bus'],
    descriptions: [
      'Accessible minibus trips to shops, appointments and social groups for people who cannot use buses.',
      'Volunteer drivers take you to medical appointments; you pay a mileage charge.',
    ],
    needs: ['transport'],
    extraNeeds: ['loneliness', 'long-term-conditions'],
    times: [weekly(weekdays, '09:00', '16:30', 5)],
    eligibility: ['People who find it hard to use public transport because of age, disability or illness.'],
    free: 0.2,
    costs: [
      { option: 'Journey', amount: 3, description: '£3 each way' },
      { option: 'Mileage', amount: 0.45, description: '45p a mile' },
    ],
    modes: [['phone', 'in_person']],
    venues: ['office', 'community centre'],
    contactTitle: 'Bookings',
  },
  {
    key: 'long-term-condition',
    weight: 2,
    groupNames: ['{place} Stroke Club', '{place} Breathe Easy', '{place} Diabetes Support Group', "{place} Parkinson's Support Group", '{place} Sight Loss Group', '{place} Deaf Club'],
    serviceNames: ['Support group', 'Self-management course', 'Singing for lung health', 'Sight loss social group'],
    descriptions: [
      'Meet others living with the same condition, share tips and hear from health professionals.',
      'A six-week course to help you manage your condition, set goals and feel more in control.',
    ],
    needs: ['long-term-conditions'],
    extraNeeds: ['loneliness', 'physical-activity', 'carers'],
    times: [monthly(['MO', 'TU', 'WE', 'TH', 'FR'], '13:30', '15:30'), weekly(['TU', 'TH'], '10:00', '12:00')],
    ages: [18, null],
    eligibility: ['Adults living with the condition, and their family and carers.'],
    free: 0.9,
    costs: [{ option: 'Yearly subscription', amount: 12, description: '£12 a year' }],
    modes: [['in_person'], ['in_person', 'online']],
    venues: ['health centre', 'church hall', 'community centre', 'library'],
    languages: [{ ...bsl, chance: 0.1 }],
    contactTitle: 'Group secretary',
  },
  {
    key: 'housing-help',
    weight: 0,
    groupNames: [],
    serviceNames: ['Handyperson service', 'Tenancy support', 'Home adaptations advice', 'Housing advice'],
    descriptions: [
      'Small repairs and safety jobs at home (grab rails, key safes, smoke alarms) for older and disabled people.',
      'Support to keep your home: help with rent, bills, repairs and dealing with landlords.',
      'Advice if you are homeless or at risk of losing your home.',
    ],
    needs: ['housing'],
    extraNeeds: ['practical-help-at-home', 'money-and-debt'],
    times: [weekly(weekdays, '09:00', '17:00', 5)],
    eligibility: ['Tenants of the association and anyone aged 60 or over in Wyndale.', 'Anyone living in Wyndale.'],
    free: 0.7,
    costs: [{ option: 'Per hour', amount: 15, description: '£15 an hour labour; materials at cost' }],
    modes: [['phone', 'in_person']],
    venues: ['office'],
    languages: [{ ...urdu, chance: 0.1 }, { ...polish, chance: 0.1 }],
    contactTitle: 'Housing team',
  },
  {
    key: 'recovery',
    weight: 0,
    groupNames: [],
    serviceNames: ['Recovery group', 'Drug and alcohol drop-in', 'Family support for people affected by drinking'],
    descriptions: [
      'A peer-led recovery meeting for people who want to cut down or stop drinking or using drugs.',
      'Confidential advice, harm reduction and support to make changes, from a friendly team.',
    ],
    needs: ['drugs-and-alcohol'],
    extraNeeds: ['mental-wellbeing', 'parenting-and-families'],
    times: [weekly(['MO', 'TU', 'WE', 'TH', 'FR'], '18:00', '19:30'), weekly(weekdays, '10:00', '16:00', 5)],
    ages: [18, null],
    eligibility: ['Adults who are worried about their drinking or drug use, and their families.'],
    free: 1,
    modes: [['in_person'], ['in_person', 'phone']],
    venues: ['office', 'community centre', 'health centre'],
    contactTitle: 'Recovery worker',
  },
  {
    key: 'domestic-abuse',
    weight: 0,
    groupNames: [],
    serviceNames: ['Domestic abuse helpline', 'Freedom programme', 'Outreach support'],
    descriptions: [
      'Confidential support for anyone experiencing domestic abuse: safety planning, advice and a safe place to talk.',
      'A twelve-week group programme helping women understand and recover from abusive relationships.',
    ],
    needs: ['domestic-abuse'],
    extraNeeds: ['housing', 'legal-and-immigration', 'mental-wellbeing'],
    times: [weekly(weekdays, '09:00', '17:00', 5)],
    eligibility: ['Anyone affected by domestic abuse. Call us first: we will arrange where to meet.'],
    free: 1,
    modes: [['phone'], ['phone', 'in_person']],
    venues: ['office'],
    languages: [{ ...urdu, chance: 0.3 }, { ...punjabi, chance: 0.2 }, { ...polish, chance: 0.2 }],
    contactTitle: 'Helpline',
  },
  {
    key: 'employment',
    weight: 1,
    groupNames: ['{place} Job Club', '{place} Volunteer Centre'],
    serviceNames: ['Job club', 'Volunteering opportunities', 'Adult learning courses', 'Help into work'],
    descriptions: [
      'Help with CVs, job searches, applications and interview practice, with computers you can use.',
      'Find a volunteering role that suits you, with support to get started.',
      'Free short courses in English, maths, cooking on a budget and computer skills.',
    ],
    needs: ['employment-and-learning'],
    extraNeeds: ['digital-inclusion', 'money-and-debt'],
    times: [weekly(['MO', 'TU', 'WE', 'TH', 'FR'], '10:00', '12:30', 2)],
    ages: [16, null],
    eligibility: ['Adults looking for work, training or volunteering.'],
    free: 1,
    modes: [['in_person'], ['in_person', 'online']],
    venues: ['library', 'community centre', 'office'],
    languages: [{ ...urdu, chance: 0.1 }, { ...polish, chance: 0.1 }],
    contactTitle: 'Adviser',
  },
  {
    key: 'legal',
    weight: 0,
    groupNames: [],
    serviceNames: ['Immigration advice clinic', 'Legal advice clinic', 'Refugee and asylum seeker support'],
    descriptions: [
      'Free advice on immigration status, visas and the EU Settlement Scheme from regulated advisers.',
      'Free legal advice on housing, employment and discrimination problems, by appointment.',
    ],
    needs: ['legal-and-immigration'],
    extraNeeds: ['housing', 'money-and-debt'],
    times: [weekly(['TU', 'TH'], '10:00', '13:00'), monthly(['SA'], '10:00', '13:00')],
    ages: [18, null],
    eligibility: ['Anyone living in Wyndale. Book first.'],
    free: 1,
    modes: [['in_person', 'phone']],
    venues: ['office', 'library'],
    languages: [{ ...urdu, chance: 0.3 }, { name: 'Arabic', code: 'ar', chance: 0.3 }, { ...polish, chance: 0.2 }, { name: 'Romanian', code: 'ro', chance: 0.2 }],
    contactTitle: 'Advice clinic',
  },
  {
    key: 'social-prescribing',
    weight: 0,
    groupNames: [],
    serviceNames: ['Social prescribing link workers', 'Care coordination', 'Health and wellbeing coaching'],
    descriptions: [
      'Link workers spend time with you to find out what matters to you and connect you with local groups and support.',
      'Health and wellbeing coaches help you set goals and make changes to your health, at your own pace.',
    ],
    needs: ['loneliness', 'mental-wellbeing'],
    extraNeeds: ['money-and-debt', 'housing', 'physical-activity', 'carers', 'long-term-conditions'],
    times: [weekly(weekdays, '08:30', '17:00', 5)],
    ages: [18, null],
    eligibility: ["Patients registered with a GP practice in the network. Ask at reception, or your GP can refer you."],
    free: 1,
    modes: [['in_person', 'phone'], ['in_person', 'phone', 'online']],
    venues: ['health centre'],
    languages: [{ ...urdu, chance: 0.25 }, { ...punjabi, chance: 0.15 }],
    contactTitle: 'Social prescribing team',
  },
  {
    key: 'gp-clinic',
    weight: 0,
    groupNames: [],
    serviceNames: ['NHS Health Check', "Carers' health check", 'Patient participation group', 'Flu and COVID-19 vaccination clinic'],
    descriptions: [
      'A free check of your heart health and risk of diabetes, stroke and kidney disease, for adults aged 40 to 74.',
      'A yearly health check and support for patients who are unpaid carers.',
      'Patients meet the practice team to help improve services. New members welcome.',
    ],
    needs: ['long-term-conditions'],
    extraNeeds: ['carers', 'physical-activity'],
    times: [weekly(weekdays, '09:00', '12:00', 2), monthly(['TU', 'WE'], '18:00', '19:30')],
    eligibility: ['Patients registered with the practice.'],
    free: 1,
    modes: [['in_person']],
    venues: ['health centre'],
    contactTitle: 'Practice reception',
  },
];

export const activityByKey = new Map(activities.map((a) => [a.key, a]));

export const firstNames = [
  'Alys', 'Bryn', 'Cerys', 'Dev', 'Esme', 'Farah', 'Gethin', 'Hana', 'Idris', 'Jaz', 'Kit', 'Lowri', 'Mags', 'Nell',
  'Oisin', 'Priya', 'Quinn', 'Rafi', 'Sian', 'Tam', 'Uma', 'Viv', 'Wren', 'Yas', 'Zofia', 'Bea', 'Cal', 'Dot', 'Ezra', 'Fen',
];

export const closureReasons = [
  'Closed while the hall is being refurbished.',
  'Taking a break over the summer holidays.',
  'Paused while we recruit new volunteers.',
  'Closed while the venue roof is repaired.',
];

export const descriptionExtras = [
  'New members are always welcome.',
  'Tea, coffee and biscuits provided.',
  'You can come along without a referral.',
  'Please ring before your first visit so we can make you welcome.',
  'Run entirely by volunteers.',
  'Carers and friends are welcome to come too.',
  'Free parking nearby; on the 22 and 47 bus routes.',
  'A quiet room is available if you need a break.',
  '',
  '',
];
