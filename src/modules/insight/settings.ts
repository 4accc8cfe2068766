/**
 * The settings of care an extract can come from, as Source (Public Health Scotland) groups them:
 * each has a code used in file layouts and URLs, the side of the system it belongs to, and the unit
 * its activity is counted in (the unit a unit cost prices).
 */
export const settings = {
  'inpatient-elective': { name: 'Hospital inpatient, elective', side: 'health', unit: 'bed days' },
  'inpatient-emergency': { name: 'Hospital inpatient, emergency', side: 'health', unit: 'bed days' },
  outpatient: { name: 'Outpatients', side: 'health', unit: 'attendances' },
  ae: { name: 'A&E (accident and emergency)', side: 'health', unit: 'attendances' },
  'gp-ooh': { name: 'GP out of hours', side: 'health', unit: 'consultations' },
  prescribing: { name: 'Prescribing', side: 'health', unit: 'items' },
  'community-nursing': { name: 'Community and district nursing', side: 'health', unit: 'contacts' },
  'mental-health': { name: 'Mental health', side: 'health', unit: 'contacts' },
  'care-home': { name: 'Care home', side: 'social', unit: 'weeks' },
  'home-care': { name: 'Home care', side: 'social', unit: 'hours' },
  reablement: { name: 'Reablement', side: 'social', unit: 'hours' },
  telecare: { name: 'Telecare', side: 'social', unit: 'weeks' },
  'day-care': { name: 'Day care', side: 'social', unit: 'days' },
} as const;

export type SettingCode = keyof typeof settings;
export const settingCodes = Object.keys(settings) as SettingCode[];
export const isSettingCode = (code: string): code is SettingCode => code in settings;

/** Age bands of the published outputs. */
export const ageBands = ['0-17', '18-64', '65-74', '75-84', '85+'] as const;

/** "2025-26" for the financial year starting April 2025. */
export const financialYearLabel = (startYear: number) => `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`;
