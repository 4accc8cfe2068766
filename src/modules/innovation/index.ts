/** Innovation programmes: ideas, teams, investment cases, scoring, decisions, projects. */
export { innovationModule } from './innovation.module.ts';
