/**
 * kill -9 in the middle of versioned writes and deletes (issue 11 item 5): concurrent PUTs in an
 * Enabled bucket, delete markers, deletes of versions for good (some shared with copies). After a
 * restart every acknowledged version is there with its bytes, every acknowledged version delete
 * stayed deleted, every listed version reads back whole, and deleting every version leaves no
 * blob file behind (none freed early, none leaked).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import * as crash from './support/crash-server.js';
import { call, REGION } from './support/harness.js';

const Bucket = 'crashver-1250000000';

interface Written {
  key: string;
  body: Buffer;
  versionId?: string;
  acked: boolean;
}

test(
  'kill -9 during versioned PUTs, delete markers and version deletes: acknowledged versions survive whole, nothing leaks',
  { timeout: 120_000 },
  () =>
    crash.withDataDir('coskit-crash-versions-', async (dataDir) => {
      const server = await crash.spawnServer(dataDir);
      const cos = crash.client(server.port);
      assert.equal((await call(cos, 'putBucket', { Bucket, Region: REGION })).err, null);
      assert.equal(
        (
          await call(cos, 'putBucketVersioning', {
            Bucket,
            Region: REGION,
            VersioningConfiguration: { Status: 'Enabled' },
          })
        ).err,
        null,
      );
      const written: Written[] = [];
      const put = async (key: string) => {
        const w: Written = { key, body: randomBytes(1 + Math.floor(Math.random() * 60_000)), acked: false };
        written.push(w);
        const r = await call(cos, 'putObject', { Bucket, Region: REGION, Key: key, Body: w.body });
        if (r.err) return false;
        w.versionId = r.data.headers['x-cos-version-id'];
        w.acked = true;
        return true;
      };
      // Versions to delete during the crash phase, some shared by copies made now.
      for (let i = 0; i < 30; i++) await put(`doomed/${i % 10}`);
      const copies: { key: string; from: Written }[] = [];
      for (const from of written.slice(0, 10)) {
        const key = `copy/${from.key}`;
        const r = await call(cos, 'putObjectCopy', {
          Bucket,
          Region: REGION,
          Key: key,
          CopySource: `${Bucket}.cos.${REGION}.myqcloud.com/${from.key}?versionId=${from.versionId}`,
        });
        assert.equal(r.err, null);
        copies.push({ key, from });
      }
      const doomed = written.filter((w) => w.acked);
      const versionDeletes: { w: Written; acked: boolean }[] = [];
      const markers: { key: string; versionId?: string; acked: boolean }[] = [];
      let stop = false;
      const putLoop = async (worker: number) => {
        for (let i = 0; !stop; i++) if (!(await put(`live/${worker}-${i % 5}`))) return;
      };
      const deleteVersionLoop = async () => {
        for (const w of doomed) {
          if (stop) return;
          const d = { w, acked: false };
          versionDeletes.push(d);
          const r = await call(cos, 'deleteObject', {
            Bucket,
            Region: REGION,
            Key: w.key,
            VersionId: w.versionId,
          });
          if (r.err) return;
          d.acked = true;
        }
      };
      const markerLoop = async () => {
        for (let i = 0; !stop; i++) {
          const m: { key: string; versionId?: string; acked: boolean } = {
            key: `live/0-${i % 5}`,
            acked: false,
          };
          markers.push(m);
          const r = await call(cos, 'deleteObject', { Bucket, Region: REGION, Key: m.key });
          if (r.err) return;
          m.versionId = r.data.headers['x-cos-version-id'];
          m.acked = true;
        }
      };
      const loops = [putLoop(0), putLoop(1), putLoop(2), deleteVersionLoop(), markerLoop()];
      const acked = () =>
        written.filter((w) => w.acked).length + versionDeletes.filter((d) => d.acked).length;
      await crash.killWhenAcknowledged(server, {
        acked,
        atLeast: 60,
        jitterMs: 300,
        stop: () => {
          stop = true;
        },
        loops,
      });
      assert.ok(acked() >= 60, `only ${acked()} writes and deletes were acknowledged before the kill`);

      await crash.withRestarted(dataDir, async (check) => {
        const read = (key: string, versionId?: string) =>
          call(check, 'getObject', {
            Bucket,
            Region: REGION,
            Key: key,
            ...(versionId ? { VersionId: versionId } : {}),
          });
        const deletedForGood = new Set(versionDeletes.filter((d) => d.acked).map((d) => d.w.versionId));
        for (const w of written.filter((x) => x.acked)) {
          const r = await read(w.key, w.versionId);
          if (deletedForGood.has(w.versionId)) {
            assert.equal(
              r.err?.statusCode,
              404,
              `${w.key}@${w.versionId} was deleted for good, acknowledged`,
            );
            continue;
          }
          if (versionDeletes.some((d) => d.w === w)) {
            // A delete in flight at the kill: the version is gone or whole.
            if (r.err) continue;
          }
          assert.equal(r.err, null, `acknowledged version ${w.key}@${w.versionId} is missing`);
          assert.ok((r.data.Body as Buffer).equals(w.body), `${w.key}@${w.versionId} is torn`);
        }
        for (const c of copies) {
          const r = await read(c.key);
          assert.equal(r.err, null, `${c.key} lost its bytes`);
          assert.ok((r.data.Body as Buffer).equals(c.from.body));
        }
        // Every listed version and marker is whole and readable; acknowledged markers are listed.
        const listed: { Key: string; VersionId: string; marker: boolean }[] = [];
        let keyMarker = '';
        let versionIdMarker = '';
        for (;;) {
          const page = await call(check, 'listObjectVersions', {
            Bucket,
            Region: REGION,
            MaxKeys: 1000,
            KeyMarker: keyMarker || undefined,
            VersionIdMarker: versionIdMarker || undefined,
          });
          assert.equal(page.err, null);
          for (const v of page.data.Versions)
            listed.push({ Key: v.Key, VersionId: v.VersionId, marker: false });
          for (const d of page.data.DeleteMarkers)
            listed.push({ Key: d.Key, VersionId: d.VersionId, marker: true });
          if (page.data.IsTruncated !== 'true') break;
          keyMarker = page.data.NextKeyMarker;
          versionIdMarker = page.data.NextVersionIdMarker ?? '';
        }
        const byVersion = new Map(written.map((w) => [w.versionId, w]));
        for (const v of listed.filter((e) => !e.marker && !e.Key.startsWith('copy/'))) {
          const w = byVersion.get(v.VersionId);
          const r = await read(v.Key, v.VersionId);
          assert.equal(r.err, null, `listed ${v.Key}@${v.VersionId} does not read`);
          if (w) assert.ok((r.data.Body as Buffer).equals(w.body), `listed ${v.Key}@${v.VersionId} is torn`);
          else
            assert.ok(
              written.some((x) => x.key === v.Key && !x.acked && (r.data.Body as Buffer).equals(x.body)),
            );
        }
        const listedMarkers = new Set(listed.filter((e) => e.marker).map((e) => e.VersionId));
        for (const m of markers.filter((x) => x.acked))
          assert.ok(
            listedMarkers.has(m.versionId!),
            `acknowledged delete marker ${m.key}@${m.versionId} is missing`,
          );
        // Deleting every version and marker leaves no blob file: the shared counts survived.
        for (const e of listed) {
          const r = await call(check, 'deleteObject', {
            Bucket,
            Region: REGION,
            Key: e.Key,
            VersionId: e.VersionId,
          });
          assert.equal(r.err, null);
        }
        assert.equal(await crash.blobFiles(dataDir), 0, 'a blob leaked or the counts were wrong');
      });
    }),
);
