/** `hostlint/testing`: test helpers for rule authors. */
export { DEFAULT_FILENAMES, RuleTester, messageIdOf, runCase, type CaseRun, type ExpectedError, type InvalidCase, type RuleTests, type ValidCase } from './rule-tester.js';
