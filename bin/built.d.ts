/** The repository's root folder. */
export declare const ROOT: string;
/** Returns true when dist/ was compiled from the sources as they are now, under the repository root by default. */
export declare function builtIsCurrent(root?: string): boolean;
