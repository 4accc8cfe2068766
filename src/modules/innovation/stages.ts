/** A programme moves through these stages; what participants can do follows the stage. */
export const stages = ['ideas_open', 'teams_forming', 'development', 'investment_day', 'delivery', 'evaluation', 'closed'] as const;
export type Stage = (typeof stages)[number];

export const stageNames: Record<Stage, string> = {
  ideas_open: 'Ideas open',
  teams_forming: 'Teams forming',
  development: 'Development',
  investment_day: 'Investment Day',
  delivery: 'Delivery',
  evaluation: 'Evaluation',
  closed: 'Closed',
};

export const stageDescriptions: Record<Stage, string> = {
  ideas_open: 'Anyone taking part, and the community through the public form, can suggest ideas. Others comment and support them.',
  teams_forming: 'Shortlisted ideas become teams with members from one or more organisations.',
  development: 'Teams develop their ideas through workshops, coaching and mentoring, help each other, and write their investment cases.',
  investment_day: 'The investment team scores the cases and decides how to allocate the fund.',
  delivery: 'Funded ideas run as tests of change, with milestones and progress updates.',
  evaluation: 'Projects report their results and the programme decides what to scale, adapt or stop.',
  closed: 'The programme has finished. Everything can still be read and reported on.',
};

export type Activity =
  | 'submit_idea'
  | 'discuss_idea'
  | 'shortlist'
  | 'form_team'
  | 'run_sessions'
  | 'needs_offers'
  | 'write_case'
  | 'score'
  | 'decide'
  | 'vote'
  | 'run_projects'
  | 'end_project';

/** Which stages each activity is open in. */
const openIn: Record<Activity, Stage[]> = {
  submit_idea: ['ideas_open'],
  discuss_idea: ['ideas_open', 'teams_forming'],
  shortlist: ['ideas_open', 'teams_forming'],
  form_team: ['teams_forming', 'development'],
  run_sessions: ['teams_forming', 'development', 'investment_day', 'delivery', 'evaluation'],
  needs_offers: ['teams_forming', 'development', 'investment_day', 'delivery', 'evaluation'],
  write_case: ['development', 'investment_day'],
  score: ['investment_day'],
  decide: ['investment_day'],
  vote: ['investment_day'],
  run_projects: ['investment_day', 'delivery', 'evaluation'],
  end_project: ['delivery', 'evaluation'],
};

export const activityNames: Record<Activity, string> = {
  submit_idea: 'Ideas can be submitted',
  discuss_idea: 'Ideas can be commented on and supported',
  shortlist: 'Ideas can be shortlisted',
  form_team: 'Teams can be formed',
  run_sessions: 'Sessions can be arranged',
  needs_offers: 'Needs and offers can be posted',
  write_case: 'Investment cases can be written',
  score: 'Cases can be scored',
  decide: 'Investment decisions can be made',
  vote: 'The community vote can run',
  run_projects: 'Projects can be updated',
  end_project: 'Projects can be ended with a decision',
};

export function isOpen(stage: Stage, activity: Activity): boolean {
  return openIn[activity].includes(stage);
}

/** The stages an activity is open in, as words for a refusal message. */
export function whenOpen(activity: Activity): string {
  const names = openIn[activity].map((s) => stageNames[s]);
  return names.length === 1 ? `the ${names[0]} stage` : `the ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]} stages`;
}
