#!/usr/bin/env python3
"""Every call of the seed page (the COS Python SDK's object-upload page), with every parameter it
lists, made by the official COS Python SDK against a running `coskit serve`; each result checked
(bytes read back, headers, progress, resume, batch). CI cannot install the SDK, so this is run by
hand; see README ("The official Python SDK against coskit serve").

    git clone https://github.com/tencentyun/cos-python-sdk-v5 /tmp/cos-python-sdk-v5
    apt install python3-requests python3-xmltodict python3-six python3-crcmod
    npx coskit serve --port 9000 --data /tmp/coskit-data &
    COS_PYTHON_SDK=/tmp/cos-python-sdk-v5 /usr/bin/python3 scripts/official-python-sdk-walkthrough.py 9000

Exit code 0 when every check held, 1 otherwise.
"""
import hashlib, io, os, sys, tempfile
sys.path.insert(0, os.environ.get('COS_PYTHON_SDK', '.'))
from qcloud_cos import CosConfig, CosS3Client
from qcloud_cos.cos_exception import CosServiceError, CosClientError
from qcloud_cos.cos_threadpool import SimpleThreadPool
port = int(sys.argv[1]) if len(sys.argv) > 1 else 9000
tmp = tempfile.mkdtemp(prefix='coskit-python-sdk-')
config = CosConfig(Region='ap-guangzhou', SecretId='AKIDCOSKITDEVELOPMENT0000000000000000',
                   SecretKey='coskit-development-secret-key-000', Scheme='http', IP='127.0.0.1', Port=port)
client = CosS3Client(config)
B = 'examplebucket-1250000000'
try: client.create_bucket(Bucket=B)
except CosServiceError as e: print('create', e.get_error_code())
fails = []
checks = [0]
def check(name, cond, detail=''):
    checks[0] += 1
    print(('ok   ' if cond else 'FAIL ') + name + ('' if cond else ' ' + str(detail)))
    if not cond: fails.append(name)
def body(key):
    return client.get_object(Bucket=B, Key=key)['Body'].get_raw_stream().read()

# put_object bytes with every parameter
r = client.put_object(Bucket=B, Body=b'b'*1024, Key='exampleobject', EnableMD5=True, ACL='public-read',
    GrantFullControl='id="100000000001"', GrantRead='id="100000000001"', StorageClass='STANDARD_IA',
    Expires='Wed, 21 Oct 2035 07:28:00 GMT', CacheControl='no-cache', ContentType='text/plain',
    ContentDisposition='attachment; filename=a.txt', ContentEncoding='identity', ContentLanguage='zh-CN',
    ContentLength='1024', Metadata={'x-cos-meta-key1': 'value1', 'x-cos-meta-key2': 'value2'}, TrafficLimit='819200')
check('put_object bytes ETag', r['ETag'].strip('"') == hashlib.md5(b'b'*1024).hexdigest(), r)
h = client.head_object(Bucket=B, Key='exampleobject')
check('head metadata', h.get('x-cos-meta-key1') == 'value1' and h.get('Cache-Control') == 'no-cache' and h.get('Content-Language') == 'zh-CN' and h.get('x-cos-storage-class') == 'STANDARD_IA', h)
acl = client.get_object_acl(Bucket=B, Key='exampleobject')
check('acl read', 'AccessControlList' in acl, acl)
# stream
r = client.put_object(Bucket=B, Body=io.BytesIO(b's'*5000), Key='stream.txt')
check('put_object stream', body('stream.txt') == b's'*5000)
# local file
with open(tmp + '/local.txt', 'wb') as f: f.write(os.urandom(3 * 1024 * 1024 + 17))
data = open(tmp + '/local.txt','rb').read()
with open(tmp + '/local.txt', 'rb') as fp:
    r = client.put_object(Bucket=B, Body=fp, Key='file.bin', StorageClass='STANDARD', EnableMD5=False)
check('put_object file', body('file.bin') == data)
r = client.put_object_from_local_file(Bucket=B, LocalFilePath=tmp + '/local.txt', Key='local.bin')
check('put_object_from_local_file', body('local.bin') == data)
# directory
r = client.put_object(Bucket=B, Key='folder/', Body=b'')
lst = client.list_objects(Bucket=B, Prefix='folder/')
check('directory key', any(c['Key'] == 'folder/' for c in lst.get('Contents', [])), lst)
# append
r1 = client.append_object(Bucket=B, Key='append.txt', Position=0, Data=b'hello ')
pos = int(r1['x-cos-next-append-position'])
r2 = client.append_object(Bucket=B, Key='append.txt', Position=pos, Data=io.BytesIO(b'world'))
check('append_object', body('append.txt') == b'hello world', (r1, r2))
try:
    client.append_object(Bucket=B, Key='append.txt', Position=1, Data=b'x'); check('append wrong pos', False)
