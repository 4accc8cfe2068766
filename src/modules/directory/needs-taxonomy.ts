/**
 * The plain-English needs taxonomy link workers use. Its ids never change: other systems, imports
 * and referrals keep them. The migration 0003 loads exactly this list.
 */
export const NEEDS_TAXONOMY_ID = '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b0001';

export const needs: { id: string; code: string; name: string; description: string }[] = [
  { id: '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1001', code: 'loneliness', name: 'Loneliness and isolation', description: 'Company, befriending, clubs and groups to meet people.' },
  { id: '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1002', code: 'physical-activity', name: 'Physical activity', description: 'Walking groups, exercise classes, sport and getting active.' },
  { id: '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1003', code: 'mental-wellbeing', name: 'Mental wellbeing', description: 'Talking groups, peer support, mindfulness and feeling better.' },
  { id: '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1004', code: 'money-and-debt', name: 'Money and debt', description: 'Benefits advice, debt help, budgeting and grants.' },
  { id: '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1005', code: 'housing', name: 'Housing', description: 'Housing advice, repairs, adaptations and homelessness support.' },
  { id: '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1006', code: 'carers', name: 'Carers', description: 'Support, breaks and advice for unpaid carers.' },
  { id: '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1007', code: 'dementia', name: 'Dementia', description: 'Memory cafés, dementia support and activities for people living with dementia.' },
  { id: '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1008', code: 'food', name: 'Food', description: 'Food banks, community meals, lunch clubs and cooking skills.' },
  { id: '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1009', code: 'digital-inclusion', name: 'Digital inclusion', description: 'Help getting online, devices, data and digital skills.' },
  { id: '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1010', code: 'employment-and-learning', name: 'Employment and learning', description: 'Volunteering, training, adult learning and help into work.' },
  { id: '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1011', code: 'long-term-conditions', name: 'Living with a long-term condition', description: 'Self-management courses and support groups for health conditions.' },
  { id: '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1012', code: 'bereavement', name: 'Bereavement', description: 'Support after the death of someone close.' },
  { id: '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1013', code: 'drugs-and-alcohol', name: 'Drugs and alcohol', description: 'Support to cut down or stop, and for families.' },
  { id: '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1014', code: 'domestic-abuse', name: 'Domestic abuse', description: 'Safety, advice and support for people experiencing abuse.' },
  { id: '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1015', code: 'arts-and-creativity', name: 'Arts and creativity', description: 'Art, music, crafts, singing and creative groups.' },
  { id: '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1016', code: 'nature-and-green-spaces', name: 'Nature and green spaces', description: 'Gardening, conservation volunteering and time outdoors.' },
  { id: '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1017', code: 'transport', name: 'Transport', description: 'Community transport and help getting to appointments and activities.' },
  { id: '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1018', code: 'practical-help-at-home', name: 'Practical help at home', description: 'Shopping, small repairs, cleaning and staying safe and well at home.' },
  { id: '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1019', code: 'parenting-and-families', name: 'Parenting and families', description: 'Parent groups, family support and activities for children.' },
  { id: '6c0f4a52-8c1e-4b7a-9d0e-2a6f3e1b1020', code: 'legal-and-immigration', name: 'Legal and immigration advice', description: 'Advice on rights, immigration and legal problems.' },
];
