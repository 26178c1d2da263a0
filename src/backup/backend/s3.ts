/**
 * S3-compatible object storage through the AWS SDK v3, with restic's default layout under an optional prefix.
 * Path-style addressing (works with MinIO, Ceph, Garage and friends); ranged GETs; paginated listings.
 * A PUT is atomic and durable once answered, so no temp-name dance is needed; a streamed save of a large file
 * is a multipart upload, completed only once the whole stream has arrived intact.
 */
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Agent } from 'node:https';
import {
  BackendNotFoundError,
  DIR_OF,
  defaultLayoutPath,
  existsByStat,
  type Backend,
  type ByteStream,
  type FileHandle,
  type FileInfo,
  type FileType,
} from './backend.js';
import { isCutUpload, requireSameAsStored, watchSource } from './stream.js';

/** Settings of an {@link S3Backend}. Credentials are passed in; the backend reads no environment. */
export interface S3BackendOptions {
  /** Service endpoint, e.g. `https://s3.amazonaws.com` or `http://127.0.0.1:9000`. */
  endpoint: string;
  bucket: string;
  /** Key prefix of the repository inside the bucket, without leading or trailing `/` (may be empty). */
  prefix: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Signing region (default `us-east-1`). */
  region?: string;
  /** Attempts per request, including the first, for throttling/5xx/network errors (default 5). */
  maxAttempts?: number;
  /** PEM root certificates to trust for https instead of the system's (`--cacert`). */
  ca?: string[];
}

/** restic's id characters: nothing that could leave the repository prefix. */
const SAFE_NAME = /^[0-9a-zA-Z_-][0-9a-zA-Z._-]*$/;

