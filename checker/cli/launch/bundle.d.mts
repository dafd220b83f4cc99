export declare const SOURCE_ROOT: string;
export declare function bundledMain(buildDir?: string): Promise<string | undefined>;
export declare function linkedOwnFolder(root?: string): string | undefined;