except CosServiceError as e:
    check('append wrong position: 409 AppendPositionErr', e.get_status_code() == 409 and e.get_error_code() == 'AppendPositionErr', e.get_error_code())
# multipart, all seven
r = client.create_multipart_upload(Bucket=B, Key='mp.bin', StorageClass='STANDARD', ContentType='application/octet-stream', Metadata={'x-cos-meta-a': 'b'})
uid = r['UploadId']
part = os.urandom(1024*1024)
p1 = client.upload_part(Bucket=B, Key='mp.bin', Body=part, PartNumber=1, UploadId=uid, EnableMD5=True, TrafficLimit='8388608')
p2 = client.upload_part_copy(Bucket=B, Key='mp.bin', PartNumber=2, UploadId=uid,
    CopySource={'Bucket': B, 'Key': 'local.bin', 'Region': 'ap-guangzhou'}, CopySourceRange='bytes=0-1048575')
p3 = client.upload_part_copy(Bucket=B, Key='mp.bin', PartNumber=3, UploadId=uid,
    CopySource={'Bucket': B, 'Key': 'stream.txt', 'Region': 'ap-guangzhou'})
ups = client.list_multipart_uploads(Bucket=B, Prefix='mp')
check('list_multipart_uploads', any(u['UploadId'] == uid for u in ups.get('Upload', [])), ups)
parts = client.list_parts(Bucket=B, Key='mp.bin', UploadId=uid)
check('list_parts', [p['PartNumber'] for p in parts['Part']] == ['1','2','3'], parts)
r = client.complete_multipart_upload(Bucket=B, Key='mp.bin', UploadId=uid,
    MultipartUpload={'Part': [{'PartNumber': 1, 'ETag': p1['ETag']}, {'PartNumber': 2, 'ETag': p2['ETag']}, {'PartNumber': 3, 'ETag': p3['ETag']}]})
check('complete', body('mp.bin') == part + data[:1048576] + b's'*5000, r)
r = client.create_multipart_upload(Bucket=B, Key='ab.bin')
client.abort_multipart_upload(Bucket=B, Key='ab.bin', UploadId=r['UploadId'])
ups = client.list_multipart_uploads(Bucket=B, Prefix='ab')
check('abort', not ups.get('Upload'), ups)
# upload_file, simple + all params with progress
seen = []
def upload_percentage(consumed, total):
    seen.append((consumed, total))
r = client.upload_file(Bucket=B, Key='exampleobject2', LocalFilePath=tmp + '/local.txt', EnableMD5=False, progress_callback=None)
check('upload_file simple', body('exampleobject2') == data)
with open(tmp + '/big.bin', 'wb') as f: f.write(os.urandom(25 * 1024 * 1024))
big = open(tmp + '/big.bin','rb').read()
r = client.upload_file(Bucket=B, Key='big.bin', LocalFilePath=tmp + '/big.bin', PartSize=1, MAXThread=5,
    progress_callback=upload_percentage, EnableMD5=True, ACL='private', GrantFullControl='id="100000000001"',
    GrantRead='id="100000000001"', StorageClass='STANDARD_IA', Expires='Wed, 21 Oct 2035 07:28:00 GMT',
    CacheControl='no-cache', ContentType='application/x-test', ContentDisposition='inline', ContentEncoding='identity',
    ContentLanguage='en', Metadata={'x-cos-meta-key1': 'value1'}, TrafficLimit='83886080')
check('upload_file multipart bytes', body('big.bin') == big)
check('upload_file progress', seen and seen[-1][0] == seen[-1][1] == len(big), seen[-3:])
h = client.head_object(Bucket=B, Key='big.bin')
check('upload_file headers', h.get('Content-Type') == 'application/x-test' and h.get('x-cos-meta-key1') == 'value1' and h.get('x-cos-storage-class') == 'STANDARD_IA', h)
# checkpoint restart: leave an upload with 3 parts, then upload_file resumes it
r = client.create_multipart_upload(Bucket=B, Key='resume.bin')
uid = r['UploadId']
for n in (1, 2, 3):
    client.upload_part(Bucket=B, Key='resume.bin', Body=big[(n-1)*1048576:n*1048576], PartNumber=n, UploadId=uid)