interface SdkError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Files from this size on are stored by a multipart upload (S3's smallest part is 5 MiB). */
const MULTIPART_FROM = 5 * 1024 * 1024;
/** Bytes per part of a multipart upload (streamed, never held in memory). */
const PART_SIZE = 64 * 1024 * 1024;

/** Reads a stream in consecutive parts of given sizes. */
class PartReader {
  private rest: Buffer | undefined;
  constructor(private readonly it: AsyncIterator<Buffer>) {}

  /** The next `size` bytes. */
  async *take(size: number): AsyncGenerator<Buffer> {
    let left = size;
    while (left > 0) {
      let c = this.rest;
      this.rest = undefined;
      if (!c) {
        const n = await this.it.next();
        if (n.done) throw new Error('the data ended early');
        c = n.value;
      }
      if (c.length > left) {
        this.rest = c.subarray(left);
        c = c.subarray(0, left);
      }
      left -= c.length;
      yield c;
    }
  }

  /** Reads to the end (where the source checks its length and the uploader's checks run). */
  async end(): Promise<void> {
    if (this.rest?.length) throw new Error('the data is longer than announced');
    for (let n = await this.it.next(); !n.done; n = await this.it.next())
      if (n.value.length > 0) throw new Error('the data is longer than announced');
  }
}

/** A restic repository in an S3 bucket. */
export class S3Backend implements Backend {
  /** `s3:` location (no credentials). */
  readonly location: string;
  private readonly client: S3Client;
  /** For streamed uploads: one attempt (a stream cannot be replayed; the uploader retries the whole upload). */
  private readonly streamClient: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  /** Builds the client; no request is made until the first operation. */
  constructor(opts: S3BackendOptions) {
    const endpoint = opts.endpoint.replace(/\/+$/, '');
    this.bucket = opts.bucket;
    this.prefix = opts.prefix.replace(/^\/+|\/+$/g, '');
    this.location = `s3:${endpoint}/${this.bucket}${this.prefix ? `/${this.prefix}` : ''}`;
    const config = {
      endpoint,
      region: opts.region ?? 'us-east-1',
      forcePathStyle: true,
      credentials: {
        accessKeyId: opts.accessKeyId,
        secretAccessKey: opts.secretAccessKey,
        sessionToken: opts.sessionToken,
      },
      maxAttempts: opts.maxAttempts ?? 5,
      ...(opts.ca ? { requestHandler: { httpsAgent: new Agent({ ca: opts.ca }) } } : {}),
      // Plain PUTs with Content-Length: many S3-compatible servers do not understand aws-chunked trailers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    } as const;
    this.client = new S3Client({ ...config, maxAttempts: opts.maxAttempts ?? 5 });
    const quiet = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    };
    this.streamClient = new S3Client({ ...config, maxAttempts: 1, logger: quiet });
  }

  private key(h: FileHandle): string {
    if (h.type !== 'config' && !SAFE_NAME.test(h.name))
      throw new Error(`${this.location}: invalid file name ${JSON.stringify(h.name)}`);
    const p = defaultLayoutPath(h);
    return this.prefix ? `${this.prefix}/${p}` : p;
  }

  /** Maps an SDK error to a clear one (never echoing credentials). */
  private wrap(err: unknown, what: string, h?: FileHandle): Error {
    const e = (err ?? {}) as SdkError;
    const status = e.$metadata?.httpStatusCode;
    const code = e.Code ?? e.name ?? e.code ?? 'Error';
    if (code === 'NoSuchBucket')
      return new Error(`${this.location}: ${what}: bucket ${this.bucket} does not exist`);
    if (h && (status === 404 || code === 'NoSuchKey' || code === 'NotFound'))
      return new BackendNotFoundError(h);
    if (
      status === 401 ||
      status === 403 ||
      code === 'InvalidAccessKeyId' ||
      code === 'SignatureDoesNotMatch'
    ) {
      return new Error(`${this.location}: ${what}: access denied (${code}); check the access key and secret`);
    }
    if (status === undefined) {
      const sys = (err as { code?: unknown }).code;
      const detail = typeof sys === 'string' ? sys : (e.message ?? code);
      return new Error(`${this.location}: ${what}: cannot reach the server: ${detail}`);
    }
    return new Error(`${this.location}: ${what}: ${code} (HTTP ${status})`);
  }

  /** Makes sure the bucket exists (creating it if needed); fails if a repository is already there. */
  async create(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      if ((err as SdkError).$metadata?.httpStatusCode !== 404) throw this.wrap(err, 'check bucket');
      try {
        await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
      } catch (err2) {
        throw this.wrap(err2, 'create bucket');
      }
    }
    if (await this.exists({ type: 'config', name: '' }))
      throw new Error(`${this.location}: a repository already exists here`);
  }

  /** Uploads a file; an existing file is kept if identical and refused if different. */
  async save(h: FileHandle, data: Uint8Array): Promise<void> {
    if (await this.exists(h)) {
      const old = await this.load(h);
      if (old.equals(data)) return;
      throw new Error(`${this.location}: ${defaultLayoutPath(h)} already exists with different content`);
    }
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.key(h),
          Body: data,
          ContentLength: data.byteLength,
          ContentType: 'application/octet-stream',
        }),
      );
    } catch (err) {
      throw this.wrap(err, `save ${defaultLayoutPath(h)}`);
    }
  }

  /**
   * Stores a stream so that the object appears only once all of it has arrived and the stream ended without
   * failing: a small file (under {@link MULTIPART_FROM}) is gathered and sent in one PUT; a larger one goes up as
   * a multipart upload whose parts stream through, completed after the stream's end, aborted when it fails.
   */
  async saveStream(h: FileHandle, data: ByteStream, length: number): Promise<void> {
    const src = watchSource(data, length);
    const path = defaultLayoutPath(h);
    try {
      if ((await this.exists(h)) && !(await isCutUpload(this, h, length)))
        return await requireSameAsStored(this, h, src, length, path);
      if (length < MULTIPART_FROM) {
        const parts: Buffer[] = [];
        for await (const c of src.chunks) parts.push(c);
        return await this.save(h, Buffer.concat(parts, length));
      }
      await this.multipart(h, src.chunks, length);
    } catch (err) {
      const failed = src.failure();
      if (failed) throw failed.error;
      if (err instanceof Error && err.message.startsWith(this.location)) throw err;
      throw this.wrap(err, `save ${path}`);
    }
  }

  private async multipart(h: FileHandle, chunks: AsyncIterable<Buffer>, length: number): Promise<void> {
    const Key = this.key(h);
    const up = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key }));
    const UploadId = up.UploadId;
    if (!UploadId) throw new Error(`${this.location}: the server started no multipart upload`);
    try {
      const reader = new PartReader(chunks[Symbol.asyncIterator]());
      const done: { PartNumber: number; ETag: string }[] = [];
      for (let off = 0, PartNumber = 1; off < length; off += PART_SIZE, PartNumber++) {
        const size = Math.min(PART_SIZE, length - off);
        // The SDK does not listen for errors of a body stream: a failing source aborts the request instead.
        const abort = new AbortController();
        const body = async function* () {
          try {
            yield* reader.take(size);
          } catch {
            abort.abort();
          }
        };
        const part = await this.streamClient.send(
          new UploadPartCommand({
            Bucket: this.bucket,
            Key,
            UploadId,
            PartNumber,
            Body: Readable.from(body(), { objectMode: false }),
            ContentLength: size,
          }),
          { abortSignal: abort.signal },
        );
        done.push({ PartNumber, ETag: part.ETag ?? '' });
      }
      await reader.end();
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key,
          UploadId,
          MultipartUpload: { Parts: done },
        }),
      );
    } catch (err) {
      await this.client
        .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId }))
        .catch(() => {
          // Best effort: an incomplete upload is never an object; buckets expire them by lifecycle rule.
        });
      throw err;
    }
  }

  /** Downloads a file or a byte range of it. */
  async load(h: FileHandle, offset = 0, length?: number): Promise<Buffer> {
    if (length === 0) return Buffer.alloc(0);
    const ranged = offset > 0 || length !== undefined;
    const Range = ranged ? `bytes=${offset}-${length === undefined ? '' : offset + length - 1}` : undefined;
    try {
      const res = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.key(h), Range }),
      );
      if (!res.Body) return Buffer.alloc(0);
      const bytes = Buffer.from(await res.Body.transformToByteArray());
      if (!ranged) return bytes;
      // Some servers ignore the Range (or mishandle `bytes=0-0`) and send more: cut out what was asked for.
      const start = Number(/^bytes (\d+)-/.exec(res.ContentRange ?? '')?.[1] ?? 0);
      const from = offset - start;
      return bytes.subarray(from, length === undefined ? undefined : from + length);
    } catch (err) {
      // An empty object cannot satisfy a range: treat it as an empty read.
      if ((err as SdkError).$metadata?.httpStatusCode === 416) return Buffer.alloc(0);
      throw this.wrap(err, `load ${defaultLayoutPath(h)}`, h);
    }
  }

  /** Size of a stored file (`HEAD`). */
  async stat(h: FileHandle): Promise<FileInfo> {
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(h) }));
      return { name: h.name, size: res.ContentLength ?? 0 };
    } catch (err) {
      throw this.wrap(err, `stat ${defaultLayoutPath(h)}`, h);
    }
  }

  /** Deletes a stored file (S3 answers 204 for a missing key, so existence is checked first). */
  async remove(h: FileHandle): Promise<void> {
    await this.stat(h);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(h) }));
    } catch (err) {
      throw this.wrap(err, `remove ${defaultLayoutPath(h)}`, h);
    }
  }

  /** Lists one kind of file, page by page. */
  async *list(type: Exclude<FileType, 'config'>): AsyncIterable<FileInfo> {
    const dir = `${this.prefix ? `${this.prefix}/` : ''}${DIR_OF[type]}/`;
    const pages = paginateListObjectsV2(
      { client: this.client, pageSize: 1000 },
      { Bucket: this.bucket, Prefix: dir },
    );
    try {
      for await (const page of pages) {
        for (const obj of page.Contents ?? []) {
          if (obj.Key === undefined) continue;
          const rest = obj.Key.slice(dir.length);
          // packs live one level down (data/ab/abcd...); other kinds directly in their folder
          const parts = rest.split('/');
          const name = parts[parts.length - 1] ?? '';
          if (name === '' || parts.length !== (type === 'pack' ? 2 : 1)) continue;
          yield { name, size: obj.Size ?? 0 };
        }
      }
    } catch (err) {
      throw this.wrap(err, `list ${DIR_OF[type]}`);
    }
  }

  /** True when the file exists. */
  async exists(h: FileHandle): Promise<boolean> {
    return existsByStat(this, h);
  }

  /** Closes the SDK's connection pool. */
  async close(): Promise<void> {
    this.client.destroy();
    this.streamClient.destroy();
    return Promise.resolve();
  }
}
