export { createProgram, getProgram, updateProgram, toProgram, programZone, bumpProgramVersion, DEFAULT_PROGRAM_SETTINGS } from './program.ts';
export * from './program.contract.ts';
