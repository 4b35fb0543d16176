// Adds up the counts of every suite (jest JSON, Python JSON, plain checks) into the closing line.
const fs = require('node:fs');

const [jestFile, pythonFile, checksFile] = process.argv.slice(2);
const total = { passed: 0, failed: 0, skipped: 0 };
const add = (label, c) => {
  console.log(`${label}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
};
const read = (f) => (f && fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : null);

const jest = read(jestFile);
// The failing tests by name: the jest output above is cut to its tail.
for (const suite of jest?.testResults ?? []) {
  const file = suite.name.replace(`${process.cwd()}/`, '');
  if (suite.status === 'failed' && !suite.assertionResults.some((a) => a.status === 'failed'))
    console.log(`failed: ${file} (${suite.message.split('\n')[0]})`);
  for (const a of suite.assertionResults) if (a.status === 'failed') console.log(`failed: ${file} › ${a.fullName}`);
}
if (jest)
  add('jest', {
    passed: jest.numPassedTests,
    failed: jest.numFailedTests + (jest.numRuntimeErrorTestSuites || 0),
    skipped: jest.numPendingTests + jest.numTodoTests,
  });
else add('jest', { passed: 0, failed: 1, skipped: 0 });
const py = read(pythonFile);
add('python', py || { passed: 0, failed: 1, skipped: 0 });
const checks = fs.existsSync(checksFile) ? fs.readFileSync(checksFile, 'utf8').trim().split('\n').filter(Boolean) : [];
add('checks', {
  passed: checks.filter((l) => l.startsWith('pass ')).length,
  failed: checks.filter((l) => l.startsWith('fail ')).length,
  skipped: 0,
});
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exitCode = total.failed ? 1 : 0;
