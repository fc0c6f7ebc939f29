// Ends the run with one plain line, "console: N passed, N failed" (", N skipped" when some were), and the
// time the tests took, so a log reader (and CI) sees the count without parsing Playwright's own summary.
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

export default class SummaryReporter implements Reporter {
  private readonly outcomes = new Map<string, TestResult['status']>();
  private started = Date.now();

  onBegin(): void {
    this.started = Date.now();
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    this.outcomes.set(test.id, result.status);
  }

  onEnd(result: FullResult): void {
    const outcomes = [...this.outcomes.values()];
    if (outcomes.length === 0) {
      process.stdout.write(`\nconsole tests: none ran (${result.status})\n`);
      return;
    }
    const passed = outcomes.filter((status) => status === 'passed').length;
    const skipped = outcomes.filter((status) => status === 'skipped').length;
    const failed = outcomes.length - passed - skipped;
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    process.stdout.write(`\nconsole tests took ${seconds} s\n`);
    process.stdout.write(
      `console: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
    );
  }
}