r = client.upload_file(Bucket=B, Key='resume.bin', LocalFilePath=tmp + '/big.bin', PartSize=1, MAXThread=5)
check('upload_file resume', body('resume.bin') == big)
ups = client.list_multipart_uploads(Bucket=B, Prefix='resume')
check('resume used the upload', not ups.get('Upload'), ups)
# batch upload of a folder with SimpleThreadPool
root = os.path.join(tmp, 'folder')
for i in range(20):
    d = os.path.join(root, 'sub%d' % (i % 3)); os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'f%d.txt' % i), 'wb') as f: f.write(b'file %d' % i)
pool = SimpleThreadPool()
for dirpath, _, files in os.walk(root):
    for name in files:
        path = os.path.join(dirpath, name)
        key = 'batch/' + os.path.relpath(path, root)
        pool.add_task(client.upload_file, B, key, path)
pool.wait_completion()
result = pool.get_result()
check('batch success_all', result['success_all'], result)
lst = client.list_objects(Bucket=B, Prefix='batch/', MaxKeys=100)
check('batch count', len(lst.get('Contents', [])) == 20, len(lst.get('Contents', [])))

# The object calls around upload (issue 11): copy, advanced copy, tags, ACL, delete multiple
r = client.copy_object(Bucket=B, Key='copy.bin', CopySource={'Bucket': B, 'Key': 'file.bin', 'Region': 'ap-guangzhou'})
check('copy_object', body('copy.bin') == data, r)
# The SDK's advanced copy builds its HEAD URL from the real host name, ignoring IP=: reach the
# server as coscmd does, with the server as the HTTP proxy (absolute-form request targets).
proxied = CosS3Client(CosConfig(Region='ap-guangzhou', SecretId=config._secret_id, SecretKey=config._secret_key,
                                Scheme='http', Proxies={'http': 'http://127.0.0.1:%d' % port}))
r = proxied.copy(Bucket=B, Key='bigcopy.bin', CopySource={'Bucket': B, 'Key': 'big.bin', 'Region': 'ap-guangzhou'}, PartSize=5, MAXThread=4)
check('copy (advanced, multipart)', body('bigcopy.bin') == big, r)
client.put_object_tagging(Bucket=B, Key='copy.bin', Tagging={'TagSet': {'Tag': [{'Key': 'team', 'Value': 'photos'}]}})
tags = client.get_object_tagging(Bucket=B, Key='copy.bin')
check('object tagging', tags.get('TagSet', {}).get('Tag', [{}])[0].get('Value') == 'photos' if isinstance(tags.get('TagSet', {}).get('Tag'), list) else tags['TagSet']['Tag']['Value'] == 'photos', tags)
client.put_object_acl(Bucket=B, Key='copy.bin', ACL='public-read')
acl = client.get_object_acl(Bucket=B, Key='copy.bin')
check('object ACL public-read', 'AllUsers' in str(acl), acl)
r = client.delete_objects(Bucket=B, Delete={'Object': [{'Key': 'copy.bin'}, {'Key': 'bigcopy.bin'}, {'Key': 'missing.bin'}], 'Quiet': 'false'})
deleted = r.get('Deleted', [])
check('delete_objects', len(deleted) == 3 and not r.get('Error'), r)

# Server-side encryption (SSE-COS) and versioning
r = client.put_object(Bucket=B, Key='secret.txt', Body=b'top secret', ServerSideEncryption='AES256')
h = client.head_object(Bucket=B, Key='secret.txt')
check('SSE-COS', h.get('x-cos-server-side-encryption') == 'AES256' and body('secret.txt') == b'top secret', h)
VB = 'versioned-1250000000'
client.create_bucket(Bucket=VB)
client.put_bucket_versioning(Bucket=VB, Status='Enabled')
v1 = client.put_object(Bucket=VB, Key='doc.txt', Body=b'one')['x-cos-version-id']
v2 = client.put_object(Bucket=VB, Key='doc.txt', Body=b'two')['x-cos-version-id']
old = client.get_object(Bucket=VB, Key='doc.txt', VersionId=v1)['Body'].get_raw_stream().read()
check('versioning: both versions kept', v1 != v2 and old == b'one', (v1, v2, old))
vs = client.list_objects_versions(Bucket=VB, Prefix='doc')
check('list_objects_versions', len(vs.get('Version', [])) == 2, vs)

print('%d checks failed: %s' % (len(fails), ', '.join(fails)) if fails else 'every check held (%d)' % checks[0])
sys.exit(1 if fails else 0)
