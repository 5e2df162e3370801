/**
 * What a person sees in a terminal (issue 13 items 1–3): `coskit` run in a pseudo-terminal at 160
 * and 60 columns, its bytes rendered by a terminal emulator, and the resulting screen compared
 * line by line — finished lines intact and fitted, no leftovers of the live area, nothing stale
 * after Ctrl-C or a resize; honest resume figures; quiet when nothing happens.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type CliHarness, randomFile, startHarness } from './support/harness.js';
import { renderScreen, type Screen, startPty } from './support/pty.js';

const MiB = 1024 * 1024;
const BAR = /[█░]/;

let h: CliHarness;
/** Relative to the harness folder, where the commands run, as a person would type it. */
const folder = 'photos-2026';
const names: string[] = [];

before(async () => {
  h = await startHarness();
  // Names long enough to need shortening at 60 columns, one multipart file that keeps the bars up.
  for (let i = 0; i < 24; i++) {
    const name = `IMG_${String(i).padStart(4, '0')}-beach-sunset-panorama-${i % 3 === 0 ? 'raw' : 'edit'}.jpg`;
    names.push(name);
    await randomFile(join(h.dir, folder, name), 20_000 + i * 1000);
  }
  names.push('video/holiday-in-the-mountains-full-length.mp4');
  await randomFile(join(h.dir, folder, 'video/holiday-in-the-mountains-full-length.mp4'), 6 * MiB);
});
after(async () => {
  await h.close();
});

const KEPT = /^uploaded: (.+) -> (cos:\/\/\S+) \(([\d.]+ (?:B|KiB|MiB))(?:, [\d.]+ (?:B|KiB|MiB)\/s)?\)$/;

/** The rows between the first kept line and the end, checked to be clean; returns the kept lines. */
function checkClean(screen: Screen, cols: number): string[] {
  for (const row of screen.rows) assert.ok(row.length <= cols, `a row wider than ${cols}: ${row}`);
  const first = screen.lines.findIndex((l) => l.startsWith('uploaded: '));
  assert.ok(first >= 0, screen.lines.join('\n'));
  const tail = screen.lines.slice(first);
  for (const line of tail) {
    assert.ok(!BAR.test(line), `a leftover of the live area: ${line}`);
    assert.notEqual(line.trim(), '', `a blank row among the kept lines:\n${tail.join('\n')}`);
    assert.ok(!line.includes('^C'), `the echoed ^C stayed: ${line}`);
  }
  return tail.filter((l) => l.startsWith('uploaded: '));
}

async function upload(cols: number, bucket: string, extra: string[] = [], resize?: number) {
  const run = startPty(
    ['cp', '-r', folder, `cos://${bucket}/album/`, '--rate-limit', '2M', '--part-size', '1', ...extra],
    {
      cols,
      rows: 30,
      env: h.env,
      cwd: h.dir,
      ...(resize ? { resize: { cols: resize, when: /uploaded: / } } : {}),
    },
  );
  const { code, raw } = await run.done;
  const screen = await renderScreen(raw, { cols, rows: 30, ...(resize ? { resizeTo: resize } : {}) });
  return { code, raw, screen };
}

test('160 columns: the live area is drawn, then only intact full-length kept lines and the summary stay', async () => {
  const bucket = await h.bucket();
  const { code, raw, screen } = await upload(160, bucket);
  assert.equal(code, 0, screen.lines.join('\n'));
  assert.match(raw, /ETA \d+s/, 'an ETA was shown');
  assert.ok(BAR.test(raw), 'bars were drawn');
  const kept = checkClean(screen, 160);
  assert.equal(kept.length, names.length, kept.join('\n'));
  const seen = new Set<string>();
  for (const line of kept) {
    const m = KEPT.exec(line);
    assert.ok(m, `not a whole kept line: ${line}`);
    if (line.includes('.jpg')) assert.ok(!line.includes('…'), `shortened although it fits: ${line}`);
    seen.add(m[2]!.split(/[/…]/).at(-1)!);
  }
  assert.deepEqual([...seen].sort(), names.map((n) => n.split('/').at(-1)).sort());
  const last = screen.lines.at(-1)!;
  assert.match(
    last,
    /^done: 25 uploaded \(6\.\d+ MiB\), 0 skipped, 0 failed in [\d.]+ s; 6\.\d+ MiB sent \([\d.]+ (KiB|MiB)\/s\)$/,
  );
});

