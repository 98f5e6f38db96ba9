import type { Reporter, TestModule } from 'vitest/node';

/**
 * Adds one plain closing line, `Tests: N passed, N failed, N skipped`, after vitest's own
 * summary, so tools that read a run's last lines (our CI among them) can count the tests.
 */
export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const { state } = test.result();
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
      }
    }
    // At exit, so it comes after vitest's own summary and is the very last line.
    process.once('exit', () => process.stdout.write(`Tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`));
  }
}
