import { needs } from '../directory/index.ts';
import { formatNhsNumber } from './nhs-number.ts';

/** Plain-English words for stored codes, shared by the pages. */
export const caseStatusNames: Record<string, string> = { new: 'New', contacting: 'Contacting', active: 'Active', on_hold: 'On hold', closed: 'Closed' };
const caseStatusColours: Record<string, string> = { new: 'blue', contacting: 'yellow', active: 'green', on_hold: 'grey', closed: 'white' };
const sourceNames: Record<string, string> = { gp: 'GP practice', other_organisation: 'Other organisation', self: 'Self-referral' };
export const declineReasonNames: Record<string, string> = { person_declined: 'The person declined', not_eligible: 'Not eligible', could_not_contact: 'Could not contact after three attempts' };
export const contactMethodNames: Record<string, string> = { phone: 'Phone', video: 'Video', face_to_face: 'Face to face', home_visit: 'Home visit' };
export const contactOutcomeNames: Record<string, string> = { attempted: 'Attempted (did not speak)', made: 'Spoke to them' };
export const preferredContactNames: Record<string, string> = { phone: 'Phone call', text: 'Text message', email: 'Email', letter: 'Letter' };
const consentKindNames: Record<string, string> = { contact: 'To be contacted by the link worker team', share_with_organisation: 'To share details with an organisation', share_outcomes_with_gp: 'To share outcomes with their GP' };
export const shareableFieldNames: Record<string, string> = { name: 'Name', date_of_birth: 'Date of birth', phone: 'Phone number', email: 'Email address', address: 'Address', communication_needs: 'Communication needs', reasons: 'Reasons for referral' };
export const attendanceNames: Record<string, string> = { started: 'Started', attending: 'Attending', stopped: 'Stopped', did_not_attend: 'Did not attend' };
export const cohortOutcomeNames: Record<string, string> = { no_answer: 'No answer – try again', no_needs: 'No needs', needs_support: 'Needs support', declined: 'Declined' };
export const goalStatusNames: Record<string, string> = { working_on: 'Working on it', achieved: 'Achieved', dropped: 'No longer a goal' };
export const stageNames: Record<string, string> = { start: 'Start', review: 'Review', end: 'End' };
/** How onward referrals ended, for reports. */
export const onwardOutcomeNames: Record<string, string> = {
  signposted: 'Signposted',
  sent: 'Waiting for an answer',
  no_response: 'No response',
  accepted: 'Accepted',
  declined: 'Declined',
  started: 'Started',
  attending: 'Attending',
  stopped: 'Stopped',
  did_not_attend: 'Did not attend',
};
export const onwardStatusNames: Record<string, string> = { given: 'Information given', ...onwardOutcomeNames, sent: 'Waiting for an answer', not_sent: 'Not sent yet' };
const onwardStatusColours: Record<string, string> = { given: 'grey', sent: 'yellow', accepted: 'green', declined: 'red', no_response: 'orange', not_sent: 'grey' };

export const needName = (id: string) => needs.find((n) => n.id === id)?.name ?? 'Unknown need';

/** Values for the templates: every label map and formatter in one object. */
export const labels = {
  caseStatusNames,
  caseStatusColours,
  sourceNames,
  declineReasonNames,
  contactMethodNames,
  contactOutcomeNames,
  preferredContactNames,
  consentKindNames,
  shareableFieldNames,
  attendanceNames,
  cohortOutcomeNames,
  goalStatusNames,
  stageNames,
  onwardStatusNames,
  onwardStatusColours,
  needName,
  nhs: formatNhsNumber,
};

export const options = (map: Record<string, string>, selected?: unknown) => Object.entries(map).map(([value, text]) => ({ value, text, checked: selected === value, selected: selected === value }));
export const needOptions = (selected: unknown) => {
  const chosen = Array.isArray(selected) ? selected : selected ? [selected] : [];
  return needs.map((n) => ({ value: n.id, text: n.name, hint: { text: n.description }, checked: chosen.includes(n.id) }));
};
