/**
 * A sheet password as Excel keeps it in <sheetProtection> (ECMA-376 part 1,
 * §18.3.1.85, agile hashing): SHA-512 of the salt and the UTF-16LE password,
 * then rehashed `spinCount` times with the round number appended. Excel's own
 * count, 100.000 rounds, is deliberately slow, so a locked workbook computes
 * it once and every sheet carries the same salt and hash: exceljs's protect()
 * computed it again for each sheet, allocating two buffers a round, and that
 * was most of `khoa`'s time (six sheets, 600.000 rounds). Node only: the
 * browser's templates are protected without a password.
 */
import * as nodeCrypto from "node:crypto";
import { randomBytes } from "node:crypto";
import { Worker } from "node:worker_threads";

export interface SheetPassword {
  algorithmName: "SHA-512";
  saltValue: string;
  hashValue: string;
  spinCount: number;
}

export const SPIN_COUNT = 100_000;

/**
 * The rounds, in base64. Self-contained (its only names are its parameters and Buffer): sheetPasswordAside runs
 * its source on a worker thread.
 */
function hashRounds(crypto: typeof nodeCrypto, salt: Uint8Array, password: string, rounds: number): string {
  let key: Buffer = crypto.createHash("sha512").update(salt).update(Buffer.from(password, "utf16le")).digest();
  const round = Buffer.alloc(key.length + 4);
  for (let i = 0; i < rounds; i++) {
    key.copy(round, 0);
    round.writeUInt32LE(i, key.length);
    key = crypto.hash("sha512", round, "buffer");
  }
  return key.toString("base64");
}

function protection(salt: Uint8Array, hashValue: string): SheetPassword {
  return {
    algorithmName: "SHA-512",
    saltValue: Buffer.from(salt).toString("base64"),
    hashValue,
    spinCount: SPIN_COUNT,
  };
}

export function sheetPassword(password: string, salt: Uint8Array = randomBytes(16)): SheetPassword {
  return protection(salt, hashRounds(nodeCrypto, salt, password, SPIN_COUNT));
}

const WORKER_SOURCE =
  `const { parentPort, workerData: w } = require("node:worker_threads");\n` +
  `parentPort.postMessage((${hashRounds.toString()})(require("node:crypto"), w.salt, w.password, w.rounds));`;

/**
 * The same protection, hashed on a worker thread while the caller reads its files (khoa: ~0,15 s of the 100.000
 * rounds off the main thread). The worker does not keep a command that stops early alive; asking for the result
 * waits for it. Where no worker thread can be started, the rounds run here when the result is asked for.
 */
export function sheetPasswordAside(password: string, salt: Uint8Array = randomBytes(16)): () => Promise<SheetPassword> {
  let worker: Worker;
  let result: Promise<string>;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { password, salt, rounds: SPIN_COUNT } });
    worker.unref();
    result = new Promise<string>((resolve, reject) => {
      worker.once("message", (hash: string) => resolve(hash));
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`sheet password worker exited with ${code}`)));
    });
  } catch {
    return () => Promise.resolve(sheetPassword(password, salt));
  }
  // Nobody may be waiting when the worker fails: the failure is met when the result is asked for.
  result.catch(() => undefined);
  return async () => {
    worker.ref();
    try {
      return protection(salt, await result);
    } catch (e) {
      // Node could not start or keep the thread (ERR_WORKER_INIT_FAILED, ERR_WORKER_OUT_OF_MEMORY…): hash here.
      // Anything else is a fault in the worker's code, and surfaces.
      if (String((e as { code?: unknown }).code).startsWith("ERR_WORKER")) return sheetPassword(password, salt);
      throw e;
    }
  };
}
