/** The part of madge's API (it ships no types) that module-graph.test.ts uses. */
declare module 'madge' {
  interface MadgeConfig {
    fileExtensions?: string[];
    tsConfig?: string;
    detectiveOptions?: { ts?: { skipTypeImports?: boolean } };
  }
  interface MadgeResult {
    /** Each file (relative to the folder read) and the files it imports. */
    obj(): Record<string, string[]>;
    /** The import cycles found, each as the files along it. */
    circular(): string[][];
    /** `skipped`: imports that resolved to no file of the folder (packages' subpaths, typos). */
    warnings(): { skipped: string[] };
  }
  function madge(path: string, config?: MadgeConfig): Promise<MadgeResult>;
  export = madge;
}
