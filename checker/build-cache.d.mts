export declare const contentHash: (contents: Uint8Array | string) => string;
export declare function folderContentHash(dir: string): string;
export declare const SIGNING_KEY_FILE: string;
export declare function writeAtomically(file: string, contents: Uint8Array | string, mode?: number): void;
export declare function reusableBuild<T>(recordFile: string, key: string, expectedInputs?: readonly string[]): T | undefined;
export declare function recordBuild(
  recordFile: string,
  key: string,
  build: { readonly inputs: readonly string[]; readonly outputs: readonly string[]; readonly data: unknown },
  startedAtMs?: number,
): boolean;
export declare function metafileInputs(metafile: { inputs: Record<string, unknown> }, workingDir: string): string[];
