import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sha256Text } from "../../src/core/lock/sha256";

const node = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

describe("SHA-256 in plain TypeScript (the Sheet side's fingerprints)", () => {
  it("gives the standard answers", () => {
    expect(sha256Text("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Text("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Text("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });
  it("agrees with node:crypto on any text, Vietnamese, emoji and block edges included", () => {
    for (const s of [
      "Trường Chính trị tỉnh Đắk Lắk",
      "😀",
      "a".repeat(55),
      "a".repeat(56),
      "a".repeat(64),
      "ệ".repeat(1000),
    ])
      expect(sha256Text(s)).toBe(node(s));
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (s) => sha256Text(s) === node(s)),
      { numRuns: 300 },
    );
  });
});
