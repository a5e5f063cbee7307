export { getProgram, updateProgram, toProgram, DEFAULT_PROGRAM_SETTINGS } from './program.ts';
export * from './program.contract.ts';
