/** VirStream.abort: readers of either direction see the reason; a direction nobody reads stays quiet. */
import { VirStream } from '../src/stream';

test('abort with nobody reading the download raises no error event', async () => {
  const s = new VirStream();
  const uploadErrors: Error[] = [];
  s.upload.on('error', (e) => uploadErrors.push(e));
  // Without a listener an 'error' event is thrown out of destroy's tick as an uncaught exception;
  // jest reports those as a failure of this test.
  s.abort(new Error('client aborted'));
  await new Promise((r) => setImmediate(r));
  expect(s.download.destroyed).toBe(true);
  expect(s.upload.destroyed).toBe(true);
  expect(uploadErrors.map((e) => e.message)).toEqual(['client aborted']);
});

test('a reader iterating the download gets the abort reason', async () => {
  const s = new VirStream();
  s.download.write(Buffer.from('partial'));
  const reading = s.receiveAll();
  await new Promise((r) => setImmediate(r));
  s.abort(new Error('driver gave up'));
  await expect(reading).rejects.toThrow('driver gave up');
});
