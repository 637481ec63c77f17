// The deviation workflow: one state machine and the changes that the API offers.
export * from './actor.ts';
export * from './contributions.ts';
export * from './errors.ts';
export * from './ownership.ts';
export * from './provenance.ts';
export * from './report.ts';
export * from './state-machine.ts';
export * from './status.ts';