test('60 columns, and a resize from 160 to 60: kept lines fit and keep their destination; the bar keeps its ETA', async () => {
  const bucket = await h.bucket();
  const { code, raw, screen } = await upload(160, bucket, [], 60);
  assert.equal(code, 0, screen.lines.join('\n'));
  // (The screen around the resize is not compared: the test can only resize its emulator near the
  // moment the pty is resized, and a frame drawn in between lands at the wrong width.)
  const kept = screen.lines.filter((l) => l.startsWith('uploaded: '));
  assert.ok(kept.length >= names.length - 2, kept.join('\n'));
  // The resize comes when the first file is kept, normally with the live area on screen and the
  // 6 MiB file (3 s at 2 MiB/s) still going. The CLI handles it by erasing its live area in one
  // `\r ESC[nA ESC[J`; every kept line printed after that must fit the new width. (Should the
  // live area not be on screen yet at the marker, the CLI draws it at 60 columns or erases it on
  // SIGWINCH: the lines after that erase, or all after the marker, must fit.)
  const marker = raw.indexOf('coskit-test-resize');
  const afterMarker = raw.slice(marker);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the erase sequence is what is matched
  const erase = afterMarker.search(/\r\u001b\[\d+A\u001b\[J/);
  if (BAR.test(raw.slice(0, marker)))
    assert.ok(erase >= 0, 'the CLI erased its live area when the terminal was resized');
  const handled = Math.max(0, erase);
  const printedAfter = (afterMarker.slice(handled).match(/uploaded: /g) ?? []).length;
  assert.ok(printedAfter >= 1, 'the multipart file finished after the resize');
  const late = kept.slice(-printedAfter);
  assert.ok(late.at(-1)?.includes('.mp4'), `the last kept line is the multipart file: ${late.at(-1)}`);
  for (const line of late) {
    assert.ok(line.length <= 59, `a kept line written after the resize is wider than 60: ${line}`);
    const m = KEPT.exec(line);
    assert.ok(m, `not a whole kept line: ${line}`);
    assert.match(m[2]!, /^cos:\/\/.*(\.jpg|\.mp4)$/, `destination kept with its extension: ${line}`);
  }
  // Frames drawn at 60 columns: the overall line still has its ETA.
  const narrowFrames = raw.slice(raw.indexOf('coskit-test-resize')).match(/ETA (\d+s|-)/g) ?? [];
  assert.ok(narrowFrames.length > 0, 'the overall line at 60 columns shows the ETA');

  const narrow = await upload(60, await h.bucket());
  assert.equal(narrow.code, 0);
  const keptNarrow = checkClean(narrow.screen, 60);
  assert.equal(keptNarrow.length, names.length);
  for (const line of keptNarrow) {
    assert.ok(line.length <= 59, `a kept line wraps at 60 columns: ${line}`);
    const m = KEPT.exec(line);
    assert.ok(m, `not a whole kept line: ${line}`);
    assert.match(
      line,
      /(\.jpg|\.mp4) -> cos:\/\/\S*(\.jpg|\.mp4) \(/,
      `both names keep their extension: ${line}`,
    );
  }
  assert.ok(
    keptNarrow.some((l) => l.includes('…')),
    'long names are shortened in the middle',
  );
});

test('Ctrl-C: the live area and the echoed ^C are erased, the resume hint is the last line; the re-run says what it reuses', async () => {
  const bucket = await h.bucket();
  const big = join(h.dir, 'interrupt', 'disk-image-of-the-old-laptop.iso');
  // Above the 20 MiB single-PUT threshold: multipart, so resumable.
  await randomFile(big, 24 * MiB);
  const args = ['cp', big, `cos://${bucket}/`, '--rate-limit', '4M', '--part-size', '1', '--threads', '2'];
  const run = startPty(args, { cols: 60, rows: 20, env: h.env });
  await run.waitFor(/ETA \d+s/);
  await run.waitFor(/ [4-9]\.\d+ MiB\/24\.0 MiB/);
  run.type('\u0003');
  const { code, raw } = await run.done;
  assert.equal(code, 130);
  const screen = await renderScreen(raw, { cols: 60, rows: 20 });
  for (const line of screen.lines) {
    assert.ok(!BAR.test(line), `a stale bar: ${line}`);
    assert.ok(!line.includes('^C'), `the echoed ^C stayed: ${line}`);
  }
  assert.deepEqual(
    screen.lines.filter((l) => l.trim() !== ''),
    ['interrupted: run the same command again to resume'],
  );

  const again = startPty(args, { cols: 60, rows: 20, env: h.env });
  const second = await again.done;
  assert.equal(second.code, 0);
  const lines = (await renderScreen(second.raw, { cols: 60, rows: 20 })).lines.filter((l) => l.trim() !== '');
  const resume = lines.find((l) => l.startsWith('resuming: '));
  assert.ok(resume, lines.join('\n'));
  const m = /: ([\d.]+) MiB of 24\.0 MiB already uploaded$/.exec(resume);
  assert.ok(m && Number(m[1]) >= 2 && Number(m[1]) < 24, resume);
  const summary = lines.at(-1)!;
  const sent = /; ([\d.]+) MiB sent \(([\d.]+) (KiB|MiB)\/s\)$/.exec(summary);
  assert.ok(sent, summary);
  assert.ok(Number(sent[1]) <= 24 - Number(m[1]) + 0.01, `only the rest is sent: ${summary}`);
  // The rate limit is 4 MiB/s per request, 2 requests: an honest speed cannot pass 8 MiB/s by much.
  const rate = Number(sent[2]) / (sent[3] === 'KiB' ? 1024 : 1);
  assert.ok(rate < 10, `speed counts only this run's bytes: ${summary}`);
  // The bars' speed is the same figure as the summary's (both: bytes of this run over its time).
  const barRates = [...second.raw.matchAll(/ ([\d.]+) (KiB|MiB)\/s {2}ETA/g)].map(
    (x) => Number(x[1]) / (x[2] === 'KiB' ? 1024 : 1),
  );
  assert.ok(barRates.length > 0 && barRates.every((r) => r < 10), `bar speeds ${barRates.join(', ')}`);
  assert.deepEqual(
    (await h.get(bucket, 'disk-image-of-the-old-laptop.iso')).length,
    24 * MiB,
    'the object is whole',
  );
});

test('quiet when nothing happens: skipped files are counted, listed with -v; --no-progress keeps lines; -q errors only', async () => {
  const bucket = await h.bucket();
  const dest = `cos://${bucket}/album/`;
  const first = await h.run(['sync', folder, dest], { cwd: h.dir });
  assert.equal(first.code, 0, first.stderr);

  const pty = startPty(['sync', folder, dest], { cols: 100, rows: 30, env: h.env, cwd: h.dir });
  const { code, raw } = await pty.done;
  assert.equal(code, 0);
  const lines = (await renderScreen(raw, { cols: 100, rows: 30 })).lines.filter((l) => l.trim() !== '');
  assert.deepEqual(lines.length, 1, lines.join('\n'));
  assert.match(lines[0]!, /^done: 0 uploaded \(0 B\), 25 skipped, 0 failed/);

  const verbose = await h.run(['sync', folder, dest, '-v'], { cwd: h.dir });
  assert.equal(
    verbose.stdout
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('skipped: ')).length,
    25,
  );

  const plain = startPty(['cp', '-r', folder, `cos://${bucket}/again/`, '--no-progress'], {
    cols: 100,
    rows: 30,
    env: h.env,
    cwd: h.dir,
  });
  const p = await plain.done;
  assert.equal(p.code, 0);
  assert.ok(!BAR.test(p.raw), 'no bars with --no-progress');
  const plainLines = (await renderScreen(p.raw, { cols: 100, rows: 30 })).lines;
  assert.equal(plainLines.filter((l) => KEPT.test(l)).length, 25);

  const quiet = await h.run(['cp', '-r', folder, `cos://${bucket}/q/`, '-q'], { cwd: h.dir });
  assert.equal(quiet.code, 0);
  assert.equal(quiet.stdout + quiet.stderr, '', 'nothing but errors with -q');
  const failing = await h.run(['cp', '-r', folder, 'cos://nosuchbucket-1250000000/q/', '-q'], { cwd: h.dir });
  assert.notEqual(failing.code, 0);
  assert.match(failing.stderr, /NoSuchBucket|does not exist/);
});
